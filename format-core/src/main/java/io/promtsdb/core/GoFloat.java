package io.promtsdb.core;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Go's formatting of float64 values with {@code %g} ({@code strconv.FormatFloat(f, 'g', -1,
 * 64)}), as Prometheus and promtool print sample values and histogram buckets: the shortest
 * decimal that reads back to the same bits; in {@code %e} form ({@code 1e+06},
 * {@code 1.5e-05}, at least two exponent digits) when the decimal exponent is below -4 or at
 * least 6, else plain ({@code 123456}, {@code 0.0001}); {@code NaN}, {@code +Inf},
 * {@code -Inf}, {@code -0}.
 *
 * <p>The digits are the shortest decimal that reads back as the same double and, among
 * those, the closest (Go's rule), from {@link ShortestDecimal}; Java 17's {@link
 * Double#toString} is not always the shortest (JDK-4511638: {@code 2e23} prints as {@code
 * 1.9999999999999998E23}, {@code 5e-324} as {@code 4.9E-324}) and serves only as a test
 * reference.
 */
public final class GoFloat {
  private GoFloat() {}

  /** {@code fmt.Sprintf("%g", v)}. */
  public static String formatG(double v) {
    StringBuilder b = new StringBuilder(24);
    appendG(b, v);
    return b.toString();
  }

  /** Appends {@code fmt.Sprintf("%g", v)} to {@code b}. */
  public static void appendG(StringBuilder b, double v) {
    byte[] buf = new byte[32];
    int end = formatG(v, buf, 0);
    for (int i = 0; i < end; i++) {
      b.append((char) buf[i]);
    }
  }

  private static final byte[] NAN = {'N', 'a', 'N'};
  private static final byte[] POS_INF = {'+', 'I', 'n', 'f'};
  private static final byte[] NEG_INF = {'-', 'I', 'n', 'f'};

  /**
   * Writes {@code fmt.Sprintf("%g", v)} as ASCII bytes into {@code dst} at {@code off} and
   * returns the offset after it, for output paths that assemble bytes. At most 24 bytes are
   * written. Allocates nothing (except for the few tiny subnormals below 2^-1054).
   */
  public static int formatG(double v, byte[] dst, int off) {
    if (Double.isNaN(v)) {
      return put(NAN, dst, off);
    }
    if (Double.isInfinite(v)) {
      return put(v > 0 ? POS_INF : NEG_INF, dst, off);
    }
    if (v == 0) {
      if (Double.doubleToRawLongBits(v) < 0) {
        dst[off++] = '-';
      }
      dst[off++] = '0';
      return off;
    }
    if (v < 0) {
      dst[off++] = '-';
      v = -v;
    }
    // Integers below 10^6 print as themselves (their shortest digits; exponent below 6).
    if (v < 1e6 && v == Math.rint(v)) {
      return AsciiDigits.putLong((long) v, dst, off);
    }
    // The digits are written in place, then moved right to make room.
    int r = ShortestDecimal.digits(v, dst, off);
    int nd = r & 0xFF;
    int dp = r >> 8; // digits before the decimal point
    int exp = dp - 1; // exponent of the first digit
    if (exp < -4 || exp >= 6) {
      int end = off + 1;
      if (nd > 1) {
        System.arraycopy(dst, off + 1, dst, off + 2, nd - 1);
        dst[off + 1] = '.';
        end = off + nd + 1;
      }
      dst[end++] = 'e';
      dst[end++] = (byte) (exp < 0 ? '-' : '+');
      int ae = Math.abs(exp);
      if (ae < 10) {
        dst[end++] = '0';
      }
      return AsciiDigits.putLong(ae, dst, end);
    }
    if (dp <= 0) {
      int lead = 2 - dp; // "0." and -dp zeros
      System.arraycopy(dst, off, dst, off + lead, nd);
      dst[off] = '0';
      dst[off + 1] = '.';
      for (int i = off + 2; i < off + lead; i++) {
        dst[i] = '0';
      }
      return off + lead + nd;
    }
    if (dp >= nd) {
      for (int i = off + nd; i < off + dp; i++) {
        dst[i] = '0';
      }
      return off + dp;
    }
    System.arraycopy(dst, off + dp, dst, off + dp + 1, nd - dp);
    dst[off + dp] = '.';
    return off + nd + 1;
  }

  private static int put(byte[] s, byte[] dst, int off) {
    System.arraycopy(s, 0, dst, off, s.length);
    return off + s.length;
  }

  /**
   * Writes the shortest round-tripping significant digits of positive finite {@code v} into
   * {@code out} and returns their count; {@code decExp[0]} receives the position of the
   * decimal point relative to the first digit (value = 0.d1d2... x 10^decExp).
   */
  static int shortestDigits(double v, char[] out, int[] decExp) {
    return ShortestDecimal.digits(v, out, decExp);
  }

  /**
   * The same digits derived from {@link Double#toString} and checked by re-parsing: the
   * reference the faster {@link ShortestDecimal} is tested against.
   */
  static int shortestDigitsViaToString(double v, char[] out, int[] decExp) {
    String s = Double.toString(v);
    int e = s.indexOf('E');
    String mant = e < 0 ? s : s.substring(0, e);
    int exp10 = e < 0 ? 0 : Integer.parseInt(s.substring(e + 1));
    int dot = mant.indexOf('.');
    String intPart = mant.substring(0, dot);
    String frac = mant.substring(dot + 1);
    String all = intPart + frac;
    int pointPos = intPart.length() + exp10;
    int lead = 0;
    while (lead < all.length() - 1 && all.charAt(lead) == '0') {
      lead++;
    }
    all = all.substring(lead);
    pointPos -= lead;
    int end = all.length();
    while (end > 1 && all.charAt(end - 1) == '0') {
      end--;
    }
    all = all.substring(0, end);
    if (all.length() > 1 && shorterExists(all, pointPos, v)) {
      return exactShortest(v, out, decExp);
    }
    all.getChars(0, all.length(), out, 0);
    decExp[0] = pointPos;
    return all.length();
  }

  /**
   * Whether a decimal with fewer digits than {@code digits} reads back as {@code v}. If any
   * does, so does one of the two neighbours of {@code digits} on the shorter grid (the
   * round-trip interval is convex and contains {@code digits}), so two parses decide it.
   */
  private static boolean shorterExists(String digits, int pointPos, double v) {
    int n = digits.length() - 1;
    String down = digits.substring(0, n);
    if (parse(down, pointPos) == v) {
      return true;
    }
    char[] up = down.toCharArray();
    int i = n - 1;
    while (i >= 0 && up[i] == '9') {
      up[i--] = '0';
    }
    if (i < 0) {
      return parse("1" + new String(up), pointPos + 1) == v;
    }
    up[i]++;
    return parse(new String(up), pointPos) == v;
  }

  private static double parse(String digits, int pointPos) {
    return Double.parseDouble("0." + digits + "E" + pointPos);
  }

  static int exactShortest(double v, char[] out, int[] decExp) {
    BigDecimal exact = new BigDecimal(v);
    for (int n = 1; n <= 17; n++) {
      BigDecimal down = exact.round(new MathContext(n, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(n, RoundingMode.CEILING));
      boolean downOk = down.doubleValue() == v;
      boolean upOk = up.doubleValue() == v;
      if (downOk || upOk) {
        BigDecimal pick;
        if (downOk && upOk) {
          int c = exact.subtract(down).compareTo(up.subtract(exact));
          pick = c < 0 ? down : c > 0 ? up : evenLast(down, up);
        } else {
          pick = downOk ? down : up;
        }
        String digits = pick.unscaledValue().toString();
        int len = digits.length();
        while (len > 1 && digits.charAt(len - 1) == '0') {
          len--;
        }
        digits.getChars(0, len, out, 0);
        // value = unscaled x 10^-scale = 0.digits x 10^(precision - scale)
        decExp[0] = digits.length() - pick.scale();
        return len;
      }
    }
    throw new AssertionError("no round-tripping decimal for " + v);
  }

  private static BigDecimal evenLast(BigDecimal a, BigDecimal b) {
    return a.unscaledValue().testBit(0) ? b : a;
  }
}
