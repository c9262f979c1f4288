package io.promtsdb.index;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The intersection of two or more postings (Lucene's {@code ConjunctionDISI}): the cheapest
 * input leads with {@code next}, the others follow with {@code seek}, and whenever one
 * overshoots, the lead seeks to it.
 */
final class IntersectPostings implements Postings {
  private final Postings lead;
  private final Postings[] others;
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
    return cur = align(lead.next());
  }

  @Override
  public long seek(long target) {
    long c = cur;
    if (c != NOT_STARTED && c >= target) {
      return c;
    }
    return cur = align(lead.seek(target));
  }

  // Smallest common reference >= target, where target is the lead's current reference.
  private long align(long target) {
    final Postings[] os = others;
    outer:
    while (target != END) {
      for (Postings o : os) {
        long v = o.seek(target);
        if (v != target) {
          // v > target (or END): no match at target; the lead catches up.
          target = v == END ? END : lead.seek(v);
          continue outer;
        }
      }
      return target;
    }
    return END;
  }

  @Override
  public long cost() {
    return lead.cost();
  }

  @Override
  public String toString() {
    return "Intersect[" + (1 + others.length) + " inputs, at " + cur + "]";
  }
}
