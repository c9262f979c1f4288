package io.promtsdb.core;

/**
 * A histogram that breaks the rules of Prometheus' {@code Histogram.Validate}. Each
 * {@link Kind} corresponds to one of Go's {@code histogram.Err...} values, so that an
 * appender can reject input with the error Prometheus would give.
 */
public final class InvalidHistogramException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** Go's validation errors, by name. */
  public enum Kind {
    COUNT_NOT_BIG_ENOUGH,
    COUNT_MISMATCH,
    NEGATIVE_BUCKET_COUNT,
    SPAN_NEGATIVE_OFFSET,
    SPANS_BUCKETS_MISMATCH,
    CUSTOM_BUCKETS_MISMATCH,
    CUSTOM_BUCKETS_INVALID,
    CUSTOM_BUCKETS_INFINITE,
    CUSTOM_BUCKETS_ZERO_COUNT,
    CUSTOM_BUCKETS_ZERO_THRESHOLD,
    CUSTOM_BUCKETS_NEGATIVE_SPANS,
    CUSTOM_BUCKETS_NEGATIVE_BUCKETS,
    EXPONENTIAL_SCHEMA_CUSTOM_BOUNDS,
    INVALID_SCHEMA
  }

  private final Kind kind;

  public InvalidHistogramException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
