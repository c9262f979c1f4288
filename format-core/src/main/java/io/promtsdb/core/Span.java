package io.promtsdb.core;

/**
 * A run of consecutive populated buckets in a native histogram: {@code offset} buckets are
 * skipped after the previous span (for the first span, from bucket index 0), then
 * {@code length} buckets follow. Go stores the length as uint32; lengths above
 * {@link Integer#MAX_VALUE} cannot describe a real histogram and are rejected by decoders.
 */
public record Span(int offset, int length) {
  public Span {
    if (length < 0) {
      throw new IllegalArgumentException("span length must not be negative: " + length);
    }
  }
}
