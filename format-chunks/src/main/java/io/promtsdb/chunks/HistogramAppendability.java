package io.promtsdb.chunks;

import java.util.List;

/**
 * Whether an integer histogram can go into a counter histogram chunk (Go's
 * {@code HistogramAppender.appendable}). When {@code ok}, forward inserts list buckets the
 * chunk lacks (the chunk must be recoded) and backward inserts list empty buckets of the chunk
 * the sample lacks (the sample is padded). When not {@code ok}, {@code counterResetHint} says
 * why a new chunk is needed: a counter reset, or unknown (schema or zero threshold change, or
 * a non-stale sample after a stale one); it is {@code NOT_COUNTER_RESET} when the chunk is a
 * gauge chunk.
 */
public record HistogramAppendability(
    List<Insert> forwardPositive,
    List<Insert> forwardNegative,
    List<Insert> backwardPositive,
    List<Insert> backwardNegative,
    boolean ok,
    CounterResetHeader counterResetHint) {}
