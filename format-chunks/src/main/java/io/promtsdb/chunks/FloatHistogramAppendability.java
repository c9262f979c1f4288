package io.promtsdb.chunks;

import java.util.List;

/**
 * Whether a float histogram can go into a counter float-histogram chunk (Go's
 * {@code FloatHistogramAppender.appendable}). As {@link HistogramAppendability}, but Go reports
 * only a boolean counter reset for float histograms: a schema or zero-threshold change is
 * {@code ok == false} with {@code counterReset == false}.
 */
public record FloatHistogramAppendability(
    List<Insert> forwardPositive,
    List<Insert> forwardNegative,
    List<Insert> backwardPositive,
    List<Insert> backwardNegative,
    boolean ok,
    boolean counterReset) {}
