package io.promtsdb.engine;

import io.promtsdb.core.GoQuote;
import java.util.regex.Pattern;

/**
 * Go's {@code strconv.ParseFloat(s, 64)} for decimal input: the same accepted syntax, the same
 * NaN bits ({@code 0x7FF8000000000001}, Go's {@code math.NaN()}), and the same error texts.
 * Hexadecimal floats are rejected (the OpenMetrics parser refuses their {@code p} anyway).
 */
final class GoParseFloat {
  /** Go's {@code math.NaN()}. */
  static final double GO_NAN = Double.longBitsToDouble(0x7FF8000000000001L);

  private static final Pattern DECIMAL = Pattern.compile("[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?");

  private GoParseFloat() {}

  /** Parses like {@code strconv.ParseFloat}; the exception message is Go's error text. */
  static double parse(String s) {
    if (plainDecimal(s)) {
      // Digits with at most one point: Go's syntax, and Java's parse is correctly rounded too;
      // an overflow goes on to the error below.
      double d = Double.parseDouble(s);
      if (!Double.isInfinite(d)) {
        return d;
      }
    }
    String lower = s.toLowerCase(java.util.Locale.ROOT);
    if (lower.equals("nan")) {
      return GO_NAN;
    }
    String body = lower.startsWith("+") || lower.startsWith("-") ? lower.substring(1) : lower;
    if (body.equals("inf") || body.equals("infinity")) {
      return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    if (!DECIMAL.matcher(s).matches()) {
      throw new NumberFormatException("strconv.ParseFloat: parsing " + GoQuote.quote(s) + ": invalid syntax");
    }
    double d = Double.parseDouble(s);
    if (Double.isInfinite(d)) {
      throw new NumberFormatException("strconv.ParseFloat: parsing " + GoQuote.quote(s) + ": value out of range");
    }
    return d;
  }

  /** {@code [0-9]+(\.[0-9]*)?}, the form of almost every value and timestamp. */
  private static boolean plainDecimal(String s) {
    int n = s.length();
    if (n == 0 || !isDigit(s.charAt(0))) {
      return false;
    }
    boolean point = false;
    for (int k = 1; k < n; k++) {
      char c = s.charAt(k);
      if (c == '.' && !point) {
        point = true;
      } else if (!isDigit(c)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** {@link #parse} also accepting underscores between digits, as Go's strconv does. */
  static double parseStrconv(String s) {
    return parse(s.indexOf('_') >= 0 && !s.startsWith("_") && !s.endsWith("_") ? s.replace("_", "") : s);
  }
}
