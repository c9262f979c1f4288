package io.promtsdb.engine;

import io.promtsdb.core.Labels;

/** One series of a query result: its labels and its samples in the queried range. */
public interface Series {
  Labels labels();

  /**
   * A fresh iterator over the samples; {@code reuse} (may be null) is an iterator from an
   * earlier call that may be recycled.
   */
  SampleIterator iterator(SampleIterator reuse);
}
