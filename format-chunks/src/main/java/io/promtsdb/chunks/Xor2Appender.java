package io.promtsdb.chunks;

import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Values;

/**
 * Writes an XOR2 chunk (encoding 4, Prometheus 3.11+), byte for byte as upstream Go's
 * {@code xor2Appender}.
 *
 * <pre>
 * bytes 0-1   number of samples, big-endian uint16
 * byte 2      ST header: bit 7 = first ST known, bits 6-0 = index of the first ST change
 * sample 0    varint(t) as bytes, 64 value bits, [varint(t - st) as bytes if st != 0]
 * sample 1    uvarint(t1 - t0) as bytes, &lt;varbit_xor2&gt; value, [&lt;varbit_int&gt; ST]
 * sample n    joint control: '0' same dod and value | '10' dod 0, &lt;varbit_xor2_nn&gt; value
 *             | '110' 13-bit dod | '1110' 20-bit dod | '11110' 64-bit dod (then &lt;varbit_xor2&gt;)
 *             | '11111' dod 0 and the stale marker; then [&lt;varbit_int&gt; ST]
 * </pre>
 *
 * Start timestamps: sample 0 stores {@code t0 - st0}; the first sample whose ST differs from
 * its predecessor's (or sample 127, forced even when ST never changes) stores
 * {@code t(i-1) - st(i)} and sets its index in the header; every later sample stores the
 * difference of that quantity to the previous sample's. The XOR baseline is the last value
 * that was not the stale marker.
 */
public final class Xor2Appender implements FloatAppender {
  static final int HEADER_BYTES = 3;
  static final int MAX_FIRST_ST_CHANGE_ON = 0x7F;

  private final BitWriter w;
  private int num;
  private long st;
  private long t;
  private long tDelta;
  private long stDiff;
  private long vBits;
  private int window = Varbit.WINDOW_UNSET;
  private int firstSTChangeOn;

  private Xor2Appender() {
    this.w = new BitWriter(HEADER_BYTES, 128, WriterFlavor.PROMETHEUS_3);
  }

  public static Xor2Appender create() {
    return new Xor2Appender();
  }

  /**
   * An appender continuing {@code chunk} (Go's {@code XOR2Chunk.Appender()} on existing data,
   * which restores the bit position as this does).
   */
  public static Xor2Appender resume(Chunk chunk) throws CorruptFormatException {
    if (chunk.encoding() != ChunkEncoding.XOR2) {
      throw new IllegalArgumentException("not an XOR2 chunk: " + chunk.encoding());
    }
    Xor2Appender a = new Xor2Appender();
    Xor2Iterator it = new Xor2Iterator();
    it.reset(chunk);
    while (it.next() != ValueType.NONE) {
      // Decode to the end for the state.
    }
    a.num = chunk.numSamples();
    if (a.num > 0) {
      a.st = it.atST();
      a.t = it.atT();
      a.tDelta = it.tDelta();
      a.stDiff = it.stDiff();
      a.vBits = it.baselineBits();
      a.window = it.window();
      a.firstSTChangeOn = it.firstSTChangeOn();
      a.w.resumeAt(chunk.copyBytes(), chunk.length(), it.bitPosition());
    }
    return a;
  }

  @Override
  public ChunkEncoding encoding() {
    return ChunkEncoding.XOR2;
  }

  @Override
  public int numSamples() {
    return num;
  }

  @Override
  public void append(long st, long t, double v) {
    appendBits(st, t, Double.doubleToRawLongBits(v));
  }

  /** Appends a sample with its value as IEEE-754 bits. */
  public void appendBits(long st, long t, long bits) {
    long delta = 0;
    long newStDiff = 0;
    int n = num;
    if (n >= 2) {
      if (n == XorAppender.MAX_SAMPLES) {
        throw new IllegalStateException("XOR2 chunk capacity of 65535 samples exceeded");
      }
      delta = t - this.t;
      encodeJoint(delta - tDelta, bits);
      if (firstSTChangeOn == 0) {
        if (st != this.st || n == MAX_FIRST_ST_CHANGE_ON) {
          newStDiff = this.t - st;
          firstSTChangeOn = n;
          w.setByte(2, w.getByte(2) | n);
          Varbit.putInt(w, newStDiff);
        }
      } else {
        newStDiff = this.t - st;
        Varbit.putInt(w, newStDiff - stDiff);
      }
    } else if (n == 0) {
      w.writeVarintBytes(t);
      w.writeBits(bits, 64);
      if (st != 0) {
        w.writeVarintBytes(t - st);
        w.setByte(2, 0x80);
      }
    } else {
      delta = t - this.t;
      w.writeUvarintBytes(delta);
      writeValue(0, 0, bits);
      if (st != this.st) {
        newStDiff = this.t - st;
        firstSTChangeOn = 1;
        w.setByte(2, w.getByte(2) | 1);
        Varbit.putInt(w, newStDiff);
      }
    }
    this.st = st;
    this.t = t;
    if (bits != Values.STALE_NAN_BITS) {
      this.vBits = bits;
    }
    this.tDelta = delta;
    this.stDiff = newStDiff;
    num = n + 1;
  }

  /** The joint timestamp/value control of samples 2 and later, then the value. */
  private void encodeJoint(long dod, long bits) {
    if (dod == 0) {
      if (bits == Values.STALE_NAN_BITS) {
        w.writeBits(0b11111, 5);
        return;
      }
      long delta = bits ^ vBits;
      if (delta == 0) {
        w.writeZero();
        return;
      }
      // '10' then <varbit_xor2_nn>: '0' reuse window, '1' new window.
      int leading = window >>> 8;
      int trailing = window & 0xFF;
      int newLeading = Math.min(Long.numberOfLeadingZeros(delta), 31);
      int newTrailing = Long.numberOfTrailingZeros(delta);
      if (leading != 0xFF && newLeading >= leading && newTrailing >= trailing) {
        w.writePrefixed(0b100, 3, delta >>> trailing, 64 - leading - trailing);
      } else {
        int sig = 64 - newLeading - newTrailing;
        long prefix = (0b101L << 11) | ((long) newLeading << 6) | (sig & 63);
        w.writePrefixed(prefix, 14, delta >>> newTrailing, sig);
        window = (newLeading << 8) | newTrailing;
      }
      return;
    }
    // The dod record and the value in one write where they fit.
    if (dod >= -(1L << 12) && dod <= (1L << 12) - 1) {
      writeValue((0b110L << 13) | (dod & 0x1FFF), 16, bits);
    } else if (dod >= -(1L << 19) && dod <= (1L << 19) - 1) {
      writeValue((0b1110L << 20) | (dod & 0xFFFFF), 24, bits);
    } else {
      w.writePrefixed(0b11110, 5, dod, 64);
      writeValue(0, 0, bits);
    }
  }

  /**
   * {@code <varbit_xor2>}: '0' unchanged, '10' reuse window, '110' new window, '111' stale,
   * after the {@code prefixBits} (0..24) bits of {@code prefix}, in one write where they fit.
   */
  private void writeValue(long prefix, int prefixBits, long bits) {
    if (bits == Values.STALE_NAN_BITS) {
      w.writePrefixed(prefix, prefixBits, 0b111, 3);
      return;
    }
    long delta = bits ^ vBits;
    if (delta == 0) {
      w.writePrefixed(prefix, prefixBits, 0, 1);
      return;
    }
    int leading = window >>> 8;
    int trailing = window & 0xFF;
    int newLeading = Math.min(Long.numberOfLeadingZeros(delta), 31);
    int newTrailing = Long.numberOfTrailingZeros(delta);
    if (leading != 0xFF && newLeading >= leading && newTrailing >= trailing) {
      w.writePrefixed((prefix << 2) | 0b10, prefixBits + 2, delta >>> trailing,
          64 - leading - trailing);
      return;
    }
    int sig = 64 - newLeading - newTrailing;
    w.writePrefixed((prefix << 14) | (0b110L << 11) | ((long) newLeading << 6) | (sig & 63),
        prefixBits + 14, delta >>> newTrailing, sig);
    window = (newLeading << 8) | newTrailing;
  }

  @Override
  public Chunk chunk() {
    w.setShort(0, num);
    return Chunk.ofOwned(ChunkEncoding.XOR2, w.toByteArray());
  }

  @Override
  public int sizeBytes() {
    return w.byteLength();
  }

  /** Starts a new empty chunk, reusing the buffer. */
  public void reset() {
    w.reset(HEADER_BYTES);
    num = 0;
    st = 0;
    t = 0;
    tDelta = 0;
    stDiff = 0;
    vBits = 0;
    window = Varbit.WINDOW_UNSET;
    firstSTChangeOn = 0;
  }
}
