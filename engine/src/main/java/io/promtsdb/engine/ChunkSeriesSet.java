package io.promtsdb.engine;

import java.io.IOException;
import java.util.Iterator;

/**
 * Series as chunks, one at a time, sorted by labels (Go's {@code storage.ChunkSeriesSet}):
 * what a {@link BlockWriter} consumes.
 */
public interface ChunkSeriesSet {
  /** Advances to the next series; false when there is none. */
  boolean next() throws IOException;

  /** The current series. */
  ChunkSeries at();

  /** The series of {@code sorted}, which must be sorted by labels. */
  static ChunkSeriesSet of(Iterable<ChunkSeries> sorted) {
    Iterator<ChunkSeries> it = sorted.iterator();
    return new ChunkSeriesSet() {
      private ChunkSeries at;

      @Override
      public boolean next() {
        at = it.hasNext() ? it.next() : null;
        return at != null;
      }

      @Override
      public ChunkSeries at() {
        if (at == null) {
          throw new IllegalStateException("no current series");
        }
        return at;
      }
    };
  }
}
