package io.promtsdb.chunks;

import io.promtsdb.core.CorruptFormatException;

/**
 * Writes an XOR chunk (encoding 1), byte for byte as Go's {@code xorAppender}.
 *
 * <pre>
 * bytes 0-1   number of samples, big-endian uint16
 * sample 0    varint(t) as bytes, then the 64 value bits
 * sample 1    uvarint(t1 - t0) as bytes, then &lt;varbit_xor&gt; of the value
 * sample n    delta-of-delta of t in the dod buckets, then &lt;varbit_xor&gt; of the value
 * dod buckets '0' = 0 | '10'+14 bits | '110'+17 bits | '1110'+20 bits | '1111'+64 bits
 * </pre>
 *
 * <p>Not thread-safe. Appending the 65535th sample throws {@link IllegalStateException}
 * (Go panics): callers cut chunks long before (Prometheus at 1005 bytes).
 */
public final class XorAppender implements FloatAppender {
  static final int HEADER_BYTES = 2;
  static final int MAX_SAMPLES = 0xFFFF;

  private final BitWriter w;
  private int num;
  private long t;
  private long tDelta;
  private long vBits;
  /** Leading zeros of the current XOR window, 0xFF before the first window. */
  private int leading = 0xFF;
  private int trailing;

  /** Go's first allocation for a chunk ({@code make([]byte, 2, 128)}). */
  static final int DEFAULT_CAPACITY = 128;

  private XorAppender(WriterFlavor flavor) {
    this(flavor, DEFAULT_CAPACITY);
  }

  private XorAppender(WriterFlavor flavor, int initialCapacity) {
    this.w = new BitWriter(HEADER_BYTES, initialCapacity, flavor);
  }

  /** An appender for a new chunk, byte-exact with Prometheus 3.x. */
  public static XorAppender create() {
    return new XorAppender(WriterFlavor.PROMETHEUS_3);
  }

  /** An appender for a new chunk written as {@code flavor} writes it. */
  public static XorAppender create(WriterFlavor flavor) {
    return new XorAppender(flavor);
  }

  /**
   * An appender for a new chunk whose buffer starts at {@code initialCapacity} bytes (at least
   * 18; it grows as needed): a head that knows how large its chunks get (the previous chunk of
   * the series) sizes the buffer once instead of growing it, and keeps small chunks small. The
   * bytes written do not depend on it.
   */
  public static XorAppender create(int initialCapacity) {
    if (initialCapacity < 0) {
      throw new IllegalArgumentException("negative capacity " + initialCapacity);
    }
    return new XorAppender(WriterFlavor.PROMETHEUS_3, initialCapacity);
  }

  /**
   * An appender that continues {@code chunk} (Go's {@code XORChunk.Appender()} on existing
   * data): its state is rebuilt by decoding every sample. Writing resumes at the exact bit
   * after the last sample; Go's XOR appender would instead start at the next byte, which is
   * why Prometheus never appends to an XOR chunk rebuilt from bytes.
   */
  public static XorAppender resume(Chunk chunk) throws CorruptFormatException {
    return resume(chunk, WriterFlavor.PROMETHEUS_3);
  }

  public static XorAppender resume(Chunk chunk, WriterFlavor flavor) throws CorruptFormatException {
    if (chunk.encoding() != ChunkEncoding.XOR) {
      throw new IllegalArgumentException("not an XOR chunk: " + chunk.encoding());
    }
    XorAppender a = new XorAppender(flavor);
    XorIterator it = new XorIterator();
    it.reset(chunk);
    while (it.next() != ValueType.NONE) {
      // Decode to the end for the state.
    }
    a.num = chunk.numSamples();
    if (a.num > 0) {
      a.t = it.atT();
      a.tDelta = it.tDelta();
      a.vBits = it.atValueBits();
      a.leading = it.window() >>> 8;
      a.trailing = it.window() & 0xFF;
      a.w.resumeAt(chunk.copyBytes(), chunk.length(), it.bitPosition());
    }
    return a;
  }

  @Override
  public ChunkEncoding encoding() {
    return ChunkEncoding.XOR;
  }

  @Override
  public int numSamples() {
    return num;
  }

  /** Appends a sample; {@code st} is ignored (XOR stores no start timestamps). */
  @Override
  public void append(long st, long t, double v) {
    appendBits(t, Double.doubleToRawLongBits(v));
  }

  /** Appends {@code (t, v)}. */
  public void append(long t, double v) {
    appendBits(t, Double.doubleToRawLongBits(v));
  }

  /** Appends {@code t} with the value given as IEEE-754 bits (NaN payloads are kept). */
  public void appendBits(long t, long bits) {
    long delta = 0;
    int n = num;
    if (n >= 2) {
      if (n == MAX_SAMPLES) {
        throw new IllegalStateException("XOR chunk capacity of 65535 samples exceeded");
      }
      delta = t - this.t;
      long dod = delta - tDelta;
      long x = bits ^ vBits;
      if (dod == 0) {
        // The common scrape: '0' for the timestamp fused with the value bits.
        if (x == 0) {
          w.writeZeros(2);
        } else if (leading != 0xFF
            && Long.numberOfLeadingZeros(x) >= leading
            && Long.numberOfTrailingZeros(x) >= trailing) {
          w.writePrefixed(0b010, 3, x >>> trailing, 64 - leading - trailing);
        } else {
          writeValue(0, 1, x);
        }
      } else if (Varbit.bitRange(dod, 14)) {
        writeValue((0b10L << 14) | (dod & 0x3FFF), 16, x);
      } else if (Varbit.bitRange(dod, 17)) {
        writeValue((0b110L << 17) | (dod & 0x1FFFF), 20, x);
      } else if (Varbit.bitRange(dod, 20)) {
        writeValue((0b1110L << 20) | (dod & 0xFFFFF), 24, x);
      } else {
        w.writePrefixed(0b1111, 4, dod, 64);
        writeValue(0, 0, x);
      }
    } else if (n == 0) {
      w.writeVarintBytes(t);
      w.writeBits(bits, 64);
    } else {
      delta = t - this.t;
      w.writeUvarintBytes(delta);
      writeValue(0, 0, bits ^ vBits);
    }
    this.t = t;
    this.vBits = bits;
    this.tDelta = delta;
    num = n + 1;
  }

  /**
   * Go's {@code xorWrite} for the delta {@code x}, after the {@code prefixBits} (0..24) bits of
   * {@code prefix} (the sample's dod record), in one write where they fit: '0', '10' and the
   * bits in the current window, or '11' and a new window. Leading zeros are clamped to 31 (5
   * bits) when compared and stored; the window is kept when both counts are at least the
   * window's. For the 2.x spare byte only the last Go write counts, which is the value's.
   */
  private void writeValue(long prefix, int prefixBits, long x) {
    if (x == 0) {
      w.writePrefixed(prefix, prefixBits, 0, 1);
    } else if (leading != 0xFF
        && Long.numberOfLeadingZeros(x) >= leading
        && Long.numberOfTrailingZeros(x) >= trailing) {
      w.writePrefixed((prefix << 2) | 0b10, prefixBits + 2, x >>> trailing, 64 - leading - trailing);
    } else {
      int lead = Math.min(Long.numberOfLeadingZeros(x), 31);
      int trail = Long.numberOfTrailingZeros(x);
      int sig = 64 - lead - trail;
      w.writePrefixed((prefix << 13) | (0b11L << 11) | ((long) lead << 6) | (sig & 63),
          prefixBits + 13, x >>> trail, sig);
      leading = lead;
      trailing = trail;
    }
  }

  /** The chunk as written so far (a copy). */
  @Override
  public Chunk chunk() {
    w.setShort(0, num);
    return Chunk.ofOwned(ChunkEncoding.XOR, w.toByteArray());
  }

  /** Current size of the chunk in bytes. */
  @Override
  public int sizeBytes() {
    return w.byteLength();
  }

  /** Starts a new empty chunk, reusing this appender's buffer. */
  public void reset() {
    w.reset(HEADER_BYTES);
    num = 0;
    t = 0;
    tDelta = 0;
    vBits = 0;
    leading = 0xFF;
    trailing = 0;
  }
}
