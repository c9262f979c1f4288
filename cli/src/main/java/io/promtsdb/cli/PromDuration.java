package io.promtsdb.cli;

import java.util.Map;

/**
 * Prometheus' duration syntax ({@code model.ParseDuration} of prometheus/common, as Prometheus
 * 3.5 uses it): whole numbers with units y, w, d, h, m, s, ms, each at most once and from the
 * largest to the smallest, e.g. {@code 1h30m}; {@code 0} alone. A year is 365 days. Used by
 * rule files ({@code interval}, {@code for}); errors carry Go's messages.
 */
final class PromDuration {
  /** Unit to (position, milliseconds): a unit must come after every unit of lower position. */
  private static final Map<String, long[]> UNITS = Map.of(
      "y", new long[] {1, 365L * 24 * 3600 * 1000},
      "w", new long[] {2, 7L * 24 * 3600 * 1000},
      "d", new long[] {3, 24L * 3600 * 1000},
      "h", new long[] {4, 3600L * 1000},
      "m", new long[] {5, 60L * 1000},
      "s", new long[] {6, 1000L},
      "ms", new long[] {7, 1L});

  /** The largest duration: Go's time.Duration counts nanoseconds in an int64. */
  private static final long MAX_MILLIS = Long.MAX_VALUE / 1_000_000L;

  private PromDuration() {}

  /** Milliseconds; {@link IllegalArgumentException} with Go's message if not a duration. */
  static long parseMillis(String orig) {
    if (orig.equals("0")) {
      return 0;
    }
    if (orig.isEmpty()) {
      throw new IllegalArgumentException("empty duration string");
    }
    String invalid = "not a valid duration string: " + io.promtsdb.core.GoQuote.quote(orig);
    String s = orig;
    long total = 0;
    long lastPos = 0;
    while (!s.isEmpty()) {
      if (!digit(s.charAt(0))) {
        throw new IllegalArgumentException(invalid);
      }
      int i = 0;
      while (i < s.length() && digit(s.charAt(i))) {
        i++;
      }
      long v;
      try {
        v = Long.parseLong(s.substring(0, i));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(invalid);
      }
      s = s.substring(i);
      i = 0;
      while (i < s.length() && !digit(s.charAt(i))) {
        i++;
      }
      if (i == 0) {
        throw new IllegalArgumentException(invalid);
      }
      String u = s.substring(0, i);
      s = s.substring(i);
      long[] unit = UNITS.get(u);
      if (unit == null) {
        throw new IllegalArgumentException("unknown unit " + io.promtsdb.core.GoQuote.quote(u) + " in duration "
            + io.promtsdb.core.GoQuote.quote(orig));
      }
      if (unit[0] <= lastPos) {
        throw new IllegalArgumentException(invalid);
      }
      lastPos = unit[0];
      if (v > MAX_MILLIS / unit[1] || total + v * unit[1] > MAX_MILLIS) {
        throw new IllegalArgumentException("duration out of range");
      }
      total += v * unit[1];
    }
    return total;
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }
}
