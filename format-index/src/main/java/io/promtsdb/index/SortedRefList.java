package io.promtsdb.index;

/**
 * A postings list whose remaining references are directly addressable (an array or a slice
 * of the index), so a merge of many of them can be materialised into a bitmap in one pass.
 */
interface SortedRefList {
  /** Number of references not yet returned, the current one excluded. */
  int remaining();

  /** The next reference {@link Postings#next()} would return; only if {@code remaining() > 0}. */
  long peekNext();

  /** The last reference of the list; only if {@code remaining() > 0}. */
  long last();

  /** Sets the bit {@code ref - base} in {@code words} for every remaining reference. */
  void orRemainingInto(long[] words, long base);
}
