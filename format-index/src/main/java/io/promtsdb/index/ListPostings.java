package io.promtsdb.index;

/** Postings over a strictly ascending {@code long[]} range. */
final class ListPostings implements Postings, SortedRefList {
  private final long[] refs;
  private final int from;
  private final int to;
  // Index of the current reference: from - 1 before the start, to at the end.
  private int pos;

  ListPostings(long[] refs, int from, int to) {
    this.refs = refs;
    this.from = from;
    this.to = to;
    this.pos = from - 1;
  }

  @Override
  public long at() {
    int p = pos;
    return p < from ? NOT_STARTED : p >= to ? END : refs[p];
  }

  @Override
  public long next() {
    int p = pos + 1;
    if (p < to) {
      pos = p;
      return refs[p];
    }
    pos = to;
    return END;
  }

  @Override
  public long seek(long target) {
    int p = pos;
    final long[] a = refs;
    final int end = to;
    if (p >= from) {
      if (p >= end) {
        return END;
      }
      if (a[p] >= target) {
        return a[p];
      }
    }
    int lo = p < from ? from : p + 1;
    if (lo >= end) {
      pos = end;
      return END;
    }
    if (a[lo] >= target) {
      pos = lo;
      return a[lo];
    }
    // Gallop: a[lo] < target; find hi with a[hi] >= target or hi == end.
    int step = 1;
    int hi = lo + 1;
    while (hi < end && a[hi] < target) {
      lo = hi;
      step <<= 1;
      hi = lo + step;
      if (hi < 0 || hi > end) {
        hi = end;
      }
    }
    // First index in (lo, hi] holding a value >= target; hi itself qualifies (or is end).
    lo++;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (a[mid] < target) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    pos = lo;
    return lo < end ? a[lo] : END;
  }

  @Override
  public long cost() {
    return to - Math.max(pos, from);
  }

  @Override
  public int remaining() {
    return Math.max(0, to - Math.max(pos + 1, from));
  }

  @Override
  public long peekNext() {
    return refs[Math.max(pos + 1, from)];
  }

  @Override
  public long last() {
    return refs[to - 1];
  }

  @Override
  public void orRemainingInto(long[] words, long base) {
    final long[] a = refs;
    for (int i = Math.max(pos + 1, from); i < to; i++) {
      long b = a[i] - base;
      words[(int) (b >>> 6)] |= 1L << b;
    }
    pos = to;
  }

  @Override
  public String toString() {
    return "ListPostings[" + (to - from) + " refs, at " + at() + "]";
  }
}
