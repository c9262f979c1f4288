package io.promtsdb.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Go's {@code Histogram.String()} and {@code FloatHistogram.String()}: {@code {count:N,
 * sum:S, buckets...}} with non-empty negative buckets from the most negative, the zero
 * bucket when populated, then non-empty positive buckets, each as {@code (lower,upper]:count}
 * with Go's bounds ({@code getBound}) and inclusivity rules.
 */
final class HistogramFormat {
  private HistogramFormat() {}

  /** Bound fractions in [0.5, 1) per schema 0..8 (Go's exponentialBounds table). */
  private static final class Bounds {
    static final double[][] TABLE = load();

    private static double[][] load() {
      double[][] t = new double[9][];
      try (InputStream in = HistogramFormat.class.getResourceAsStream("exponential-bounds.txt");
          BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
        int schema = 0;
        int i = 0;
        t[0] = new double[1];
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("#") || line.isBlank()) {
            continue;
          }
          if (i == t[schema].length) {
            schema++;
            t[schema] = new double[1 << schema];
            i = 0;
          }
          t[schema][i++] = Double.parseDouble(line.trim());
        }
        if (schema != 8 || i != 256) {
          throw new IllegalStateException("exponential-bounds.txt is incomplete");
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return t;
    }
  }

  /** Go's {@code getBound(idx, schema, customValues)}. */
  static double bound(int idx, int schema, double[] customValues) {
    if (schema == Histogram.CUSTOM_BUCKETS_SCHEMA) {
      if (idx == customValues.length) {
        return Double.POSITIVE_INFINITY;
      }
      if (idx == -1) {
        return Double.NEGATIVE_INFINITY;
      }
      if (idx < -1 || idx > customValues.length) {
        throw new IllegalArgumentException(
            "index " + idx + " out of bounds for custom bounds of length " + customValues.length);
      }
      return customValues[idx];
    }
    if (schema < 0) {
      int exp = idx << -schema;
      if (exp == 1024) {
        return Double.MAX_VALUE;
      }
      return Math.scalb(1.0, exp);
    }
    if (schema > 8) {
      throw new IllegalArgumentException("no bounds for schema " + schema);
    }
    int fracIdx = idx & ((1 << schema) - 1);
    double frac = Bounds.TABLE[schema][fracIdx];
    int exp = (idx >> schema) + 1;
    if (frac == 0.5 && exp == 1025) {
      return Double.MAX_VALUE;
    }
    return ldexp(frac, exp);
  }

  // Formatted bounds of the exponential schemas (-4..8) for indexes in [-CACHED, CACHED): the
  // same few hundred bounds recur in every sample of a series, and %g of a 17-digit bound is
  // most of the cost of printing a histogram. Racy but safe: Strings are immutable.
  private static final int CACHED = 4096;
  private static final String[][] BOUND_TEXT = new String[13][];

  /** {@code GoFloat.formatG(bound(idx, schema, null))} for exponential schemas, cached. */
  static void appendBound(StringBuilder sb, int idx, int schema, double[] custom, boolean negate) {
    if (schema >= -4 && schema <= 8 && idx >= -CACHED && idx < CACHED) {
      String[] t = BOUND_TEXT[schema + 4];
      if (t == null) {
        t = new String[2 * CACHED];
        BOUND_TEXT[schema + 4] = t;
      }
      String text = t[idx + CACHED];
      if (text == null) {
        text = GoFloat.formatG(bound(idx, schema, custom));
        t[idx + CACHED] = text;
      }
      if (negate) {
        sb.append('-');
      }
      sb.append(text);
      return;
    }
    double b = bound(idx, schema, custom);
    GoFloat.appendG(sb, negate ? -b : b);
  }

  /** Go's {@code math.Ldexp}, which rounds subnormal results (Math.scalb does too). */
  private static double ldexp(double frac, int exp) {
    return Math.scalb(frac, exp);
  }

  static String format(Histogram h) {
    double[] custom = h.customValues();
    StringBuilder sb = new StringBuilder(64);
    sb.append("{count:").append(Long.toUnsignedString(h.count())).append(", sum:");
    GoFloat.appendG(sb, h.sum());
    long[] neg = h.negativeBuckets();
    long[] pos = h.positiveBuckets();
    appendSide(sb, h.negativeSpans(), cumulative(neg), h.schema(), custom, false);
    if (h.zeroCount() != 0) {
      appendZero(sb, h.zeroThreshold(), Long.toUnsignedString(h.zeroCount()));
    }
    appendSide(sb, h.positiveSpans(), cumulative(pos), h.schema(), custom, true);
    return sb.append('}').toString();
  }

  static String format(FloatHistogram h) {
    double[] custom = h.customValues();
    StringBuilder sb = new StringBuilder(64);
    sb.append("{count:");
    GoFloat.appendG(sb, h.count());
    sb.append(", sum:");
    GoFloat.appendG(sb, h.sum());
    appendSide(sb, h.negativeSpans(), h.negativeBuckets(), h.schema(), custom, false);
    if (h.zeroCount() != 0) {
      appendZero(sb, h.zeroThreshold(), GoFloat.formatG(h.zeroCount()));
    }
    appendSide(sb, h.positiveSpans(), h.positiveBuckets(), h.schema(), custom, true);
    return sb.append('}').toString();
  }

  /** Absolute counts (uint64 bit patterns, as doubles would lose them) of delta buckets. */
  private static Object cumulative(long[] deltas) {
    long[] out = new long[deltas.length];
    long c = 0;
    for (int i = 0; i < deltas.length; i++) {
      c += deltas[i];
      out[i] = c;
    }
    return out;
  }

  private static void appendZero(StringBuilder sb, double threshold, String count) {
    sb.append(", [");
    GoFloat.appendG(sb, -threshold);
    sb.append(',');
    GoFloat.appendG(sb, threshold);
    sb.append("]:").append(count);
  }

  /**
   * Appends the non-empty buckets of one side; negative buckets go from the most negative,
   * i.e. in reverse iteration order.
   */
  private static void appendSide(
      StringBuilder sb, Span[] spans, Object counts, int schema, double[] custom, boolean positive) {
    long[] lc = counts instanceof long[] l ? l : null;
    double[] dc = counts instanceof double[] d ? d : null;
    int n = lc != null ? lc.length : dc.length;
    int[] indexes = new int[n];
    int k = 0;
    int idx = 0;
    outer:
    for (int s = 0; s < spans.length; s++) {
      idx += spans[s].offset();
      for (int j = 0; j < spans[s].length(); j++) {
        if (k == n) {
          break outer;
        }
        indexes[k++] = idx++;
      }
    }
    StringBuilder side = new StringBuilder();
    java.util.List<String> rendered = new java.util.ArrayList<>();
    for (int i = 0; i < k; i++) {
      boolean empty = lc != null ? lc[i] == 0 : dc[i] == 0;
      if (empty) {
        continue;
      }
      side.setLength(0);
      int bi = indexes[i];
      double lower;
      double upper;
      if (positive) {
        upper = bound(bi, schema, custom);
        lower = bound(bi - 1, schema, custom);
      } else {
        lower = -bound(bi, schema, custom);
        upper = -bound(bi - 1, schema, custom);
      }
      boolean lowerInclusive;
      boolean upperInclusive;
      if (schema == Histogram.CUSTOM_BUCKETS_SCHEMA) {
        lowerInclusive = bi == 0;
        upperInclusive = true;
      } else {
        lowerInclusive = lower < 0;
        upperInclusive = upper > 0;
      }
      side.append(", ").append(lowerInclusive ? '[' : '(');
      // Bounds of exponential schemas are positive (or +Inf/MaxFloat64): printing the negated
      // cached text equals printing the negated value.
      if (positive) {
        appendBound(side, bi - 1, schema, custom, false);
        side.append(',');
        appendBound(side, bi, schema, custom, false);
      } else {
        appendBound(side, bi, schema, custom, true);
        side.append(',');
        appendBound(side, bi - 1, schema, custom, true);
      }
      side.append(upperInclusive ? ']' : ')').append(':');
      if (lc != null) {
        side.append(Long.toUnsignedString(lc[i]));
      } else {
        GoFloat.appendG(side, dc[i]);
      }
      rendered.add(side.toString());
    }
    if (positive) {
      rendered.forEach(sb::append);
    } else {
      for (int i = rendered.size() - 1; i >= 0; i--) {
        sb.append(rendered.get(i));
      }
    }
  }
}
