package io.promtsdb.tombstones;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An immutable list of intervals, kept sorted and non-overlapping by {@link #add}: Prometheus'
 * {@code tombstones.Intervals}.
 *
 * <p>{@link #add} follows {@code Intervals.Add} exactly: intervals that overlap the new one,
 * or touch it (a gap of zero, since timestamps are discrete), are merged into one. It
 * assumes the list is sorted, as Prometheus does. One deliberate difference: Go's {@code Add}
 * indexes past the end of its slice (a panic) when the new interval ends at {@code
 * Long.MAX_VALUE} and starts after the first existing interval; here that case merges like
 * any other.
 */
public final class Intervals {
  public static final Intervals EMPTY = new Intervals(new long[0]);

  // mint0, maxt0, mint1, maxt1, ...
  private final long[] bounds;

  private Intervals(long[] bounds) {
    this.bounds = bounds;
  }

  /** Intervals exactly as given, without merging (as a decoder sees them). */
  public static Intervals of(Interval... intervals) {
    long[] b = new long[intervals.length * 2];
    for (int i = 0; i < intervals.length; i++) {
      b[2 * i] = intervals[i].mint();
      b[2 * i + 1] = intervals[i].maxt();
    }
    return new Intervals(b);
  }

  /** The result of adding each interval in turn to an empty list, with {@link #add}. */
  public static Intervals merged(Iterable<Interval> intervals) {
    Intervals out = EMPTY;
    for (Interval iv : intervals) {
      out = out.add(iv);
    }
    return out;
  }

  public int size() {
    return bounds.length / 2;
  }

  public boolean isEmpty() {
    return bounds.length == 0;
  }

  public Interval get(int i) {
    return new Interval(bounds[2 * i], bounds[2 * i + 1]);
  }

  public long mint(int i) {
    return bounds[2 * i];
  }

  public long maxt(int i) {
    return bounds[2 * i + 1];
  }

  public List<Interval> asList() {
    List<Interval> out = new ArrayList<>(size());
    for (int i = 0; i < size(); i++) {
      out.add(get(i));
    }
    return Collections.unmodifiableList(out);
  }

  /** Whether {@code t} lies in any of the intervals. */
  public boolean contains(long t) {
    for (int i = 0; i < bounds.length; i += 2) {
      if (t >= bounds[i] && t <= bounds[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /**
   * This list with {@code n} added: Go's {@code Intervals.Add}. Intervals overlapping {@code
   * n} or adjacent to it (one millisecond apart) are merged with it.
   */
  public Intervals add(Interval n) {
    int len = size();
    if (len == 0) {
      return new Intervals(new long[] {n.mint(), n.maxt()});
    }
    int first = 0;
    if (n.mint() != Long.MIN_VALUE) {
      // First interval with maxt >= n.mint - 1.
      first = search(0, len, i -> maxt(i) >= n.mint() - 1);
      if (first == len) {
        return insert(len, n);
      }
    }
    final int mini = first;
    // Number of intervals from mini on that start at or before n.maxt + 1.
    int maxi = len - mini;
    if (n.maxt() != Long.MAX_VALUE) {
      maxi = search(0, len - mini, i -> mint(mini + i) > n.maxt() + 1);
      if (maxi == 0) {
        return insert(mini, n);
      }
    }
    long newMint = Math.min(n.mint(), mint(mini));
    long newMaxt = Math.max(n.maxt(), maxt(maxi + mini - 1));
    // Replace intervals [mini, mini + maxi) by one.
    long[] b = new long[(len - maxi + 1) * 2];
    System.arraycopy(bounds, 0, b, 0, mini * 2);
    b[mini * 2] = newMint;
    b[mini * 2 + 1] = newMaxt;
    System.arraycopy(bounds, (mini + maxi) * 2, b, (mini + 1) * 2, (len - mini - maxi) * 2);
    return new Intervals(b);
  }

  private Intervals insert(int at, Interval n) {
    long[] b = new long[bounds.length + 2];
    System.arraycopy(bounds, 0, b, 0, at * 2);
    b[at * 2] = n.mint();
    b[at * 2 + 1] = n.maxt();
    System.arraycopy(bounds, at * 2, b, at * 2 + 2, bounds.length - at * 2);
    return new Intervals(b);
  }

  private interface IntPredicate {
    boolean test(int i);
  }

  // Go's sort.Search: the smallest i in [from, to) for which p is true, else to.
  private static int search(int from, int to, IntPredicate p) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (!p.test(mid)) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Intervals other && Arrays.equals(bounds, other.bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  @Override
  public String toString() {
    return asList().toString();
  }
}
