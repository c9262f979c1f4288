package io.promtsdb.chunks;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Sample;

/**
 * Decodes an XOR chunk (encoding 1); see {@link XorAppender} for the layout.
 *
 * <p>The loop for samples 2 and later works on one 64-bit peek of the stream: a sample whose
 * timestamp delta did not change and whose value is unchanged or fits the current XOR window
 * (the common case for regular scrapes) costs one load, a few shifts and no call. The decoder
 * starts with a 0/0 leading/trailing window, so a "reuse window" record before any window was
 * set carries 64 bits, as in Go. Trailing bytes after the last sample (Prometheus 2.x wrote a
 * spare zero byte) are ignored.
 */
public final class XorIterator implements FloatIterator {
  private final BitReader br = new BitReader();
  private int numTotal;
  private int numRead;
  private long t;
  private long tDelta;
  private long vBits;
  private int leading;
  private int trailing;
  /** 64 - leading - trailing: the payload bits of a "reuse window" value. */
  private int mbits = 64;
  private long chunkStartBit;
  /** An error met by readBatch after it had decoded samples: thrown by the next call. */
  private CorruptFormatException pending;

  public XorIterator() {}

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
    numRead = 0;
    pending = null;
    t = 0;
    tDelta = 0;
    vBits = 0;
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
    if (n >= 2) {
      // Inline peek: the stream state stays in registers on the common path.
      int idx = (int) (start >>> 3);
      long w = idx <= r.fastLimit ? BigEndian.getLong(r.a, idx) << (start & 7) : r.peek();
      if (w >= 0) {
        // dod == 0.
        t += tDelta;
        int m = mbits;
        if ((w << 1) >= 0) {
          r.pos = start + 2;
        } else if ((w << 2) >= 0 && m <= BitReader.PEEK_BITS - 3) {
          // Value XOR fits the current window: '0' '10' bits.
          vBits ^= ((w << 3) >>> (64 - m)) << trailing;
          r.pos = start + 3 + m;
        } else {
          r.pos = start + 1;
          readValue(r);
        }
      } else {
        readDod(r, w, start);
        readValue(r);
      }
    } else if (n == 0) {
      t = r.readVarint("first timestamp");
      vBits = r.readBits(64);
    } else {
      tDelta = r.readUvarint("first timestamp delta");
      t += tDelta;
      readValue(r);
    }
    if (r.pos > r.end) {
      numRead = numTotal;
      throw r.overrunError(start, n, numTotal);
    }
    numRead = n + 1;
    return ValueType.FLOAT;
  }

  /**
   * Decodes up to {@code max} further samples into {@code ts[off..]} and {@code valueBits[off..]}
   * and returns how many; 0 when the chunk is exhausted. The iterator then points at the last
   * sample decoded, so batches and {@link #next()} can be mixed.
   *
   * <p>The fastest way through a chunk: the common samples (unchanged timestamp delta or one
   * within the 14-bit bucket, value unchanged or within the current XOR window) are decoded in
   * one loop with the whole stream state in local variables.
   */
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
    // The whole state in locals; written back before the general path and at the end.
    long pos = r.pos;
    int n = numRead;
    long tt = t;
    long td = tDelta;
    long vb = vBits;
    int m = mbits;
    int tr = trailing;
    int ld = leading;
    while (count < max && n < total) {
      // Two peeks per sample, one for the timestamp and one for the value, both while 8 bytes
      // remain; the rare rest (64-bit dods, values wider than a peek, the chunk's end) goes
      // through next().
      int idx = (int) (pos >>> 3);
      if (n >= 2 && idx <= lim) {
        long w = BigEndian.getLong(a, idx) << (pos & 7);
        long d;
        int used;
        if (w >= 0) {
          d = 0;
          used = 1;
        } else {
          int ones = Long.numberOfLeadingZeros(~w);
          if (ones == 1) {
            d = (w << 2) >>> 50;
            if (d > (1L << 13)) {
              d -= 1L << 14;
            }
            used = 16;
          } else if (ones == 2) {
            d = (w << 3) >>> 47;
            if (d > (1L << 16)) {
              d -= 1L << 17;
            }
            used = 20;
          } else if (ones == 3) {
            d = (w << 4) >>> 44;
            if (d > (1L << 19)) {
              d -= 1L << 20;
            }
            used = 24;
          } else {
            d = 0;
            used = 0;
          }
        }
        long vpos = pos + used;
        int vidx = (int) (vpos >>> 3);
        if (used != 0 && vidx <= lim) {
          long v = BigEndian.getLong(a, vidx) << (vpos & 7);
          long nvb = vb;
          int vused;
          if (v >= 0) {
            vused = 1;
          } else if ((v << 1) >= 0) {
            if (m <= BitReader.PEEK_BITS - 2) {
              nvb ^= ((v << 2) >>> (64 - m)) << tr;
              vused = 2 + m;
            } else {
              vused = 0;
            }
          } else {
            int lead = (int) ((v << 2) >>> 59);
            int sig = (int) ((v << 7) >>> 58);
            vused = 0;
            if (sig != 0 && lead + sig <= 64) {
              long bits;
              if (sig <= BitReader.PEEK_BITS - 13) {
                bits = (v << 13) >>> (64 - sig);
                vused = 13 + sig;
              } else {
                // Wide values (typical of gauges): the significant bits from a third peek.
                long bpos = vpos + 13;
                int bidx = (int) (bpos >>> 3);
                if (sig <= BitReader.PEEK_BITS && bidx <= lim) {
                  bits = (BigEndian.getLong(a, bidx) << (bpos & 7)) >>> (64 - sig);
                  vused = 13 + sig;
                } else {
                  bits = 0;
                }
              }
              if (vused != 0) {
                ld = lead;
                tr = 64 - lead - sig;
                m = sig;
                nvb ^= bits << tr;
              }
            }
          }
          if (vused != 0) {
            vb = nvb;
            td += d;
            tt += td;
            pos = vpos + vused;
            n++;
            ts[off + count] = tt;
            valueBits[off + count] = vb;
            count++;
            continue;
          }
        }
      }
      // Everything else: one sample through next(), with the state handed over and back.
      r.pos = pos;
      numRead = n;
      t = tt;
      tDelta = td;
      vBits = vb;
      leading = ld;
      trailing = tr;
      mbits = m;
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
        return count;
      }
      pos = r.pos;
      n = numRead;
      tt = t;
      td = tDelta;
      vb = vBits;
      m = mbits;
      tr = trailing;
      ld = leading;
      ts[off + count] = tt;
      valueBits[off + count] = vb;
      count++;
    }
    r.pos = pos;
    numRead = n;
    t = tt;
    tDelta = td;
    vBits = vb;
    leading = ld;
    trailing = tr;
    mbits = m;
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
    t += tDelta;
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
        vBits ^= ((w << 2) >>> (64 - m)) << trailing;
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
        vBits ^= ((w << 13) >>> (64 - m)) << trailing;
        r.pos += 13 + m;
        return;
      }
      r.pos += 13;
    }
    vBits ^= r.readBits(m) << trailing;
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
    return 0;
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
    return new Sample.FloatSample(t, 0, Double.longBitsToDouble(vBits));
  }

  @Override
  public int samplesRead() {
    return numRead;
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
