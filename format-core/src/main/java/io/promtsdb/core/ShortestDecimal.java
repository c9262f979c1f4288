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
    long bits = Double.doubleToRawLongBits(v);
    long t = bits & ((1L << 52) - 1);
    int bq = (int) (bits >>> 52) & 0x7FF;
    long f;
    int e;
    if (bq != 0) {
      int q = bq - 1075;
      long c = C_MIN | t;
      if (0 < -q && -q < 53) {
        long fi = c >> -q;
        if (fi << -q == c) {
          // An integer: its own digits.
          return integerDigits(fi, out, decExp);
        }
      }
      long[] fe = toDecimal(q, c, 0);
      f = fe[0];
      e = (int) fe[1];
    } else {
      if (t < SMALL_SUBNORMAL) {
        // Schubfach never shortens below two digits when the significand itself has few
        // (Java prints 4.9E-324 and 9.9E-323); Go prints the shortest (5e-324, 1e-322). These
        // tiny subnormals take the exact search.
        return GoFloat.exactShortest(v, out, decExp);
      } else {
        long[] fe = toDecimal(Q_MIN, t, 0);
        f = fe[0];
        e = (int) fe[1];
      }
    }
    // value = f x 10^e; strip trailing zeros.
    while (f % 10 == 0) {
      f /= 10;
      e++;
    }
    int n = digitCount(f);
    for (int i = n - 1; i >= 0; i--) {
      out[i] = (char) ('0' + f % 10);
      f /= 10;
    }
    decExp[0] = n + e;
    return n;
  }

  private static int integerDigits(long f, char[] out, int[] decExp) {
    int n = digitCount(f);
    int e = n;
    while (f % 10 == 0) {
      f /= 10;
      n--;
    }
    for (int i = n - 1; i >= 0; i--) {
      out[i] = (char) ('0' + f % 10);
      f /= 10;
    }
    decExp[0] = e;
    return n;
  }

  private static int digitCount(long f) {
    int n = 1;
    long p = 10;
    while (n < 19 && f >= p) {
      n++;
      p *= 10;
    }
    return n;
  }

  // Returns {f, e} with v = f 10^e (f possibly with trailing zeros).
  private static long[] toDecimal(int q, long c, int dk) {
    int out = (int) c & 0x1;
    long cb = c << 2;
    long cbr = cb + 2;
    long cbl;
    int k;
    if (c != C_MIN | q == Q_MIN) {
      cbl = cb - 2;
      k = flog10pow2(q);
    } else {
      cbl = cb - 1;
      k = flog10threeQuartersPow2(q);
    }
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
        return new long[] {upin ? sp10 : tp10, k};
      }
    }
    long tt = s + 1;
    boolean uin = vbl + out <= s << 2;
    boolean win = (tt << 2) + out <= vbr;
    if (uin != win) {
      return new long[] {uin ? s : tt, k + dk};
    }
    long cmp = vb - (s + tt << 1);
    return new long[] {cmp < 0 || cmp == 0 && (s & 0x1) == 0 ? s : tt, k + dk};
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
