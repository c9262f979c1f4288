package io.promtsdb.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prometheus' duration syntax ({@code model.ParseDuration} of prometheus/common): units y, w, d,
 * h, m, s, ms, each at most once and in that order, e.g. {@code 1h30m}; {@code 0} alone. A year
 * is 365 days. Used by rule files ({@code interval}, {@code for}).
 */
final class PromDuration {
  private static final Pattern SYNTAX = Pattern.compile(
      "^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$");
  private static final long[] UNIT_MILLIS = {
    365L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000, 24L * 3600 * 1000, 3600L * 1000, 60L * 1000, 1000L, 1L
  };

  private PromDuration() {}

  /** Milliseconds; {@link IllegalArgumentException} with Go's message if not a duration. */
  static long parseMillis(String s) {
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    Matcher m = SYNTAX.matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a valid duration string: " + io.promtsdb.core.GoQuote.quote(s));
    }
    long total = 0;
    for (int u = 0; u < UNIT_MILLIS.length; u++) {
      String digits = m.group(2 + 2 * u);
      if (digits == null) {
        continue;
      }
      try {
        total = Math.addExact(total, Math.multiplyExact(Long.parseLong(digits), UNIT_MILLIS[u]));
      } catch (ArithmeticException | NumberFormatException e) {
        throw new IllegalArgumentException("duration out of range");
      }
    }
    // model.Duration counts nanoseconds in an int64.
    if (total > Long.MAX_VALUE / 1_000_000L) {
      throw new IllegalArgumentException("duration out of range");
    }
    return total;
  }
}
