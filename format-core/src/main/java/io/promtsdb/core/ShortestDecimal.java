package io.promtsdb.core;

import java.math.BigInteger;

/**
 * The shortest decimal that reads back as a given double, and among those the closest (ties
 * to an even last digit): Raffaello Giulietti's Schubfach algorithm ("The Schubfach way to
 * render doubles", 2020; the algorithm of {@code Double.toString} since Java 19). Go's {@code
 * strconv.FormatFloat(f, 'g', -1, 64)} prints these digits; Java 17's {@code Double.toString}
 * does not always (JDK-4511638).
 *
 * <p>No allocation per call, no {@code BigInteger} after class initialisation (which builds the
 * 617-entry table of 126-bit powers of ten).
 */
final class ShortestDecimal {
  private ShortestDecimal() {}

  private static final int Q_MIN = -1074;
  private static final long C_MIN = 1L << 52;
  private static final long SMALL_SUBNORMAL = 1L << 20;
  // Exponents x of the powers 10^x in the table: x = -k for the decimal exponents k of doubles.
  private static final int X_MIN = -292;
  private static final int X_MAX = 324;
  private static final long MASK_63 = (1L << 63) - 1;
  private static final long[] G = table();

  // floor(log10(2^e))
  private static int flog10pow2(int e) {
    return (int) (e * 661_971_961_083L >> 41);
  }

  // floor(log10(3/4 2^e))
  private static int flog10threeQuartersPow2(int e) {
    return (int) (e * 661_971_961_083L - 274_743_187_321L >> 41);
  }

  // floor(log2(10^e))
  private static int flog2pow10(int e) {
    return (int) (e * 913_124_641_741L >> 38);
  }

  /**
   * g(x) = floor(10^x 2^(-r)) + 1 with r = flog2pow10(x) - 125, so that 2^125 <= g < 2^126,
   * split into its high 63 bits and low 63 bits, for x in [X_MIN, X_MAX].
   */
  private static long[] table() {
    long[] g = new long[(X_MAX - X_MIN + 1) * 2];
    BigInteger mask63 = BigInteger.ONE.shiftLeft(63).subtract(BigInteger.ONE);
    for (int k = X_MIN; k <= X_MAX; k++) {
      int r = flog2pow10(k) - 125;
      BigInteger v;
      if (k >= 0) {
        BigInteger p = BigInteger.TEN.pow(k);
        v = r >= 0 ? p.shiftRight(r) : p.shiftLeft(-r);
      } else {
        BigInteger p = BigInteger.TEN.pow(-k);
        // 10^k 2^-r = 2^-r / 10^-k, r negative here
        v = BigInteger.ONE.shiftLeft(-r).divide(p);
      }
      v = v.add(BigInteger.ONE);
      int i = (k - X_MIN) << 1;
      g[i] = v.shiftRight(63).longValue();
      g[i + 1] = v.and(mask63).longValue();
    }
    return g;
  }

  /**
   * Writes the shortest round-tripping digits of positive finite {@code v} into {@code out}
   * (no trailing zeros) and returns their count; {@code decExp[0]} receives the position of the
   * decimal point: value = 0.d1d2... x 10^decExp.
   */
  static int digits(double v, char[] out, int[] decExp) {
    byte[] b = new byte[24];
    int r = digits(v, b, 0);
    int n = r & 0xFF;
    for (int i = 0; i < n; i++) {
      out[i] = (char) b[i];
    }
    decExp[0] = r >> 8;
    return n;
  }

  /**
   * As {@link #digits(double, char[], int[])}, the digits written as ASCII at {@code
   * dst[off..off+n)} (at most 18 bytes are touched); returns {@code n | decExp << 8}.
   */
  static int digits(double v, byte[] dst, int off) {
    long bits = Double.doubleToRawLongBits(v);
    long t = bits & ((1L << 52) - 1);
    int bq = (int) (bits >>> 52) & 0x7FF;
    if (bq != 0) {
      int q = bq - 1075;
      long c = C_MIN | t;
      if (0 < -q && -q < 53) {
        long fi = c >> -q;
        if (fi << -q == c) {
          // An integer: its own digits.
          return strip(fi, 0, dst, off);
        }
      }
      int k = exponent(q, c);
      return strip(toDecimal(q, c, k), k, dst, off);
    }
    if (t < SMALL_SUBNORMAL) {
      // Schubfach never shortens below two digits when the significand itself has few
      // (Java prints 4.9E-324 and 9.9E-323); Go prints the shortest (5e-324, 1e-322). These
      // tiny subnormals take the exact search.
      char[] out = new char[20];
      int[] decExp = new int[1];
      int n = GoFloat.exactShortest(v, out, decExp);
      for (int i = 0; i < n; i++) {
        dst[off + i] = (byte) out[i];
      }
      return n | decExp[0] << 8;
    }
    int k = exponent(Q_MIN, t);
    return strip(toDecimal(Q_MIN, t, k), k, dst, off);
  }

  // value = f x 10^e: writes f's digits without trailing zeros, returns n | decExp << 8.
  private static int strip(long f, int e, byte[] dst, int off) {
    int n = AsciiDigits.count(f);
    AsciiDigits.put(f, n, dst, off);
    int decExp = n + e;
    while (dst[off + n - 1] == '0') {
      n--;
    }
    return n | decExp << 8;
  }

  // The decimal exponent k of toDecimal's result.
  private static int exponent(int q, long c) {
    return c != C_MIN | q == Q_MIN ? flog10pow2(q) : flog10threeQuartersPow2(q);
  }

  // Returns f with v = f 10^k, k = exponent(q, c) (f possibly with trailing zeros).
  private static long toDecimal(int q, long c, int k) {
    int out = (int) c & 0x1;
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl = c != C_MIN | q == Q_MIN ? cb - 2 : cb - 1;
    int h = q + flog2pow10(-k) + 2;
    int idx = (-k - X_MIN) << 1;
    long g1 = G[idx];
    long g0 = G[idx + 1];
    long vb = rop(g1, g0, cb << h);
    long vbl = rop(g1, g0, cbl << h);
    long vbr = rop(g1, g0, cbr << h);
    long s = vb >> 2;
    if (s >= 100) {
      long sp10 = 10 * Math.multiplyHigh(s, 115_292_150_460_684_698L << 4);
      long tp10 = sp10 + 10;
      boolean upin = vbl + out <= sp10 << 2;
      boolean wpin = (tp10 << 2) + out <= vbr;
      if (upin != wpin) {
        return upin ? sp10 : tp10;
      }
    }
    long tt = s + 1;
    boolean uin = vbl + out <= s << 2;
    boolean win = (tt << 2) + out <= vbr;
    if (uin != win) {
      return uin ? s : tt;
    }
    long cmp = vb - (s + tt << 1);
    return cmp < 0 || cmp == 0 && (s & 0x1) == 0 ? s : tt;
  }

  // Rounded-odd product of the 126-bit g and cp, scaled down by 2^127 (Schubfach's rop).
  private static long rop(long g1, long g0, long cp) {
    long x1 = Math.multiplyHigh(g0, cp);
    long y0 = g1 * cp;
    long y1 = Math.multiplyHigh(g1, cp);
    long z = (y0 >>> 1) + x1;
    long vbp = y1 + (z >>> 63);
    return vbp | (z & MASK_63) + MASK_63 >>> 63;
  }
}
