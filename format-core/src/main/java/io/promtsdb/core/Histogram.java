package io.promtsdb.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * An integer native histogram, Prometheus' {@code histogram.Histogram}: an immutable value.
 *
 * <p>Exponential schemas ({@value #EXPONENTIAL_SCHEMA_MIN} to {@value #EXPONENTIAL_SCHEMA_MAX})
 * have buckets on both sides of a zero bucket; schema {@value #CUSTOM_BUCKETS_SCHEMA} has
 * positive buckets only, bounded by {@link #customValues()}. Bucket counts are stored as Go
 * stores them: the first bucket of a side absolute, each following one as the difference to
 * its predecessor (across span boundaries). Counts are uint64 bit patterns in {@code long}.
 *
 * <p>Equality compares floats by raw bits, so NaN sums and the staleness marker count.
 */
public final class Histogram {
  public static final int EXPONENTIAL_SCHEMA_MIN = -4;
  public static final int EXPONENTIAL_SCHEMA_MAX = 8;
  /** Schemas a reader accepts (and reduces to {@value #EXPONENTIAL_SCHEMA_MAX} if larger). */
  public static final int EXPONENTIAL_SCHEMA_MIN_RESERVED = -9;
  public static final int EXPONENTIAL_SCHEMA_MAX_RESERVED = 52;
  public static final int CUSTOM_BUCKETS_SCHEMA = -53;

  private static final Span[] NO_SPANS = new Span[0];
  private static final long[] NO_BUCKETS = new long[0];
  private static final double[] NO_VALUES = new double[0];

  private final CounterResetHint counterResetHint;
  private final int schema;
  private final double zeroThreshold;
  private final long zeroCount;
  private final long count;
  private final double sum;
  private final Span[] positiveSpans;
  private final Span[] negativeSpans;
  private final long[] positiveBuckets;
  private final long[] negativeBuckets;
  private final double[] customValues;

  private Histogram(Builder b) {
    this.counterResetHint = Objects.requireNonNull(b.counterResetHint);
    this.schema = b.schema;
    this.zeroThreshold = b.zeroThreshold;
    this.zeroCount = b.zeroCount;
    this.count = b.count;
    this.sum = b.sum;
    this.positiveSpans = b.positiveSpans;
    this.negativeSpans = b.negativeSpans;
    this.positiveBuckets = b.positiveBuckets;
    this.negativeBuckets = b.negativeBuckets;
    this.customValues = b.customValues;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.counterResetHint = counterResetHint;
    b.schema = schema;
    b.zeroThreshold = zeroThreshold;
    b.zeroCount = zeroCount;
    b.count = count;
    b.sum = sum;
    b.positiveSpans = positiveSpans;
    b.negativeSpans = negativeSpans;
    b.positiveBuckets = positiveBuckets;
    b.negativeBuckets = negativeBuckets;
    b.customValues = customValues;
    return b;
  }

  public static boolean isCustomBucketsSchema(int schema) {
    return schema == CUSTOM_BUCKETS_SCHEMA;
  }

  public static boolean isExponentialSchema(int schema) {
    return schema >= EXPONENTIAL_SCHEMA_MIN && schema <= EXPONENTIAL_SCHEMA_MAX;
  }

  /** A schema Prometheus accepts on ingestion. */
  public static boolean isValidSchema(int schema) {
    return isCustomBucketsSchema(schema) || isExponentialSchema(schema);
  }

  /** A schema a reader understands (reserved exponential schemas included). */
  public static boolean isKnownSchema(int schema) {
    return isCustomBucketsSchema(schema)
        || (schema >= EXPONENTIAL_SCHEMA_MIN_RESERVED && schema <= EXPONENTIAL_SCHEMA_MAX_RESERVED);
  }

  public CounterResetHint counterResetHint() {
    return counterResetHint;
  }

  public int schema() {
    return schema;
  }

  public double zeroThreshold() {
    return zeroThreshold;
  }

  /** Zero bucket count (uint64 bits). */
  public long zeroCount() {
    return zeroCount;
  }

  /** Total observation count (uint64 bits). */
  public long count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  public boolean usesCustomBuckets() {
    return schema == CUSTOM_BUCKETS_SCHEMA;
  }

  /** Whether this is the staleness marker (the sum is the stale NaN). */
  public boolean isStale() {
    return Values.isStaleNaN(sum);
  }

  public int positiveSpanCount() {
    return positiveSpans.length;
  }

  public Span positiveSpan(int i) {
    return positiveSpans[i];
  }

  public int negativeSpanCount() {
    return negativeSpans.length;
  }

  public Span negativeSpan(int i) {
    return negativeSpans[i];
  }

  public Span[] positiveSpans() {
    return positiveSpans.clone();
  }

  public Span[] negativeSpans() {
    return negativeSpans.clone();
  }

  public int positiveBucketCount() {
    return positiveBuckets.length;
  }

  /** The i-th positive bucket as stored: absolute for i = 0, else the delta to bucket i-1. */
  public long positiveBucket(int i) {
    return positiveBuckets[i];
  }

  public int negativeBucketCount() {
    return negativeBuckets.length;
  }

  public long negativeBucket(int i) {
    return negativeBuckets[i];
  }

  /** Delta-encoded positive buckets (a copy). */
  public long[] positiveBuckets() {
    return positiveBuckets.clone();
  }

  /** Delta-encoded negative buckets (a copy). */
  public long[] negativeBuckets() {
    return negativeBuckets.clone();
  }

  /** Upper bounds of the custom buckets (schema -53), +Inf implied; empty otherwise. */
  public double[] customValues() {
    return customValues.clone();
  }

  public int customValueCount() {
    return customValues.length;
  }

  public double customValue(int i) {
    return customValues[i];
  }

  /** The same histogram with another counter reset hint. */
  public Histogram withCounterResetHint(CounterResetHint hint) {
    return hint == counterResetHint ? this : toBuilder().counterResetHint(hint).build();
  }

  /**
   * Prometheus' {@code Histogram.Validate}: spans match bucket counts, no negative bucket
   * counts, custom-bucket rules, and the count equals the sum of the buckets (at least that
   * sum when the sum is NaN).
   *
   * @throws InvalidHistogramException naming the rule broken
   */
  public void validate() {
    long nCount = 0;
    if (usesCustomBuckets()) {
      HistogramChecks.checkCustomBounds(customValues, positiveSpans, positiveBuckets.length);
      HistogramChecks.checkCustomRest(
          zeroCount, zeroThreshold, negativeSpans.length, negativeBuckets.length);
    } else {
      HistogramChecks.checkSpans(positiveSpans, positiveBuckets.length, "positive side");
      HistogramChecks.checkSpans(negativeSpans, negativeBuckets.length, "negative side");
      nCount = sumDeltaBuckets(negativeBuckets, "negative side");
      if (customValues.length > 0) {
        throw new InvalidHistogramException(
            InvalidHistogramException.Kind.EXPONENTIAL_SCHEMA_CUSTOM_BOUNDS,
            "histogram with exponential schema must not have custom bounds");
      }
    }
    long pCount = sumDeltaBuckets(positiveBuckets, "positive side");
    long sumOfBuckets = nCount + pCount + zeroCount;
    if (Double.isNaN(sum)) {
      if (Long.compareUnsigned(sumOfBuckets, count) > 0) {
        throw new InvalidHistogramException(
            InvalidHistogramException.Kind.COUNT_NOT_BIG_ENOUGH,
            Long.toUnsignedString(sumOfBuckets) + " observations found in buckets, but the Count field is "
                + Long.toUnsignedString(count)
                + ": histogram's observation count should be at least the number of observations found in the buckets");
      }
    } else if (sumOfBuckets != count) {
      throw new InvalidHistogramException(
          InvalidHistogramException.Kind.COUNT_MISMATCH,
          Long.toUnsignedString(sumOfBuckets) + " observations found in buckets, but the Count field is "
              + Long.toUnsignedString(count)
              + ": histogram's observation count should equal the number of observations found in the buckets (in absence of NaN)");
    }
  }

  private static long sumDeltaBuckets(long[] deltas, String side) {
    long last = 0;
    long total = 0;
    for (int i = 0; i < deltas.length; i++) {
      long c = last + deltas[i];
      if (c < 0) {
        throw HistogramChecks.negativeBucket(side, i, c);
      }
      last = c;
      total += c;
    }
    return total;
  }

  /** Go's {@code Histogram.ToFloat}: absolute float bucket counts, same spans and hint. */
  public FloatHistogram toFloatHistogram() {
    FloatHistogram.Builder b =
        FloatHistogram.builder()
            .counterResetHint(counterResetHint)
            .schema(schema)
            .count(unsignedToDouble(count))
            .sum(sum)
            .positiveSpans(positiveSpans)
            .positiveBuckets(cumulate(positiveBuckets));
    if (usesCustomBuckets()) {
      b.customValues(customValues);
    } else {
      b.zeroThreshold(zeroThreshold)
          .zeroCount(unsignedToDouble(zeroCount))
          .negativeSpans(negativeSpans)
          .negativeBuckets(cumulate(negativeBuckets));
    }
    return b.build();
  }

  private static double[] cumulate(long[] deltas) {
    double[] out = new double[deltas.length];
    double current = 0;
    for (int i = 0; i < deltas.length; i++) {
      // Go: currentPositive += float64(b), with b an int64.
      current += (double) deltas[i];
      out[i] = current;
    }
    return out;
  }

  /** Go's {@code float64(u)} for a uint64 held in a long. */
  static double unsignedToDouble(long u) {
    if (u >= 0) {
      return (double) u;
    }
    // Halve with the low bit kept sticky so rounding matches a direct conversion.
    return ((double) ((u >>> 1) | (u & 1))) * 2.0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Histogram h
        && counterResetHint == h.counterResetHint
        && schema == h.schema
        && Double.doubleToRawLongBits(zeroThreshold) == Double.doubleToRawLongBits(h.zeroThreshold)
        && zeroCount == h.zeroCount
        && count == h.count
        && Double.doubleToRawLongBits(sum) == Double.doubleToRawLongBits(h.sum)
        && Arrays.equals(positiveSpans, h.positiveSpans)
        && Arrays.equals(negativeSpans, h.negativeSpans)
        && Arrays.equals(positiveBuckets, h.positiveBuckets)
        && Arrays.equals(negativeBuckets, h.negativeBuckets)
        && FloatHistogram.bitsEqual(customValues, h.customValues);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(counterResetHint, schema, zeroCount, count);
    h = 31 * h + Long.hashCode(Double.doubleToRawLongBits(sum));
    h = 31 * h + Arrays.hashCode(positiveBuckets);
    h = 31 * h + Arrays.hashCode(negativeBuckets);
    return h;
  }

  /**
   * Go's {@code String()}: {@code {count:12, sum:19.4, [-4,-2):1, [-0.001,0.001]:2,
   * (0.5,1]:1, ...}}, the form promtool's {@code tsdb dump} prints.
   */
  @Override
  public String toString() {
    return HistogramFormat.format(this);
  }

  /** Builds a {@link Histogram}; arrays passed in are copied. */
  public static final class Builder {
    private CounterResetHint counterResetHint = CounterResetHint.UNKNOWN;
    private int schema;
    private double zeroThreshold;
    private long zeroCount;
    private long count;
    private double sum;
    private Span[] positiveSpans = NO_SPANS;
    private Span[] negativeSpans = NO_SPANS;
    private long[] positiveBuckets = NO_BUCKETS;
    private long[] negativeBuckets = NO_BUCKETS;
    private double[] customValues = NO_VALUES;

    private Builder() {}

    public Builder counterResetHint(CounterResetHint v) {
      counterResetHint = Objects.requireNonNull(v);
      return this;
    }

    public Builder schema(int v) {
      schema = v;
      return this;
    }

    public Builder zeroThreshold(double v) {
      zeroThreshold = v;
      return this;
    }

    public Builder zeroCount(long v) {
      zeroCount = v;
      return this;
    }

    public Builder count(long v) {
      count = v;
      return this;
    }

    public Builder sum(double v) {
      sum = v;
      return this;
    }

    public Builder positiveSpans(Span... v) {
      positiveSpans = v.length == 0 ? NO_SPANS : v.clone();
      return this;
    }

    public Builder negativeSpans(Span... v) {
      negativeSpans = v.length == 0 ? NO_SPANS : v.clone();
      return this;
    }

    /** Delta-encoded positive buckets. */
    public Builder positiveBuckets(long... v) {
      positiveBuckets = v.length == 0 ? NO_BUCKETS : v.clone();
      return this;
    }

    /** Delta-encoded negative buckets. */
    public Builder negativeBuckets(long... v) {
      negativeBuckets = v.length == 0 ? NO_BUCKETS : v.clone();
      return this;
    }

    public Builder customValues(double... v) {
      customValues = v.length == 0 ? NO_VALUES : v.clone();
      return this;
    }

    public Histogram build() {
      return new Histogram(this);
    }
  }
}
