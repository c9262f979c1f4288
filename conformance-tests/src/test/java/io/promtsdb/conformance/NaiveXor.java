package io.promtsdb.conformance;

import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Sample;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A small, independent XOR chunk codec (Prometheus 3.x bytes) written from Go's {@code
 * xor.go}, with switches that plant the mistakes implementations make. With every switch off
 * it must pass the corpus's XOR cases; each switch must make at least one case fail.
 */
final class NaiveXor {
  /** dod buckets as plain two's complement ({@code -2^(n-1) .. 2^(n-1)-1}) instead of Go's {@code -(2^(n-1)-1) .. 2^(n-1)}. */
  boolean twosComplementDodBuckets;
  /** No clamp of leading zeros to 31 (5 bits can hold 31 at most). */
  boolean unclampedLeadingZeros;
  /** Values through {@code doubleToLongBits}, which turns every NaN into one (stale markers lost). */
  boolean canonicalNaN;

  byte[] encode(List<Sample> samples) {
    Bits w = new Bits();
    w.bits(samples.size(), 16);
    long t = 0;
    long tDelta = 0;
    long v = 0;
    int leading = 0xFF;
    int trailing = 0;
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      long ts = s.timestamp();
      long bits = valueBits(((Sample.FloatSample) s).value());
      if (i == 0) {
        long zz = (ts << 1) ^ (ts >> 63);
        w.uvarintBytes(zz);
        w.bits(bits, 64);
      } else if (i == 1) {
        tDelta = ts - t;
        w.uvarintBytes(tDelta);
      } else {
        long d = ts - t;
        long dod = d - tDelta;
        tDelta = d;
        if (dod == 0) {
          w.bits(0, 1);
        } else if (inRange(dod, 14)) {
          w.bits(0b10, 2);
          w.bits(dod, 14);
        } else if (inRange(dod, 17)) {
          w.bits(0b110, 3);
          w.bits(dod, 17);
        } else if (inRange(dod, 20)) {
          w.bits(0b1110, 4);
          w.bits(dod, 20);
        } else {
          w.bits(0b1111, 4);
          w.bits(dod, 64);
        }
      }
      if (i > 0) {
        long delta = bits ^ v;
        if (delta == 0) {
          w.bits(0, 1);
        } else {
          w.bits(1, 1);
          int lz = Long.numberOfLeadingZeros(delta);
          int tz = Long.numberOfTrailingZeros(delta);
          if (lz >= 32 && !unclampedLeadingZeros) {
            lz = 31;
          }
          if (leading != 0xFF && lz >= leading && tz >= trailing) {
            w.bits(0, 1);
            w.bits(delta >>> trailing, 64 - leading - trailing);
          } else {
            leading = lz;
            trailing = tz;
            w.bits(1, 1);
            w.bits(lz, 5);
            int sig = 64 - lz - tz;
            w.bits(sig, 6);
            w.bits(delta >>> tz, sig);
          }
        }
      }
      t = ts;
      v = bits;
    }
    return w.bytes();
  }

  List<Sample> decode(byte[] data) throws CorruptFormatException {
    if (data.length < 2) {
      throw new CorruptFormatException("xor", 0, "no header");
    }
    Reader r = new Reader(data);
    int n = (int) r.bits(16);
    List<Sample> out = new ArrayList<>(n);
    long t = 0;
    long tDelta = 0;
    long v = 0;
    int leading = 0;
    int trailing = 0;
    for (int i = 0; i < n; i++) {
      if (i == 0) {
        long zz = r.uvarintBytes();
        t = (zz >>> 1) ^ -(zz & 1);
        v = r.bits(64);
      } else {
        if (i == 1) {
          tDelta = r.uvarintBytes();
        } else {
          int prefix = 0;
          int width = 0;
          for (; prefix < 4; prefix++) {
            if (r.bits(1) == 0) {
              break;
            }
          }
          long dod;
          switch (prefix) {
            case 0 -> dod = 0;
            case 1 -> width = 14;
            case 2 -> width = 17;
            case 3 -> width = 20;
            default -> width = 64;
          }
          if (prefix == 0) {
            dod = 0;
          } else if (width == 64) {
            dod = r.bits(64);
          } else {
            long b = r.bits(width);
            boolean negative = twosComplementDodBuckets ? b >= (1L << (width - 1)) : b > (1L << (width - 1));
            dod = negative ? b - (1L << width) : b;
          }
          tDelta += dod;
        }
        t += tDelta;
        if (r.bits(1) == 1) {
          if (r.bits(1) == 1) {
            leading = (int) r.bits(5);
            int sig = (int) r.bits(6);
            if (sig == 0) {
              sig = 64;
            }
            trailing = 64 - leading - sig;
          }
          int sig = 64 - leading - trailing;
          v ^= r.bits(sig) << trailing;
        }
      }
      out.add(new Sample.FloatSample(t, Double.longBitsToDouble(valueBits(Double.longBitsToDouble(v)))));
    }
    return out;
  }

  private long valueBits(double d) {
    return canonicalNaN ? Double.doubleToLongBits(d) : Double.doubleToRawLongBits(d);
  }

  private boolean inRange(long x, int n) {
    if (twosComplementDodBuckets) {
      return -(1L << (n - 1)) <= x && x <= (1L << (n - 1)) - 1;
    }
    return -((1L << (n - 1)) - 1) <= x && x <= (1L << (n - 1));
  }

  /** An MSB-first bit writer; the last byte is zero-padded. */
  private static final class Bits {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int cur;
    private int used;

    void bits(long v, int n) {
      for (int i = n - 1; i >= 0; i--) {
        cur = (cur << 1) | (int) ((v >>> i) & 1);
        if (++used == 8) {
          out.write(cur);
          cur = 0;
          used = 0;
        }
      }
    }

    void uvarintBytes(long v) {
      while ((v & ~0x7FL) != 0) {
        bits((v & 0x7F) | 0x80, 8);
        v >>>= 7;
      }
      bits(v, 8);
    }

    byte[] bytes() {
      if (used > 0) {
        out.write(cur << (8 - used));
        cur = 0;
        used = 0;
      }
      return out.toByteArray();
    }
  }

  private static final class Reader {
    private final byte[] b;
    private long pos;

    Reader(byte[] b) {
      this.b = b;
    }

    long bits(int n) throws CorruptFormatException {
      long v = 0;
      for (int i = 0; i < n; i++) {
        int byteIndex = (int) (pos >>> 3);
        if (byteIndex >= b.length) {
          throw new CorruptFormatException("xor", byteIndex, "end of chunk");
        }
        v = (v << 1) | ((b[byteIndex] >>> (7 - (pos & 7))) & 1);
        pos++;
      }
      return v;
    }

    long uvarintBytes() throws CorruptFormatException {
      long x = 0;
      for (int s = 0; s < 70; s += 7) {
        long c = bits(8);
        x |= (c & 0x7F) << s;
        if (c < 0x80) {
          return x;
        }
      }
      throw new CorruptFormatException("xor", pos >>> 3, "varint overflow");
    }
  }
}
