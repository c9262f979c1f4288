package io.promtsdb.index;

import java.nio.ByteBuffer;

/**
 * Postings over the raw bytes of a postings list: {@code n} big-endian uint32 references,
 * read in place from the index mapping. The buffer was bounds- and checksum-checked when
 * the list was opened; ascending order is what Prometheus writes (verified by {@code
 * checkIntegrity}). A list that is not ascending (corrupt bytes read with verification off)
 * gives unspecified references but never an exception or an endless loop: every move only
 * advances the position.
 */
final class BigEndianPostings implements Postings, SortedRefList {
  private final ByteBuffer refs;
  private final int n;
  // Index of the current reference: -1 before the start, n at the end.
  private int pos = -1;

  /** {@code refs} holds exactly {@code n} four-byte references from position 0. */
  BigEndianPostings(ByteBuffer refs, int n) {
    this.refs = refs;
    this.n = n;
  }

  private long get(int i) {
    return refs.getInt(i << 2) & 0xFFFFFFFFL;
  }

  @Override
  public long at() {
    int p = pos;
    return p < 0 ? NOT_STARTED : p >= n ? END : get(p);
  }

  @Override
  public long next() {
    int p = pos + 1;
    if (p < n) {
      pos = p;
      return get(p);
    }
    pos = n;
    return END;
  }

  @Override
  public long seek(long target) {
    int p = pos;
    final int end = n;
    if (p >= 0) {
      if (p >= end) {
        return END;
      }
      long v = get(p);
      if (v >= target) {
        return v;
      }
    }
    int lo = p + 1;
    if (lo >= end) {
      pos = end;
      return END;
    }
    long first = get(lo);
    if (first >= target) {
      pos = lo;
      return first;
    }
    int step = 1;
    int hi = lo + 1;
    while (hi < end && get(hi) < target) {
      lo = hi;
      step <<= 1;
      hi = lo + step;
      if (hi < 0 || hi > end) {
        hi = end;
      }
    }
    lo++;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (get(mid) < target) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    pos = lo;
    return lo < end ? get(lo) : END;
  }

  @Override
  public long cost() {
    return n - Math.max(pos, 0);
  }

  @Override
  public int remaining() {
    return Math.max(0, n - (pos + 1));
  }

  @Override
  public long peekNext() {
    return get(pos + 1);
  }

  @Override
  public long last() {
    return get(n - 1);
  }

  @Override
  public void orRemainingInto(long[] words, long base) {
    // Bounds-checked: a list read without checksum verification may be corrupt and not
    // ascending; its out-of-range references are dropped rather than failing.
    long limit = (long) words.length << 6;
    for (int i = pos + 1; i < n; i++) {
      long b = get(i) - base;
      if (b >= 0 && b < limit) {
        words[(int) (b >>> 6)] |= 1L << b;
      }
    }
    pos = n;
  }

  @Override
  public String toString() {
    return "BigEndianPostings[" + n + " refs, at " + at() + "]";
  }
}
