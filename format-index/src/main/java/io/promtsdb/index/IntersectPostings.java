package io.promtsdb.index;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The intersection of two or more postings. The cheapest input leads: a block of up to
 * {@value #BLOCK} of its references is taken, then filtered by each other input in turn
 * with {@code seek}. Taking the inputs one at a time over a block, rather than all inputs per
 * reference as Prometheus' leapfrog does, keeps each input's memory hot: intersecting
 * thousands of lists (a regex matcher's values, each its own list) stops being one cache miss
 * per input per reference. When a block yields nothing, the lead seeks past the furthest
 * reference a follower reported, so sparse followers still skip the lead ahead.
 */
final class IntersectPostings implements Postings {
  static final int BLOCK = 128;

  private final Postings lead;
  private final Postings[] others;
  // Matches of the current block not yet returned: cand[i..n).
  private final long[] cand = new long[BLOCK];
  private int n;
  private int i;
  // A follower ran out: after the buffered matches, the intersection ends.
  private boolean exhausted;
  private long cur = NOT_STARTED;

  IntersectPostings(Postings[] its) {
    Postings[] sorted = its.clone();
    Arrays.sort(sorted, Comparator.comparingLong(Postings::cost));
    this.lead = sorted[0];
    this.others = Arrays.copyOfRange(sorted, 1, sorted.length);
  }

  @Override
  public long at() {
    return cur;
  }

  @Override
  public long next() {
    if (cur == END) {
      return END;
    }
    if (i < n) {
      return cur = cand[i++];
    }
    return cur = fill(-1);
  }

  @Override
  public long seek(long target) {
    long c = cur;
    if (c != NOT_STARTED && c >= target) {
      return c;
    }
    if (c == END) {
      return END;
    }
    while (i < n && cand[i] < target) {
      i++;
    }
    if (i < n) {
      return cur = cand[i++];
    }
    return cur = fill(target);
  }

  /** Fills the buffer with the next block's matches, from {@code target} if >= 0. */
  private long fill(long target) {
    final long[] cs = cand;
    while (!exhausted) {
      long leadAt = lead.at();
      long v = target > leadAt && leadAt != END ? lead.seek(target) : lead.next();
      int m = 0;
      while (v != END) {
        cs[m++] = v;
        if (m == BLOCK) {
          break;
        }
        v = lead.next();
      }
      if (m == 0) {
        break;
      }
      long furthest = -1;
      for (Postings o : others) {
        int k = 0;
        for (int j = 0; j < m; j++) {
          long c = cs[j];
          long w = o.seek(c);
          if (w == c) {
            cs[k++] = c;
          } else if (w == END) {
            exhausted = true;
            break;
          } else if (w > furthest) {
            furthest = w;
          }
        }
        m = k;
        if (m == 0) {
          break;
        }
      }
      n = m;
      i = 0;
      if (m > 0) {
        return cs[i++];
      }
      if (lead.at() == END) {
        break;
      }
      target = furthest;
    }
    n = 0;
    i = 0;
    return END;
  }

  @Override
  public long cost() {
    return lead.cost() + (n - i);
  }

  @Override
  public String toString() {
    return "Intersect[" + (1 + others.length) + " inputs, at " + cur + "]";
  }
}
