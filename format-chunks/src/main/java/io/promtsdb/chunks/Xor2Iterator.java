package io.promtsdb.chunks;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Sample;
import io.promtsdb.core.Values;

/**
 * Decodes an XOR2 chunk (encoding 4); see {@link Xor2Appender} for the layout.
 *
 * <p>Buffered: {@link #next()} serves samples from a small buffer that {@link #fill} refills
 * {@value #BUFFER} samples at a time, in one loop with the whole decoder state (bit position,
 * time, delta, XOR baseline and window, start-timestamp difference) in local variables. The loop
 * decodes the common samples from one to three 64-bit loads of the stream while 8 bytes remain
 * (control '0'; '10' with the value in the window or a new window; '110' and '1110' dods with any
 * value record; '11111'; start-timestamp changes of up to 25 bits); every other sample (the first
 * two, 64-bit dods, windows wider than a load, the last bytes of the chunk, corrupt records) goes
 * through {@link #decodeOne()}, the general decoder that works on the fields, so both paths
 * decode the same bits the same way. Nothing in the fast loop can run past the end: it only
 * consumes bits of loads that lie wholly inside the stream.
 *
 * <p>The iterator distinguishes the served sample ({@link #atT()}, ...; {@link #samplesRead()})
 * from the decoder, which may be up to {@value #BUFFER} samples ahead. An error met while filling
 * is kept until the samples before it have been served and is thrown by the call that would
 * have returned the bad sample, as an unbuffered decoder would.
 */
public final class Xor2Iterator implements FloatIterator {
  /** Samples decoded per fill. */
  static final int BUFFER = 64;

  private final BitReader br = new BitReader();
  /** False only in tests: every sample goes through {@link #decodeOne()}. */
  private final boolean fastPath;
  private final long[] tBuf = new long[BUFFER];
  private final long[] vBuf = new long[BUFFER];
  private final long[] stBuf = new long[BUFFER];
  /** The served sample's index in the buffers (-1 only inside readBatch). */
  private int cur;
  private int bufLen;
  /** Samples of the chunk before the buffer's first. */
  private int bufStart;
  /** Set once an error was thrown: the iterator is exhausted. */
  private boolean failed;
  private int numTotal;
  private boolean firstSTKnown;
  private int firstSTChangeOn;
  private long chunkStartBit;

  // The decoder, after its numDecoded-th sample.
  private int numDecoded;
  private long dSt;
  /** The start timestamp of every sample before firstSTChangeOn (all, if it is 0). */
  private long st0;
  private long dT;
  /** The value decodeOne decoded. */
  private long dV;
  private long tDelta;
  private long stDiff;
  private long baseline;
  private int leading;
  private int trailing;
  /** 64 - leading - trailing. */
  private int mbits = 64;
  /** An error met by the decoder: thrown once the samples before it have been served. */
  private CorruptFormatException pending;

  public Xor2Iterator() {
    this(true);
  }

  Xor2Iterator(boolean fastPath) {
    this.fastPath = fastPath;
  }

  /** Starts over on {@code chunk}, which must be an XOR2 chunk. */
  public void reset(Chunk chunk) {
    if (chunk.encoding() != ChunkEncoding.XOR2) {
      throw new IllegalArgumentException("not an XOR2 chunk: " + chunk.encoding());
    }
    byte[] a = chunk.array();
    int off = chunk.offset();
    br.reset(a, off, off + Xor2Appender.HEADER_BYTES, off + chunk.length(), chunk.resource(), chunk.origin());
    chunkStartBit = (long) off << 3;
    numTotal = BigEndian.getUnsignedShort(a, off);
    int stHeader = a[off + 2] & 0xFF;
    firstSTKnown = (stHeader & 0x80) != 0;
    firstSTChangeOn = stHeader & 0x7F;
    // Before the first next() the accessors read zeros, as Go's.
    cur = 0;
    bufLen = 0;
    bufStart = 0;
    tBuf[0] = 0;
    vBuf[0] = 0;
    stBuf[0] = 0;
    st0 = 0;
    failed = false;
    numDecoded = 0;
    pending = null;
    dSt = 0;
    dT = 0;
    tDelta = 0;
    stDiff = 0;
    baseline = 0;
    leading = 0;
    trailing = 0;
    mbits = 64;
  }

  @Override
  public ChunkEncoding encoding() {
    return ChunkEncoding.XOR2;
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
    long[] sb = stBuf;
    int n0 = numDecoded;
    int limit = Math.min(BUFFER, numTotal - n0);
    // Buffer indices: samples 0 and 1 take the general path; ST data from firstSTChangeOn on.
    int fastFrom = 2 - n0;
    int stFrom = firstSTChangeOn > 0 ? firstSTChangeOn - n0 : Integer.MAX_VALUE;
    int count = 0;
    // The decoder in locals; written back around decodeOne and at the end.
    long pos = r.pos;
    long tt = dT;
    long td = tDelta;
    long base = baseline;
    long sd = stDiff;
    long s = dSt;
    int m = mbits;
    int tr = trailing;
    while (count < limit) {
      // The fast loop: no calls, so the state stays in registers.
      while (count < limit) {
        int idx = (int) (pos >>> 3);
        if (idx > lim || count < fastFrom) {
          break;
        }
        long w = BigEndian.getLong(a, idx) << (pos & 7);
        long ntd = td;
        long nv = base;
        long nbase = base;
        int nm = m;
        int ntr = tr;
        long npos;
        if (w >= 0) {
          // '0': same delta, same value.
          npos = pos + 1;
        } else {
          // The control prefix and the value record's prefix, from this load: kind 0 value
          // unchanged, 1 in the window, 2 new window, 3 stale; vo is the bit offset in w after
          // both prefixes (and the dod). After '10' the value prefix is '0' window / '1' new;
          // after a dod '0' unchanged / '10' window / '110' new / '111' stale.
          int kind;
          int vo;
          if ((w << 1) >= 0) {
            kind = (w << 2) >= 0 ? 1 : 2;
            vo = 3;
          } else if ((w << 2) >= 0) {
            ntd += (w << 3) >> 51; // '110' + 13-bit dod, two's complement
            long x = w << 16;
            if (x >= 0) {
              kind = 0;
              vo = 17;
            } else if ((x << 1) >= 0) {
              kind = 1;
              vo = 18;
            } else {
              kind = (x << 2) >= 0 ? 2 : 3;
              vo = 19;
            }
          } else if ((w << 3) >= 0) {
            ntd += (w << 4) >> 44; // '1110' + 20-bit dod, two's complement
            long x = w << 24;
            if (x >= 0) {
              kind = 0;
              vo = 25;
            } else if ((x << 1) >= 0) {
              kind = 1;
              vo = 26;
            } else {
              kind = (x << 2) >= 0 ? 2 : 3;
              vo = 27;
            }
          } else if ((w << 4) < 0) {
            // '11111': same delta, stale marker.
            kind = 3;
            vo = 5;
          } else {
            // '11110': 64-bit dod.
            break;
          }
          if (kind == 1) {
            int end = vo + m;
            long bits;
            if (end <= BitReader.PEEK_BITS) {
              bits = (w << vo) >>> (64 - m);
            } else {
              long bp = pos + vo;
              if (m > BitReader.PEEK_BITS || (int) (bp >>> 3) > lim) {
                break;
              }
              bits = (BigEndian.getLong(a, (int) (bp >>> 3)) << (bp & 7)) >>> (64 - m);
            }
            nv = base ^ (bits << tr);
            nbase = nv;
            npos = pos + end;
          } else if (kind == 2) {
            // leading (5 bits) and significant bits (6, 0 meaning 64): within this load as vo <= 27.
            int lead = (int) ((w << vo) >>> 59);
            int sig = (int) ((w << (vo + 5)) >>> 58);
            if (sig == 0 || lead + sig > 64) {
              break;
            }
            int hdr = vo + 11;
            int end = hdr + sig;
            long bits;
            if (end <= BitReader.PEEK_BITS) {
              bits = (w << hdr) >>> (64 - sig);
            } else {
              // Wide windows (typical of gauges): the significant bits from a second load.
              long bp = pos + hdr;
              if (sig > BitReader.PEEK_BITS || (int) (bp >>> 3) > lim) {
                break;
              }
              bits = (BigEndian.getLong(a, (int) (bp >>> 3)) << (bp & 7)) >>> (64 - sig);
            }
            nm = sig;
            ntr = 64 - lead - sig;
            nv = base ^ (bits << ntr);
            nbase = nv;
            npos = pos + end;
          } else {
            if (kind == 3) {
              // Stale: the baseline stays.
              nv = Values.STALE_NAN_BITS;
            }
            npos = pos + vo;
          }
        }
        long ns = s;
        long nsd = sd;
        if (count >= stFrom) {
          // The start timestamp's <varbit_int> change of prevT - st (at most 32 bits here): from
          // the sample's load while it has them, else from another.
          int u = (int) (npos - pos);
          long sw;
          if (u <= BitReader.PEEK_BITS - 32) {
            sw = w << u;
          } else {
            int sidx = (int) (npos >>> 3);
            if (sidx > lim) {
              break;
            }
            sw = BigEndian.getLong(a, sidx) << (npos & 7);
          }
          int sones = Long.numberOfLeadingZeros(~sw);
          if (sones > 6) {
            break;
          }
          // As BitReader.readVarbitInt, without a branch on the size.
          int sz = (int) (BitReader.VARBIT_PAYLOAD_LANES >>> (sones << 3)) & 0xFF;
          long raw = ((sw << sones << 1) >>> 1) >>> (63 - sz);
          long full = 1L << sz;
          long sdod = raw - (full & (((full >>> 1) - raw) >> 63));
          npos += sones + 1 + sz;
          nsd = count == stFrom ? sdod : sd + sdod;
          ns = tt - nsd;
          // Only samples from firstSTChangeOn on have their own start timestamp (see atST).
          sb[count] = ns;
        }
        // Commit the sample.
        td = ntd;
        tt += ntd;
        base = nbase;
        m = nm;
        tr = ntr;
        sd = nsd;
        s = ns;
        pos = npos;
        tb[count] = tt;
        vb[count] = nv;
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
      baseline = base;
      stDiff = sd;
      dSt = s;
      mbits = m;
      trailing = tr;
      leading = 64 - m - tr;
      long v;
      try {
        v = decodeOne();
      } catch (CorruptFormatException e) {
        pending = e;
        numDecoded = numTotal;
        return count;
      }
      pos = r.pos;
      tt = dT;
      td = tDelta;
      base = baseline;
      sd = stDiff;
      s = dSt;
      m = mbits;
      tr = trailing;
      tb[count] = tt;
      vb[count] = v;
      sb[count] = s;
      count++;
    }
    r.pos = pos;
    numDecoded = n0 + count;
    dT = tt;
    tDelta = td;
    baseline = base;
    stDiff = sd;
    dSt = s;
    mbits = m;
    trailing = tr;
    leading = 64 - m - tr;
    return count;
  }

  /** The general decoder: one sample, on the fields. */
  private long decodeOne() throws CorruptFormatException {
    int n = numDecoded;
    BitReader r = br;
    long start = r.pos;
    long prevT = dT;
    if (n >= 2) {
      long w = r.peek();
      if (w >= 0) {
        // '0': same delta, same value.
        r.pos = start + 1;
        dT += tDelta;
        dV = baseline;
      } else {
        int ones = Long.numberOfLeadingZeros(~w);
        switch (ones) {
          case 1 -> {
            // '10': same delta, value changed: '0' reuse window, '1' new window.
            dT += tDelta;
            int m = 64 - leading - trailing;
            r.pos = start + 3;
            if ((w << 2) >= 0) {
              dV = baseline ^ (r.readBits(m) << trailing);
              baseline = dV;
            } else {
              readNewWindow(r);
            }
          }
          case 2 -> {
            long dod = (w << 3) >> 51; // 13 bits, two's complement
            r.pos = start + 16;
            tDelta += dod;
            dT += tDelta;
            readValue(r);
          }
          case 3 -> {
            long dod = (w << 4) >> 44; // 20 bits, two's complement
            r.pos = start + 24;
            tDelta += dod;
            dT += tDelta;
            readValue(r);
          }
          case 4 -> {
            r.pos = start + 5;
            tDelta += r.readBits(64);
            dT += tDelta;
            readValue(r);
          }
          default -> {
            // '11111': same delta, stale marker.
            r.pos = start + 5;
            dT += tDelta;
            dV = Values.STALE_NAN_BITS;
          }
        }
      }
      if (firstSTChangeOn > 0 && n >= firstSTChangeOn) {
        long sdod = r.readVarbitInt();
        stDiff = n == firstSTChangeOn ? sdod : stDiff + sdod;
        dSt = prevT - stDiff;
      }
    } else if (n == 0) {
      dT = r.readVarint("first timestamp");
      dV = r.readBits(64);
      if (dV != Values.STALE_NAN_BITS) {
        baseline = dV;
      }
      if (firstSTKnown) {
        dSt = dT - r.readVarint("first start timestamp");
      }
      st0 = dSt;
    } else {
      tDelta = r.readUvarint("first timestamp delta");
      dT += tDelta;
      readValue(r);
      if (firstSTChangeOn == 1) {
        stDiff = r.readVarbitInt();
        dSt = prevT - stDiff;
      }
    }
    if (r.pos > r.end) {
      throw r.overrunError(start, n, numTotal);
    }
    numDecoded = n + 1;
    return dV;
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

  /** {@code <varbit_xor2>}: '0' unchanged, '10' reuse window, '110' new window, '111' stale. */
  private void readValue(BitReader r) throws CorruptFormatException {
    long w = r.peek();
    if (w >= 0) {
      r.pos++;
      dV = baseline;
      return;
    }
    if ((w << 1) >= 0) {
      int m = 64 - leading - trailing;
      if (m <= BitReader.PEEK_BITS - 2) {
        dV = baseline ^ (((w << 2) >>> (64 - m)) << trailing);
        r.pos += 2 + m;
      } else {
        r.pos += 2;
        dV = baseline ^ (r.readBits(m) << trailing);
      }
      baseline = dV;
      return;
    }
    r.pos += 3;
    if ((w << 2) >= 0) {
      readNewWindow(r);
    } else {
      dV = Values.STALE_NAN_BITS;
    }
  }

  /** leading(5) sigbits(6, 0 = 64) and the significant bits; updates value and baseline. */
  private void readNewWindow(BitReader r) throws CorruptFormatException {
    long w = r.peek();
    int lead = (int) (w >>> 59);
    int m = (int) ((w << 5) >>> 58);
    if (m == 0) {
      m = 64;
    }
    if (lead + m > 64) {
      throw r.corruptAt(r.pos, "XOR2 window of " + lead + " leading zeros and " + m
          + " significant bits exceeds 64 bits");
    }
    leading = lead;
    trailing = 64 - lead - m;
    mbits = m;
    long bits;
    if (m <= BitReader.PEEK_BITS - 11) {
      bits = (w << 11) >>> (64 - m);
      r.pos += 11 + m;
    } else {
      r.pos += 11;
      bits = r.readBits(m);
    }
    dV = baseline ^ (bits << trailing);
    baseline = dV;
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
    int stOn = firstSTChangeOn;
    return stOn > 0 && bufStart + cur >= stOn ? stBuf[cur] : st0;
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
    return new Sample.FloatSample(atT(), atST(), atValue());
  }

  @Override
  public int samplesRead() {
    return failed ? numTotal : bufLen == 0 ? 0 : bufStart + cur + 1;
  }

  long tDelta() {
    return tDelta;
  }

  long stDiff() {
    return stDiff;
  }

  long baselineBits() {
    return baseline;
  }

  int window() {
    return (leading << 8) | trailing;
  }

  int firstSTChangeOn() {
    return firstSTChangeOn;
  }

  /** Bit position in the chunk (0 = first bit of byte 0). */
  long bitPosition() {
    return br.pos - chunkStartBit;
  }
}
