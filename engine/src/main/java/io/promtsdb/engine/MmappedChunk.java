package io.promtsdb.engine;

import io.promtsdb.chunks.Chunk;

/**
 * A full head chunk that is no longer appended to. It lives in one of three places: a record
 * of the head chunk files ({@code chunks_head/}; {@code chunk} and {@code samples} null, read
 * through {@code ref}); a chunk cut while replaying the WAL ({@code chunk} set: Prometheus would
 * have written it to a head chunk file of its read-only sandbox); or a full out-of-order chunk
 * cut while replaying the WBL ({@code samples} set).
 *
 * @param ref the head chunk file reference ({@code file number << 32 | offset}), or -1
 * @param minTime first sample time (inclusive)
 * @param maxTime last sample time (inclusive)
 */
record MmappedChunk(long ref, long minTime, long maxTime, int numSamples, Chunk chunk, SampleList samples) {

  static MmappedChunk onDisk(long ref, long minTime, long maxTime, int numSamples) {
    return new MmappedChunk(ref, minTime, maxTime, numSamples, null, null);
  }

  boolean isOnDisk() {
    return chunk == null && samples == null;
  }
}
