package io.promtsdb.conformance;

/**
 * What {@code meta.json} says about a block (the fields {@code promtool tsdb list} prints).
 *
 * @param maxTime exclusive, as in {@code meta.json}
 */
public record BlockInfo(String ulid, long minTime, long maxTime, long numSamples, long numSeries, long numChunks) {}
