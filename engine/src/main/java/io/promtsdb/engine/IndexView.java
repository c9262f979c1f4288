package io.promtsdb.engine;

import io.promtsdb.core.Labels;
import io.promtsdb.index.Postings;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

/**
 * The index side of something queryable, a block's index file or the head's in-memory index
 * (Go's {@code tsdb.IndexReader}). Label names and values come back sorted by raw UTF-8
 * bytes.
 */
interface IndexView {

  /** Series carrying {@code name} with any of {@code values}. */
  Postings postings(String name, List<String> values) throws IOException;

  /** Series carrying {@code name} with a value accepted by {@code match}. */
  Postings postingsForLabelMatching(String name, Predicate<String> match) throws IOException;

  /** Series carrying {@code name} with any value. */
  Postings postingsForAllLabelValues(String name) throws IOException;

  /** Every series. */
  Postings allPostings() throws IOException;

  /** {@code p} in label order (a block index already is; the head sorts). */
  Postings sortedPostings(Postings p) throws IOException;

  /**
   * The labels of series {@code ref} and its chunk metas (replacing the content of {@code
   * chunks} when not null); null if there is no such series any more (Go's {@code
   * storage.ErrNotFound}).
   */
  Labels series(long ref, ChunkMetas chunks) throws IOException;

  /**
   * Whether a query over {@code [mint, maxt]} should read each series' chunk metas first
   * ({@link #chunkMetas}) and its labels only when a chunk is in range: true where chunk
   * metas come much cheaper than labels (no symbol lookups) and the range may leave series
   * out.
   */
  default boolean labelsLater(long mint, long maxt) {
    return false;
  }

  /**
   * The chunk metas of series {@code ref} (replacing the content of {@code chunks}); false if
   * there is no such series any more.
   */
  default boolean chunkMetas(long ref, ChunkMetas chunks) throws IOException {
    return series(ref, chunks) != null;
  }

  /** Every value of {@code name}, sorted. */
  List<String> labelValues(String name) throws IOException;

  /** Every label name, sorted. */
  List<String> labelNames() throws IOException;
}
