package io.promtsdb.core;

/**
 * Decimal digits of integers written as ASCII bytes, for output paths that assemble lines in
 * byte arrays (dumps of millions of samples). At most one 64-bit division per eight digits;
 * the rest are multiplications, which matters where the JIT does not turn divisions by
 * constants into multiplications (the quick C1 compiler of short command-line runs).
 */
public final class AsciiDigits {
  private AsciiDigits() {}

  // The four digits of 0..9999, with leading zeros.
  private static final byte[] DIGITS4 = new byte[40_000];

  static {
    for (int i = 0; i < 10_000; i++) {
      DIGITS4[4 * i] = (byte) ('0' + i / 1000);
      DIGITS4[4 * i + 1] = (byte) ('0' + i / 100 % 10);
      DIGITS4[4 * i + 2] = (byte) ('0' + i / 10 % 10);
      DIGITS4[4 * i + 3] = (byte) ('0' + i % 10);
    }
  }

  private static final long[] POW10 = new long[19];

  static {
    long p = 1;
    for (int i = 0; i < 19; i++) {
      POW10[i] = p;
      p *= 10;
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
    // v | 1 has as many digits as v (10^k - 1 is odd); with b its bit length,
    // floor(log10(2^b)) + 1 is the digit count or one more.
    long w = v | 1;
    int n = ((64 - Long.numberOfLeadingZeros(w)) * 1233 >>> 12) + 1;
    return w < POW10[n - 1] ? n - 1 : n;
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
    while (x >= 10_000) {
      int q = div10000(x);
      put4(x - q * 10_000, dst, i - 4);
      i -= 4;
      x = q;
    }
    // The 1 to 4 digits of x, the tail of its 4-digit form.
    int len = i - off;
    int from = 4 * x + 4 - len;
    for (int j = 0; j < len; j++) {
      dst[off + j] = DIGITS4[from + j];
    }
  }

  /** Writes exactly eight digits, with leading zeros, of {@code 0 <= x < 10^8} at {@code off}. */
  public static void put8(int x, byte[] dst, int off) {
    int q = div10000(x);
    put4(q, dst, off);
    put4(x - q * 10_000, dst, off + 4);
  }

  private static void put4(int x, byte[] dst, int off) {
    int k = 4 * x;
    dst[off] = DIGITS4[k];
    dst[off + 1] = DIGITS4[k + 1];
    dst[off + 2] = DIGITS4[k + 2];
    dst[off + 3] = DIGITS4[k + 3];
  }

  // x / 10000 for 0 <= x < 2^31: 3518437209 = ceil(2^45 / 10000), error 1168 x / 2^45 < 1/10000.
  static int div10000(int x) {
    return (int) ((x * 3_518_437_209L) >>> 45);
  }
}
