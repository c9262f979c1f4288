package io.promtsdb.engine;

import java.io.IOException;
import java.util.List;

/**
 * The series of a query, one at a time (Go's {@code storage.SeriesSet}).
 *
 * <pre>{@code
 * SeriesSet ss = querier.select(true, matchers);
 * while (ss.next()) {
 *   Series s = ss.at();
 * }
 * }</pre>
 */
public interface SeriesSet {
  /** Advances to the next series; false when there is none. */
  boolean next() throws IOException;

  /** The current series. */
  Series at();

  /** Problems that did not stop the query (e.g. skipped corrupt blocks). */
  default List<String> warnings() {
    return List.of();
  }

  /**
   * Several sets, each sorted by labels, merged into one sorted set; series with equal labels
   * become one whose samples are chained, duplicates dropped (Prometheus' {@code
   * NewMergeSeriesSet} with {@code ChainedSeriesMerge}).
   */
  static SeriesSet merge(List<SeriesSet> sets) {
    return MergeSeriesSet.of(sets);
  }

  /** A set without series. */
  static SeriesSet empty() {
    return new SeriesSet() {
      @Override
      public boolean next() {
        return false;
      }

      @Override
      public Series at() {
        throw new IllegalStateException("no series");
      }
    };
  }
}
