package io.promtsdb.core;

import io.promtsdb.core.InvalidHistogramException.Kind;

/** The validation rules shared by {@link Histogram} and {@link FloatHistogram}. */
final class HistogramChecks {
  private HistogramChecks() {}

  static void checkSpans(Span[] spans, int numBuckets, String side) {
    long spanBuckets = 0;
    for (int n = 0; n < spans.length; n++) {
      if (n > 0 && spans[n].offset() < 0) {
        throw new InvalidHistogramException(
            Kind.SPAN_NEGATIVE_OFFSET,
            side + ": span number " + (n + 1) + " with offset " + spans[n].offset()
                + ": histogram has a span whose offset is negative");
      }
      spanBuckets += spans[n].length();
    }
    if (spanBuckets != numBuckets) {
      throw new InvalidHistogramException(
          Kind.SPANS_BUCKETS_MISMATCH,
          side + ": spans need " + spanBuckets + " buckets, have " + numBuckets
              + " buckets: histogram spans specify different number of buckets than provided");
    }
  }

  static void checkCustomBounds(double[] bounds, Span[] spans, int numBuckets) {
    double prev = Double.NEGATIVE_INFINITY;
    for (double curr : bounds) {
      if (!(curr > prev)) {
        throw new InvalidHistogramException(
            Kind.CUSTOM_BUCKETS_INVALID,
            "custom buckets: previous bound is " + prev + " and current is " + curr
                + ": histogram custom bounds must be in strictly increasing order");
      }
      prev = curr;
    }
    if (prev == Double.POSITIVE_INFINITY) {
      throw new InvalidHistogramException(
          Kind.CUSTOM_BUCKETS_INFINITE,
          "custom buckets: last +Inf bound must not be explicitly defined:"
              + " histogram custom bounds must be finite");
    }
    long spanBuckets = 0;
    long totalSpanLength = 0;
    for (int n = 0; n < spans.length; n++) {
      if (spans[n].offset() < 0) {
        throw new InvalidHistogramException(
            Kind.SPAN_NEGATIVE_OFFSET,
            "custom buckets: span number " + (n + 1) + " with offset " + spans[n].offset()
                + ": histogram has a span whose offset is negative");
      }
      spanBuckets += spans[n].length();
      totalSpanLength += spans[n].length() + (long) spans[n].offset();
    }
    if (spanBuckets != numBuckets) {
      throw new InvalidHistogramException(
          Kind.SPANS_BUCKETS_MISMATCH,
          "custom buckets: spans need " + spanBuckets + " buckets, have " + numBuckets
              + " buckets: histogram spans specify different number of buckets than provided");
    }
    if (bounds.length + 1L < totalSpanLength) {
      throw new InvalidHistogramException(
          Kind.CUSTOM_BUCKETS_MISMATCH,
          "custom buckets: only " + bounds.length
              + " custom bounds defined which is insufficient to cover total span length of "
              + totalSpanLength + ": histogram custom bounds are too few");
    }
  }

  static void checkCustomRest(
      double zeroCount, double zeroThreshold, int negSpans, int negBuckets) {
    if (zeroCount != 0) {
      throw new InvalidHistogramException(
          Kind.CUSTOM_BUCKETS_ZERO_COUNT, "custom buckets: must have zero count of 0");
    }
    if (zeroThreshold != 0) {
      throw new InvalidHistogramException(
          Kind.CUSTOM_BUCKETS_ZERO_THRESHOLD, "custom buckets: must have zero threshold of 0");
    }
    if (negSpans > 0) {
      throw new InvalidHistogramException(
          Kind.CUSTOM_BUCKETS_NEGATIVE_SPANS, "custom buckets: must not have negative spans");
    }
    if (negBuckets > 0) {
      throw new InvalidHistogramException(
          Kind.CUSTOM_BUCKETS_NEGATIVE_BUCKETS, "custom buckets: must not have negative buckets");
    }
  }

  static void checkSchema(int schema) {
    if (!Histogram.isValidSchema(schema)) {
      throw new InvalidHistogramException(
          Kind.INVALID_SCHEMA,
          "histogram has an invalid schema, which must be between "
              + Histogram.EXPONENTIAL_SCHEMA_MIN + " and " + Histogram.EXPONENTIAL_SCHEMA_MAX
              + " for exponential buckets, or " + Histogram.CUSTOM_BUCKETS_SCHEMA
              + " for custom buckets, got schema " + schema);
    }
  }

  static InvalidHistogramException negativeBucket(String side, int i, long count) {
    return negativeBucket(side, i, Long.toString(count));
  }

  static InvalidHistogramException negativeBucket(String side, int i, double count) {
    // Go prints the float with %v: integral values without a fraction.
    String s =
        count == Math.rint(count) && Math.abs(count) < 1e21
            ? Long.toString((long) count)
            : Double.toString(count);
    return negativeBucket(side, i, s);
  }

  private static InvalidHistogramException negativeBucket(String side, int i, String count) {
    return new InvalidHistogramException(
        Kind.NEGATIVE_BUCKET_COUNT,
        side + ": bucket number " + (i + 1) + " has observation count of " + count
            + ": histogram has a bucket whose observation count is negative");
  }
}
