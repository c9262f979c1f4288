package io.promtsdb.engine;

import io.promtsdb.chunks.Chunk;
import java.util.Objects;

/**
 * One encoded chunk of a series with the closed time range of its samples (Go's {@code
 * chunks.Meta} before it has a reference): what a {@link BlockWriter} writes.
 *
 * @param minTime first sample timestamp, inclusive
 * @param maxTime last sample timestamp, inclusive
 * @param chunk the encoded samples
 */
public record BlockChunk(long minTime, long maxTime, Chunk chunk) {
  public BlockChunk {
    Objects.requireNonNull(chunk, "chunk");
    if (maxTime < minTime) {
      throw new IllegalArgumentException("chunk maxTime " + maxTime + " is less than minTime " + minTime);
    }
  }
}
