package io.promtsdb.chunks;

import io.promtsdb.core.Span;
import java.util.List;

/**
 * Whether a gauge histogram can go into a gauge chunk (Go's {@code appendableGauge}). Gauge
 * buckets may appear and disappear: forward inserts widen the chunk, backward inserts widen the
 * sample, and the merged spans cover both. Not {@code ok} if the chunk is not a gauge chunk, the
 * schema, zero threshold or custom bounds changed, or the last sample was stale.
 */
public record GaugeAppendability(
    List<Insert> forwardPositive,
    List<Insert> forwardNegative,
    List<Insert> backwardPositive,
    List<Insert> backwardNegative,
    Span[] mergedPositive,
    Span[] mergedNegative,
    boolean ok) {}
