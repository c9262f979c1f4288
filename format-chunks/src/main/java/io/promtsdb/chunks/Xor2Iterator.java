package io.promtsdb.chunks;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Sample;
import io.promtsdb.core.Values;

/**
 * Decodes an XOR2 chunk (encoding 4); see {@link Xor2Appender} for the layout. The joint
 * control prefix is read from one 64-bit peek; the common "same delta, same value" sample is a
 * single bit.
 */
public final class Xor2Iterator implements FloatIterator {
  private final BitReader br = new BitReader();
  private int numTotal;
  private int numRead;
  private boolean firstSTKnown;
  private int firstSTChangeOn;
  private long st;
  private long t;
  private long tDelta;
  private long stDiff;
  private long vBits;
  private long baseline;
  private int leading;
  private int trailing;
  /** 64 - leading - trailing. */
  private int mbits = 64;
  private long chunkStartBit;
  /** An error met by readBatch after it had decoded samples: thrown by the next call. */
  private CorruptFormatException pending;

  public Xor2Iterator() {}

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
    numRead = 0;
    pending = null;
    st = 0;
    t = 0;
    tDelta = 0;
    stDiff = 0;
    vBits = 0;
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
    int n = numRead;
    if (n >= numTotal) {
      if (pending != null) {
        CorruptFormatException e = pending;
        pending = null;
        throw e;
      }
      return ValueType.NONE;
    }
    BitReader r = br;
    long start = r.pos;
    long prevT = t;
    if (n >= 2) {
      long w = r.peek();
      if (w >= 0) {
        // '0': same delta, same value.
        r.pos = start + 1;
        t += tDelta;
        vBits = baseline;
      } else {
        int ones = Long.numberOfLeadingZeros(~w);
        switch (ones) {
          case 1 -> {
            // '10': same delta, value changed: '0' reuse window, '1' new window.
            t += tDelta;
            int m = 64 - leading - trailing;
            if ((w << 2) >= 0 && m <= BitReader.PEEK_BITS - 3) {
              vBits = baseline ^ (((w << 3) >>> (64 - m)) << trailing);
              baseline = vBits;
              r.pos = start + 3 + m;
            } else if ((w << 2) >= 0) {
              r.pos = start + 3;
              vBits = baseline ^ (r.readBits(m) << trailing);
              baseline = vBits;
            } else {
              r.pos = start + 3;
              readNewWindow(r);
            }
          }
          case 2 -> {
            long dod = (w << 3) >> 51; // 13 bits, two's complement
            r.pos = start + 16;
            tDelta += dod;
            t += tDelta;
            readValue(r);
          }
          case 3 -> {
            long dod = (w << 4) >> 44; // 20 bits, two's complement
            r.pos = start + 24;
            tDelta += dod;
            t += tDelta;
            readValue(r);
          }
          case 4 -> {
            r.pos = start + 5;
            tDelta += r.readBits(64);
            t += tDelta;
            readValue(r);
          }
          default -> {
            // '11111': same delta, stale marker.
            r.pos = start + 5;
            t += tDelta;
            vBits = Values.STALE_NAN_BITS;
          }
        }
      }
      if (firstSTChangeOn > 0 && n >= firstSTChangeOn) {
        long sdod = r.readVarbitInt();
        stDiff = n == firstSTChangeOn ? sdod : stDiff + sdod;
        st = prevT - stDiff;
      }
    } else if (n == 0) {
      t = r.readVarint("first timestamp");
      vBits = r.readBits(64);
      if (vBits != Values.STALE_NAN_BITS) {
        baseline = vBits;
      }
      if (firstSTKnown) {
        st = t - r.readVarint("first start timestamp");
      }
    } else {
      tDelta = r.readUvarint("first timestamp delta");
      t += tDelta;
      readValue(r);
      if (firstSTChangeOn == 1) {
        stDiff = r.readVarbitInt();
        st = prevT - stDiff;
      }
    }
    if (r.pos > r.end) {
      numRead = numTotal;
      throw r.overrunError(start, n, numTotal);
    }
    numRead = n + 1;
    return ValueType.FLOAT;
  }

  @Override
  public int readBatch(long[] ts, long[] valueBits, int off, int max) throws CorruptFormatException {
    if (max < 0 || off < 0 || off > ts.length - max || off > valueBits.length - max) {
      throw new IndexOutOfBoundsException("batch of " + max + " at " + off);
    }
    if (pending != null) {
      CorruptFormatException e = pending;
      pending = null;
      throw e;
    }
    BitReader r = br;
    byte[] a = r.a;
    int lim = r.fastLimit;
    int total = numTotal;
    int count = 0;
    while (count < max) {
      int n = numRead;
      if (n >= total) {
        break;
      }
      long pos = r.pos;
      int idx = (int) (pos >>> 3);
      if (n >= 2 && idx <= lim) {
        long w = BigEndian.getLong(a, idx) << (pos & 7);
        long td = tDelta;
        long v = baseline;
        int used;
        int m = mbits;
        if (w >= 0) {
          // '0': same delta, same value.
          used = 1;
        } else if ((w << 1) >= 0) {
          // '10' then '0' + window bits: same delta, value in the window.
          if ((w << 2) >= 0 && 3 + m <= BitReader.PEEK_BITS - 1) {
            v ^= ((w << 3) >>> (64 - m)) << trailing;
            used = 3 + m;
          } else {
            used = -1;
          }
        } else if ((w << 2) >= 0) {
          // '110' + 13-bit dod, then '0' (unchanged) or '10' + window bits.
          td += (w << 3) >> 51;
          long x = w << 16;
          if (x >= 0) {
            used = 17;
          } else if ((x << 1) >= 0 && 18 + m <= BitReader.PEEK_BITS - 1) {
            v ^= ((x << 2) >>> (64 - m)) << trailing;
            used = 18 + m;
          } else {
            used = -1;
          }
        } else {
          used = -1;
        }
        // Start timestamps: only an unchanged ST difference (a single 0 bit) stays on this path.
        boolean stActive = firstSTChangeOn > 0 && n >= firstSTChangeOn;
        if (used > 0 && (!stActive || (w << used) >= 0)) {
          if (stActive) {
            used++;
            stDiff = n == firstSTChangeOn ? 0 : stDiff;
            st = t - stDiff;
          }
          t += td;
          tDelta = td;
          vBits = v;
          baseline = v;
          r.pos = pos + used;
          numRead = n + 1;
          ts[off + count] = t;
          valueBits[off + count] = v;
          count++;
          continue;
        }
      }
      ValueType vt;
      try {
        vt = next();
      } catch (CorruptFormatException e) {
        if (count == 0) {
          throw e;
        }
        // Keep what was decoded; the caller gets the error on its next call.
        pending = e;
        return count;
      }
      if (vt == ValueType.NONE) {
        break;
      }
      ts[off + count] = t;
      valueBits[off + count] = vBits;
      count++;
    }
    return count;
  }

  /** {@code <varbit_xor2>}: '0' unchanged, '10' reuse window, '110' new window, '111' stale. */
  private void readValue(BitReader r) throws CorruptFormatException {
    long w = r.peek();
    if (w >= 0) {
      r.pos++;
      vBits = baseline;
      return;
    }
    if ((w << 1) >= 0) {
      int m = 64 - leading - trailing;
      if (m <= BitReader.PEEK_BITS - 2) {
        vBits = baseline ^ (((w << 2) >>> (64 - m)) << trailing);
        r.pos += 2 + m;
      } else {
        r.pos += 2;
        vBits = baseline ^ (r.readBits(m) << trailing);
      }
      baseline = vBits;
      return;
    }
    r.pos += 3;
    if ((w << 2) >= 0) {
      readNewWindow(r);
    } else {
      vBits = Values.STALE_NAN_BITS;
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
    vBits = baseline ^ (bits << trailing);
    baseline = vBits;
  }

  @Override
  public ValueType seek(long ts) throws CorruptFormatException {
    while (ts > t || numRead == 0) {
      if (next() == ValueType.NONE) {
        return ValueType.NONE;
      }
    }
    return ValueType.FLOAT;
  }

  @Override
  public long atT() {
    return t;
  }

  @Override
  public long atST() {
    return st;
  }

  @Override
  public double atValue() {
    return Double.longBitsToDouble(vBits);
  }

  @Override
  public long atValueBits() {
    return vBits;
  }

  @Override
  public Sample at() {
    return new Sample.FloatSample(t, st, Double.longBitsToDouble(vBits));
  }

  @Override
  public int samplesRead() {
    return numRead;
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
