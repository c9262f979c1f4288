package io.promtsdb.core;

/**
 * Decimal digits of integers written as ASCII bytes, for output paths that assemble lines in
 * byte arrays (dumps of millions of samples). At most one 64-bit division per eight digits;
 * the rest are multiplications, which matters where the JIT does not turn divisions by
 * constants into multiplications (the quick C1 compiler of short command-line runs).
 */
public final class AsciiDigits {
  private AsciiDigits() {}

  private static final byte[] PAIRS = new byte[200];

  static {
    for (int i = 0; i < 100; i++) {
      PAIRS[2 * i] = (byte) ('0' + i / 10);
      PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
    }
  }

  private static final byte[] MIN_LONG = "-9223372036854775808".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * Writes {@code v} in decimal ({@code strconv.FormatInt(v, 10)}) into {@code dst} at {@code
   * off}; returns the offset after it. At most 20 bytes.
   */
  public static int putLong(long v, byte[] dst, int off) {
    if (v < 0) {
      if (v == Long.MIN_VALUE) {
        System.arraycopy(MIN_LONG, 0, dst, off, MIN_LONG.length);
        return off + MIN_LONG.length;
      }
      dst[off++] = '-';
      v = -v;
    }
    int n = count(v);
    put(v, n, dst, off);
    return off + n;
  }

  /** The number of decimal digits of non-negative {@code v}. */
  static int count(long v) {
    int n = 1;
    long p = 10;
    while (n < 19 && v >= p) {
      n++;
      p *= 10;
    }
    return n;
  }

  /** Writes the {@code n} digits of non-negative {@code v} at {@code dst[off..off+n)}. */
  static void put(long v, int n, byte[] dst, int off) {
    int i = off + n;
    while (v >= 100_000_000L) {
      long q = v / 100_000_000L;
      put8((int) (v - q * 100_000_000L), dst, i - 8);
      i -= 8;
      v = q;
    }
    int x = (int) v;
    while (x >= 100) {
      int q = div100(x);
      int r = x - q * 100;
      dst[--i] = PAIRS[2 * r + 1];
      dst[--i] = PAIRS[2 * r];
      x = q;
    }
    if (x >= 10) {
      dst[--i] = PAIRS[2 * x + 1];
      dst[--i] = PAIRS[2 * x];
    } else {
      dst[--i] = (byte) ('0' + x);
    }
  }

  // Exactly eight digits, with leading zeros, of 0 <= x < 10^8.
  private static void put8(int x, byte[] dst, int off) {
    for (int i = off + 6; i >= off; i -= 2) {
      int q = div100(x);
      int r = x - q * 100;
      dst[i] = PAIRS[2 * r];
      dst[i + 1] = PAIRS[2 * r + 1];
      x = q;
    }
  }

  // x / 100 for non-negative int x: 1374389535 = ceil(2^37 / 100), error 28 x / 2^37 < 1/100.
  static int div100(int x) {
    return (int) ((x * 1_374_389_535L) >>> 37);
  }
}
