package io.promtsdb.engine;

import io.promtsdb.chunks.Chunk;

/**
 * A full head chunk that is no longer appended to: a record of the head chunk files ({@code
 * chunks_head/}, {@code ref} set). Its encoded bytes are also held in {@code chunk} when it was
 * cut by this process (written at runtime, or cut while replaying the WAL or WBL and not written
 * at all, {@code ref} -1), since the head chunk file reader opened at replay does not see files
 * written since; {@code chunk} is null for chunks loaded from the files at open.
 *
 * @param ref the head chunk file reference ({@code file number << 32 | offset}), or -1
 * @param minTime first sample time (inclusive)
 * @param maxTime last sample time (inclusive)
 */
record MmappedChunk(long ref, long minTime, long maxTime, int numSamples, Chunk chunk) {

  static MmappedChunk onDisk(long ref, long minTime, long maxTime, int numSamples) {
    return new MmappedChunk(ref, minTime, maxTime, numSamples, null);
  }

  boolean isOnDisk() {
    return chunk == null;
  }
}
