package io.promtsdb.core;

/**
 * One sample of a series: a float, an integer histogram or a float histogram at a
 * millisecond timestamp. {@link #startTimestamp()} is the optional start time (ST) that
 * Prometheus 3.11+ can store next to a sample; 0 means none.
 */
public sealed interface Sample {
  long timestamp();

  /** Start timestamp in milliseconds, or 0 when unknown. */
  long startTimestamp();

  /** A float sample. The value's raw bits are significant (stale markers, NaN payloads). */
  record FloatSample(long timestamp, long startTimestamp, double value) implements Sample {
    public FloatSample(long timestamp, double value) {
      this(timestamp, 0, value);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FloatSample s
          && s.timestamp == timestamp
          && s.startTimestamp == startTimestamp
          && Double.doubleToRawLongBits(s.value) == Double.doubleToRawLongBits(value);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(timestamp) * 31 + Long.hashCode(Double.doubleToRawLongBits(value));
    }
  }

  /** An integer native histogram sample. */
  record HistogramSample(long timestamp, long startTimestamp, Histogram histogram)
      implements Sample {
    public HistogramSample(long timestamp, Histogram histogram) {
      this(timestamp, 0, histogram);
    }
  }

  /** A float native histogram sample. */
  record FloatHistogramSample(long timestamp, long startTimestamp, FloatHistogram histogram)
      implements Sample {
    public FloatHistogramSample(long timestamp, FloatHistogram histogram) {
      this(timestamp, 0, histogram);
    }
  }
}
