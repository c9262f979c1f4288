package io.promtsdb.index;

import io.promtsdb.core.Labels;
import java.util.List;

/**
 * One series entry of an index.
 *
 * @param ref the series reference (v2: file offset / 16, v1: file offset)
 * @param labels its labels
 * @param chunks its chunk metas, ordered by time
 */
public record IndexSeries(long ref, Labels labels, List<ChunkMeta> chunks) {
  public IndexSeries {
    chunks = List.copyOf(chunks);
  }
}
