package io.promtsdb.engine;

import io.promtsdb.core.Labels;
import java.util.List;
import java.util.Objects;

/**
 * A series as chunks (Go's {@code storage.ChunkSeries}): its labels and its chunks in time
 * order, not overlapping.
 */
public record ChunkSeries(Labels labels, List<BlockChunk> chunks) {
  public ChunkSeries {
    Objects.requireNonNull(labels, "labels");
    chunks = List.copyOf(chunks);
  }
}
