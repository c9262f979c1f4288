package io.promtsdb.index;

/**
 * Where a chunk of a series lives and which time range it covers, as a series entry of the
 * index records it.
 *
 * @param ref the block chunk reference: {@code (index of the segment file in the sorted
 *     chunks/ listing) << 32 | offset in that file}
 * @param minTime first sample timestamp, inclusive
 * @param maxTime last sample timestamp, inclusive
 */
public record ChunkMeta(long ref, long minTime, long maxTime) {}
