package io.promtsdb.engine;

import java.io.IOException;

/**
 * Where a querier gets the samples of a chunk meta from (Go's {@code tsdb.ChunkReader}): a
 * block's chunk segment files, the head's in-memory and m-mapped chunks, or, for the head's
 * out-of-order data, several overlapping chunks merged into one sequence.
 */
interface ChunkView {

  /**
   * The samples of the chunk that {@code ref} (as the matching {@link IndexView} handed it
   * out, with {@code [minTime, maxTime]} and {@code attachment}) refers to.
   *
   * @param reuse an iterator from a previous call, or null
   */
  SampleIterator iterator(long ref, long minTime, long maxTime, Object attachment, SampleIterator reuse)
      throws IOException;
}
