package io.promtsdb.chunks;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Sample;

/**
 * Decodes an XOR chunk (encoding 1); see {@link XorAppender} for the layout.
 *
 * <p>Buffered like {@link Xor2Iterator}: {@link #next()} serves samples from a buffer that
 * {@link #fill} refills {@value #BUFFER} samples at a time in one loop with the stream state in
 * local variables: a sample whose dod fits the 14, 17 or 20-bit bucket and whose value is
 * unchanged, in the current window or in a new window costs two or three loads and no call.
 * Everything else (the first two samples, 64-bit dods, the last bytes of the chunk, corrupt
 * records) goes through {@link #decodeOne()}, the general decoder on the fields. An error met
 * while filling is thrown by the call that would have returned the bad sample.
 *
 * <p>The decoder starts with a 0/0 leading/trailing window, so a "reuse window" record before
 * any window was set carries 64 bits, as in Go. Trailing bytes after the last sample
 * (Prometheus 2.x wrote a spare zero byte) are ignored.
 */
public final class XorIterator implements FloatIterator {
  /** Samples decoded per fill. */
  static final int BUFFER = 64;

  private final BitReader br = new BitReader();
  /** False only in tests: every sample goes through {@link #decodeOne()}. */
  private final boolean fastPath;
  private final long[] tBuf = new long[BUFFER];
  private final long[] vBuf = new long[BUFFER];
  /** The served sample's index in the buffers (-1 only inside readBatch). */
  private int cur;
  private int bufLen;
  /** Samples of the chunk before the buffer's first. */
  private int bufStart;
  /** Set once an error was thrown: the iterator is exhausted. */
  private boolean failed;
  private int numTotal;
  private long chunkStartBit;

  // The decoder, after its numDecoded-th sample.
  private int numDecoded;
  private long dT;
  private long tDelta;
  private long dV;
  private int leading;
  private int trailing;
  /** 64 - leading - trailing: the payload bits of a "reuse window" value. */
  private int mbits = 64;
  /** An error met by the decoder: thrown once the samples before it have been served. */
  private CorruptFormatException pending;

  public XorIterator() {
    this(true);
  }

  XorIterator(boolean fastPath) {
    this.fastPath = fastPath;
  }

  /** Starts over on {@code chunk}, which must be an XOR chunk. */
  public void reset(Chunk chunk) {
    if (chunk.encoding() != ChunkEncoding.XOR) {
      throw new IllegalArgumentException("not an XOR chunk: " + chunk.encoding());
    }
    byte[] a = chunk.array();
    int off = chunk.offset();
    br.reset(a, off, off + XorAppender.HEADER_BYTES, off + chunk.length(), chunk.resource(), chunk.origin());
    chunkStartBit = (long) off << 3;
    numTotal = BigEndian.getUnsignedShort(a, off);
    // Before the first next() the accessors read zeros, as Go's.
    cur = 0;
    bufLen = 0;
    bufStart = 0;
    tBuf[0] = 0;
    vBuf[0] = 0;
    failed = false;
    numDecoded = 0;
    pending = null;
    dT = 0;
    tDelta = 0;
    dV = 0;
    leading = 0;
    trailing = 0;
    mbits = 64;
  }

  @Override
  public ChunkEncoding encoding() {
    return ChunkEncoding.XOR;
  }

  @Override
  public ValueType next() throws CorruptFormatException {
    int i = cur + 1;
    if (i < bufLen) {
      cur = i;
      return ValueType.FLOAT;
    }
    return nextBuffer();
  }

  private ValueType nextBuffer() throws CorruptFormatException {
    if (fillBuffer() == 0) {
      throwPending();
      return ValueType.NONE;
    }
    cur = 0;
    return ValueType.FLOAT;
  }

  /**
   * Decodes the next samples into the buffers and returns how many; 0 at the end or at a kept
   * error, leaving the buffers (and so the served sample) as they were.
   */
  private int fillBuffer() {
    int start = numDecoded;
    if (pending != null || start >= numTotal) {
      return 0;
    }
    int k = fill();
    if (k > 0) {
      bufStart = start;
      bufLen = k;
      cur = -1;
    }
    return k;
  }

  /** Throws the kept error, if any; the iterator is exhausted afterwards (as Go's). */
  private void throwPending() throws CorruptFormatException {
    CorruptFormatException e = pending;
    if (e != null) {
      pending = null;
      failed = true;
      throw e;
    }
  }

  /**
   * Decodes up to {@value #BUFFER} samples into the buffers; returns how many. Stops early at the
   * end of the chunk or at an error, which it keeps in {@link #pending}. A sample is stored only
   * once it is wholly decoded.
   */
  private int fill() {
    BitReader r = br;
    byte[] a = r.a;
    // Loads at byte indices up to lim read 8 bytes inside the stream; -1 disables the fast path.
    int lim = fastPath ? r.fastLimit : -1;
    long[] tb = tBuf;
    long[] vb = vBuf;
    int n0 = numDecoded;
    int limit = Math.min(BUFFER, numTotal - n0);
    // Samples 0 and 1 take the general path.
    int fastFrom = 2 - n0;
    int count = 0;
    // The decoder in locals; written back around decodeOne and at the end.
    long pos = r.pos;
    long tt = dT;
    long td = tDelta;
    long v = dV;
    int m = mbits;
    int tr = trailing;
    int ld = leading;
    while (count < limit) {
      // The fast loop: no calls, so the state stays in registers.
      while (count < limit) {
        // One load for the dod, one for the value (and one more for a wide new window).
        int idx = (int) (pos >>> 3);
        if (idx > lim || count < fastFrom) {
          break;
        }
        long w = BigEndian.getLong(a, idx) << (pos & 7);
        if ((w >>> 61) == 0b010 && m <= BitReader.PEEK_BITS - 3) {
          // The commonest sample of regular series: '0' (dod 0) '10' (in the window).
          v ^= ((w << 3) >>> (64 - m)) << tr;
          tt += td;
          pos += 3 + m;
          tb[count] = tt;
          vb[count] = v;
          count++;
          continue;
        }
        long d;
        int used;
        if (w >= 0) {
          d = 0;
          used = 1;
        } else {
          int ones = Long.numberOfLeadingZeros(~w);
          // Go's XOR dods are asymmetric: n bits hold -(2^(n-1)-1) .. 2^(n-1).
          if (ones == 1) {
            d = (w << 2) >>> 50; // '10' + 14 bits
            if (d > (1L << 13)) {
              d -= 1L << 14;
            }
            used = 16;
          } else if (ones == 2) {
            d = (w << 3) >>> 47; // '110' + 17 bits
            if (d > (1L << 16)) {
              d -= 1L << 17;
            }
            used = 20;
          } else if (ones == 3) {
            d = (w << 4) >>> 44; // '1110' + 20 bits
            if (d > (1L << 19)) {
              d -= 1L << 20;
            }
            used = 24;
          } else {
            break;
          }
        }
        // The value record from the same load: after a dod of at most 24 bits, 33 or more of its
        // bits remain; a payload beyond them comes from a second load.
        long vpos = pos + used;
        int avail = BitReader.PEEK_BITS - used;
        long x = w << used;
        long nv = v;
        int nm = m;
        int ntr = tr;
        int nld = ld;
        long npos;
        if (x >= 0) {
          // '0': value unchanged.
          npos = vpos + 1;
        } else if ((x << 1) >= 0) {
          // '10': in the current window.
          long bits;
          if (2 + m <= avail) {
            bits = (x << 2) >>> (64 - m);
          } else {
            long bpos = vpos + 2;
            int bidx = (int) (bpos >>> 3);
            if (m > BitReader.PEEK_BITS || bidx > lim) {
              break;
            }
            bits = (BigEndian.getLong(a, bidx) << (bpos & 7)) >>> (64 - m);
          }
          nv ^= bits << tr;
          npos = vpos + 2 + m;
        } else {
          // '11': leading (5 bits), significant bits (6, 0 meaning 64), the bits.
          int lead = (int) ((x << 2) >>> 59);
          int sig = (int) ((x << 7) >>> 58);
          if (sig == 0 || lead + sig > 64) {
            break;
          }
          long bits;
          if (13 + sig <= avail) {
            bits = (x << 13) >>> (64 - sig);
          } else {
            // Wide windows (typical of gauges): the significant bits from a second load.
            long bpos = vpos + 13;
            int bidx = (int) (bpos >>> 3);
            if (sig > BitReader.PEEK_BITS || bidx > lim) {
              break;
            }
            bits = (BigEndian.getLong(a, bidx) << (bpos & 7)) >>> (64 - sig);
          }
          nld = lead;
          ntr = 64 - lead - sig;
          nm = sig;
          nv ^= bits << ntr;
          npos = vpos + 13 + sig;
        }
        // Commit the sample.
        td += d;
        tt += td;
        v = nv;
        m = nm;
        tr = ntr;
        ld = nld;
        pos = npos;
        tb[count] = tt;
        vb[count] = v;
        count++;
      }
      if (count >= limit) {
        break;
      }
      // Everything else: one sample through decodeOne, with the state handed over and back.
      r.pos = pos;
      numDecoded = n0 + count;
      dT = tt;
      tDelta = td;
      dV = v;
      leading = ld;
      trailing = tr;
      mbits = m;
      try {
        decodeOne();
      } catch (CorruptFormatException e) {
        pending = e;
        numDecoded = numTotal;
        return count;
      }
      pos = r.pos;
      tt = dT;
      td = tDelta;
      v = dV;
      m = mbits;
      tr = trailing;
      ld = leading;
      tb[count] = tt;
      vb[count] = v;
      count++;
    }
    r.pos = pos;
    numDecoded = n0 + count;
    dT = tt;
    tDelta = td;
    dV = v;
    leading = ld;
    trailing = tr;
    mbits = m;
    return count;
  }

  /** The general decoder: one sample, on the fields. */
  private void decodeOne() throws CorruptFormatException {
    int n = numDecoded;
    BitReader r = br;
    long start = r.pos;
    if (n >= 2) {
      long w = r.peek();
      if (w >= 0) {
        // dod == 0.
        dT += tDelta;
        r.pos = start + 1;
        readValue(r);
      } else {
        readDod(r, w, start);
        readValue(r);
      }
    } else if (n == 0) {
      dT = r.readVarint("first timestamp");
      dV = r.readBits(64);
    } else {
      tDelta = r.readUvarint("first timestamp delta");
      dT += tDelta;
      readValue(r);
    }
    if (r.pos > r.end) {
      throw r.overrunError(start, n, numTotal);
    }
    numDecoded = n + 1;
  }

  @Override
  public int readBatch(long[] ts, long[] valueBits, int off, int max) throws CorruptFormatException {
    if (max < 0 || off < 0 || off > ts.length - max || off > valueBits.length - max) {
      throw new IndexOutOfBoundsException("batch of " + max + " at " + off);
    }
    int count = 0;
    while (count < max) {
      int i = cur + 1;
      int k = Math.min(bufLen - i, max - count);
      if (k <= 0) {
        if (fillBuffer() == 0) {
          break;
        }
        continue;
      }
      System.arraycopy(tBuf, i, ts, off + count, k);
      System.arraycopy(vBuf, i, valueBits, off + count, k);
      cur = i + k - 1;
      count += k;
    }
    if (count == 0) {
      throwPending();
    }
    return count;
  }

  /** The timestamp delta-of-delta after a '1' bit: '10' 14 bits, '110' 17, '1110' 20, '1111' 64. */
  private void readDod(BitReader r, long w, long start) {
    int ones = Long.numberOfLeadingZeros(~w);
    long dod;
    if (ones == 1) {
      dod = (w << 2) >>> 50;
      if (dod > (1L << 13)) {
        dod -= 1L << 14;
      }
      r.pos = start + 16;
    } else if (ones == 2) {
      dod = (w << 3) >>> 47;
      if (dod > (1L << 16)) {
        dod -= 1L << 17;
      }
      r.pos = start + 20;
    } else if (ones == 3) {
      dod = (w << 4) >>> 44;
      if (dod > (1L << 19)) {
        dod -= 1L << 20;
      }
      r.pos = start + 24;
    } else {
      r.pos = start + 4;
      dod = r.readBits(64);
    }
    tDelta += dod;
    dT += tDelta;
  }

  /** One {@code <varbit_xor>} value against the previous one. */
  private void readValue(BitReader r) throws CorruptFormatException {
    long w = r.peek();
    if (w >= 0) {
      r.pos++;
      return;
    }
    int m;
    if ((w << 1) >= 0) {
      m = mbits;
      if (m <= BitReader.PEEK_BITS - 2) {
        dV ^= ((w << 2) >>> (64 - m)) << trailing;
        r.pos += 2 + m;
        return;
      }
      r.pos += 2;
    } else {
      int lead = (int) ((w << 2) >>> 59);
      m = (int) ((w << 7) >>> 58);
      if (m == 0) {
        m = 64;
      }
      if (lead + m > 64) {
        throw r.corruptAt(r.pos, "XOR window of " + lead + " leading zeros and " + m
            + " significant bits exceeds 64 bits");
      }
      leading = lead;
      trailing = 64 - lead - m;
      mbits = m;
      if (m <= BitReader.PEEK_BITS - 13) {
        dV ^= ((w << 13) >>> (64 - m)) << trailing;
        r.pos += 13 + m;
        return;
      }
      r.pos += 13;
    }
    dV ^= r.readBits(m) << trailing;
  }

  @Override
  public ValueType seek(long ts) throws CorruptFormatException {
    while (ts > atT() || samplesRead() == 0) {
      if (next() == ValueType.NONE) {
        return ValueType.NONE;
      }
    }
    return ValueType.FLOAT;
  }

  @Override
  public long atT() {
    return tBuf[cur];
  }

  @Override
  public long atST() {
    return 0;
  }

  @Override
  public double atValue() {
    return Double.longBitsToDouble(vBuf[cur]);
  }

  @Override
  public long atValueBits() {
    return vBuf[cur];
  }

  @Override
  public Sample at() {
    return new Sample.FloatSample(atT(), 0, atValue());
  }

  @Override
  public int samplesRead() {
    return failed ? numTotal : bufLen == 0 ? 0 : bufStart + cur + 1;
  }

  long tDelta() {
    return tDelta;
  }

  int window() {
    return (leading << 8) | trailing;
  }

  /** Bit position in the chunk (0 = first bit of byte 0). */
  long bitPosition() {
    return br.pos - chunkStartBit;
  }
}
