package io.promtsdb.index;

/** Postings over a bitmap: bit {@code i} set means reference {@code base + i}. */
final class BitmapPostings implements Postings {
  private final long[] words;
  private final long base;
  private final long cardinality;
  private long cur = NOT_STARTED;
  private long returned;

  BitmapPostings(long[] words, long base, long cardinality) {
    this.words = words;
    this.base = base;
    this.cardinality = cardinality;
  }

  @Override
  public long at() {
    return cur;
  }

  @Override
  public long next() {
    long c = cur;
    if (c == END) {
      return END;
    }
    return scanFrom(c == NOT_STARTED ? 0 : c - base + 1);
  }

  @Override
  public long seek(long target) {
    long c = cur;
    if (c != NOT_STARTED && c >= target) {
      return c;
    }
    long from = target - base;
    if (c != NOT_STARTED) {
      from = Math.max(from, c - base + 1);
    }
    return scanFrom(Math.max(from, 0));
  }

  // First set bit at relative index >= from.
  private long scanFrom(long from) {
    final long[] w = words;
    int wi = (int) Math.min(from >>> 6, w.length);
    if (wi >= w.length) {
      return cur = END;
    }
    long word = w[wi] & (-1L << from);
    while (word == 0) {
      if (++wi >= w.length) {
        return cur = END;
      }
      word = w[wi];
    }
    returned++;
    return cur = base + ((long) wi << 6) + Long.numberOfTrailingZeros(word);
  }

  @Override
  public long cost() {
    return Math.max(0, cardinality - returned);
  }

  @Override
  public String toString() {
    return "BitmapPostings[" + cardinality + " refs, at " + cur + "]";
  }
}
