package io.promtsdb.core;

import java.util.Arrays;
import java.util.Objects;

/**
 * A float native histogram, Prometheus' {@code histogram.FloatHistogram}: an immutable value
 * with absolute (not delta-encoded) float bucket counts. See {@link Histogram} for schemas.
 * Equality compares floats by raw bits.
 */
public final class FloatHistogram {
  private static final Span[] NO_SPANS = new Span[0];
  private static final double[] NO_VALUES = new double[0];

  private final CounterResetHint counterResetHint;
  private final int schema;
  private final double zeroThreshold;
  private final double zeroCount;
  private final double count;
  private final double sum;
  private final Span[] positiveSpans;
  private final Span[] negativeSpans;
  private final double[] positiveBuckets;
  private final double[] negativeBuckets;
  private final double[] customValues;

  private FloatHistogram(Builder b) {
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

  public CounterResetHint counterResetHint() {
    return counterResetHint;
  }

  public int schema() {
    return schema;
  }

  public double zeroThreshold() {
    return zeroThreshold;
  }

  public double zeroCount() {
    return zeroCount;
  }

  public double count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  public boolean usesCustomBuckets() {
    return schema == Histogram.CUSTOM_BUCKETS_SCHEMA;
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

  /** The absolute count of the i-th positive bucket. */
  public double positiveBucket(int i) {
    return positiveBuckets[i];
  }

  public int negativeBucketCount() {
    return negativeBuckets.length;
  }

  public double negativeBucket(int i) {
    return negativeBuckets[i];
  }

  public double[] positiveBuckets() {
    return positiveBuckets.clone();
  }

  public double[] negativeBuckets() {
    return negativeBuckets.clone();
  }

  public double[] customValues() {
    return customValues.clone();
  }

  public int customValueCount() {
    return customValues.length;
  }

  public double customValue(int i) {
    return customValues[i];
  }

  public FloatHistogram withCounterResetHint(CounterResetHint hint) {
    return hint == counterResetHint ? this : toBuilder().counterResetHint(hint).build();
  }

  /**
   * Prometheus' {@code FloatHistogram.Validate}: spans match buckets, no negative bucket
   * counts, custom-bucket rules. Unlike integer histograms, the count is not checked.
   *
   * @throws InvalidHistogramException naming the rule broken
   */
  public void validate() {
    if (usesCustomBuckets()) {
      HistogramChecks.checkCustomBounds(customValues, positiveSpans, positiveBuckets.length);
      HistogramChecks.checkCustomRest(
          zeroCount, zeroThreshold, negativeSpans.length, negativeBuckets.length);
    } else {
      HistogramChecks.checkSpans(positiveSpans, positiveBuckets.length, "positive side");
      HistogramChecks.checkSpans(negativeSpans, negativeBuckets.length, "negative side");
      checkNonNegative(negativeBuckets, "negative side");
      if (customValues.length > 0) {
        throw new InvalidHistogramException(
            InvalidHistogramException.Kind.EXPONENTIAL_SCHEMA_CUSTOM_BOUNDS,
            "histogram with exponential schema must not have custom bounds");
      }
    }
    checkNonNegative(positiveBuckets, "positive side");
  }

  private static void checkNonNegative(double[] buckets, String side) {
    for (int i = 0; i < buckets.length; i++) {
      if (buckets[i] < 0) {
        throw HistogramChecks.negativeBucket(side, i, buckets[i]);
      }
    }
  }

  static boolean bitsEqual(double[] a, double[] b) {
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FloatHistogram h
        && counterResetHint == h.counterResetHint
        && schema == h.schema
        && Double.doubleToRawLongBits(zeroThreshold) == Double.doubleToRawLongBits(h.zeroThreshold)
        && Double.doubleToRawLongBits(zeroCount) == Double.doubleToRawLongBits(h.zeroCount)
        && Double.doubleToRawLongBits(count) == Double.doubleToRawLongBits(h.count)
        && Double.doubleToRawLongBits(sum) == Double.doubleToRawLongBits(h.sum)
        && Arrays.equals(positiveSpans, h.positiveSpans)
        && Arrays.equals(negativeSpans, h.negativeSpans)
        && bitsEqual(positiveBuckets, h.positiveBuckets)
        && bitsEqual(negativeBuckets, h.negativeBuckets)
        && bitsEqual(customValues, h.customValues);
  }

  @Override
  public int hashCode() {
    int h = Objects.hash(counterResetHint, schema);
    h = 31 * h + Long.hashCode(Double.doubleToRawLongBits(count));
    h = 31 * h + Long.hashCode(Double.doubleToRawLongBits(sum));
    h = 31 * h + positiveBuckets.length;
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

  /** Builds a {@link FloatHistogram}; arrays passed in are copied. */
  public static final class Builder {
    private CounterResetHint counterResetHint = CounterResetHint.UNKNOWN;
    private int schema;
    private double zeroThreshold;
    private double zeroCount;
    private double count;
    private double sum;
    private Span[] positiveSpans = NO_SPANS;
    private Span[] negativeSpans = NO_SPANS;
    private double[] positiveBuckets = NO_VALUES;
    private double[] negativeBuckets = NO_VALUES;
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

    public Builder zeroCount(double v) {
      zeroCount = v;
      return this;
    }

    public Builder count(double v) {
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

    /** Absolute positive bucket counts. */
    public Builder positiveBuckets(double... v) {
      positiveBuckets = v.length == 0 ? NO_VALUES : v.clone();
      return this;
    }

    /** Absolute negative bucket counts. */
    public Builder negativeBuckets(double... v) {
      negativeBuckets = v.length == 0 ? NO_VALUES : v.clone();
      return this;
    }

    public Builder customValues(double... v) {
      customValues = v.length == 0 ? NO_VALUES : v.clone();
      return this;
    }

    public FloatHistogram build() {
      return new FloatHistogram(this);
    }
  }
}
