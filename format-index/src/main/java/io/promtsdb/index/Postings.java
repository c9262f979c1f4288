package io.promtsdb.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A lazy, ascending iterator over series references: one postings list of an index, or a
 * combination of several ({@link #intersect}, {@link #merge}, {@link #without}). This is what
 * label matchers are built from.
 *
 * <p>Iteration is Lucene-style, on primitive {@code long}s: {@link #next()} and {@link
 * #seek(long)} move and return the new current reference, {@link #END} once exhausted.
 * <pre>{@code
 * for (long ref = p.next(); ref != Postings.END; ref = p.next()) { ... }
 * }</pre>
 *
 * <p>References are non-negative: in index format v2 a series ID (file offset / 16), in v1 a
 * file offset, in a head any {@code HeadSeriesRef}. Lists read from an index were bounds- and
 * checksum-checked when they were opened, so iteration never fails. Instances are not
 * thread-safe; each query builds its own.
 */
public interface Postings {

  /** Returned by {@link #next()}, {@link #seek(long)} and {@link #at()} once exhausted. */
  long END = Long.MAX_VALUE;

  /** {@link #at()} before the first {@link #next()} or {@link #seek(long)}. */
  long NOT_STARTED = -1;

  /**
   * The current reference: {@link #NOT_STARTED} before the first move, {@link #END} after the
   * last. The shared {@link #empty()} instance is always at {@link #END}.
   */
  long at();

  /** Moves to the next reference and returns it, or {@link #END}. */
  long next();

  /**
   * Moves forward to the first reference {@code >= target} and returns it, or {@link #END}.
   * Never moves backwards: if the current reference is already {@code >= target} it stays
   * (before the first move the first reference counts, so {@code seek(0)} starts
   * iterating).
   */
  long seek(long target);

  /**
   * An upper bound on the number of references still to come (exact for lists). Used to
   * order intersections and pick merge strategies.
   */
  long cost();

  /** The shared empty postings list. */
  static Postings empty() {
    return EmptyPostings.INSTANCE;
  }

  /** Whether {@code p} is the shared empty list (a cheap check, not "has no elements"). */
  static boolean isEmptyInstance(Postings p) {
    return p == EmptyPostings.INSTANCE;
  }

  /**
   * A list over {@code refs}, which must be non-negative and strictly ascending (checked).
   * The array is not copied.
   */
  static Postings of(long... refs) {
    return of(refs, 0, refs.length);
  }

  /** A list over {@code refs[from..to)}, non-negative and strictly ascending (checked). */
  static Postings of(long[] refs, int from, int to) {
    if (from < 0 || to > refs.length || from > to) {
      throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + refs.length);
    }
    for (int i = from; i < to; i++) {
      if (refs[i] < 0 || (i > from && refs[i] <= refs[i - 1])) {
        throw new IllegalArgumentException(
            "postings must be non-negative and strictly ascending at index " + i + ": " + refs[i]);
      }
    }
    return from == to ? empty() : new ListPostings(refs, from, to);
  }

  /**
   * A list over {@code refs[from..to)} that the caller guarantees to be non-negative and
   * strictly ascending (not checked: O(1), for lists built by code that keeps them sorted).
   * Unsorted input gives unspecified results, never an exception or an endless loop.
   */
  static Postings ofUnchecked(long[] refs, int from, int to) {
    if (from < 0 || to > refs.length || from > to) {
      throw new IndexOutOfBoundsException("[" + from + ", " + to + ") of " + refs.length);
    }
    return from == to ? empty() : new ListPostings(refs, from, to);
  }

  /**
   * The intersection: references present in every input. Lazy; the input with the lowest
   * {@link #cost()} leads and the others are advanced with {@link #seek} (galloping in
   * lists), so a short list intersected with long ones costs about its own length times
   * log(distance). Inputs are consumed.
   */
  static Postings intersect(Postings... its) {
    return intersect(Arrays.asList(its));
  }

  /** See {@link #intersect(Postings...)}. */
  static Postings intersect(List<? extends Postings> its) {
    if (its.isEmpty()) {
      return empty();
    }
    for (Postings p : its) {
      if (isEmptyInstance(p)) {
        return empty();
      }
    }
    if (its.size() == 1) {
      return its.get(0);
    }
    return new IntersectPostings(its.toArray(new Postings[0]));
  }

  /**
   * The union, without duplicates. Lazy: a loser tree over the inputs, except that a merge
   * of many lists that is iterated with {@link #next()} from the start is materialised into a
   * bitmap when the lists are dense enough (what a regex matching thousands of values
   * produces). Inputs are consumed.
   */
  static Postings merge(Postings... its) {
    return merge(Arrays.asList(its));
  }

  /** See {@link #merge(Postings...)}. */
  static Postings merge(List<? extends Postings> its) {
    List<Postings> nonEmpty = new ArrayList<>(its.size());
    for (Postings p : its) {
      if (!isEmptyInstance(p)) {
        nonEmpty.add(p);
      }
    }
    if (nonEmpty.isEmpty()) {
      return empty();
    }
    if (nonEmpty.size() == 1) {
      return nonEmpty.get(0);
    }
    return new MergePostings(nonEmpty.toArray(new Postings[0]));
  }

  /** The references of {@code full} that are not in {@code drop}. Lazy; consumes both. */
  static Postings without(Postings full, Postings drop) {
    if (isEmptyInstance(full)) {
      return empty();
    }
    if (isEmptyInstance(drop)) {
      return full;
    }
    return new WithoutPostings(full, drop);
  }

  /** Consumes {@code p} and returns its remaining references. */
  static long[] expand(Postings p) {
    long c = p.cost();
    long[] out = new long[(int) Math.min(Math.max(c, 4), 1 << 16)];
    int n = 0;
    for (long r = p.next(); r != END; r = p.next()) {
      if (n == out.length) {
        out = Arrays.copyOf(out, (int) Math.min((long) out.length * 2, Integer.MAX_VALUE - 8));
      }
      out[n++] = r;
    }
    return Arrays.copyOf(out, n);
  }

  /** Consumes {@code p} and counts its remaining references. */
  static long count(Postings p) {
    long n = 0;
    for (long r = p.next(); r != END; r = p.next()) {
      n++;
    }
    return n;
  }
}
