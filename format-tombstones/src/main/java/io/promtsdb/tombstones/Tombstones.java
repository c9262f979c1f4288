package io.promtsdb.tombstones;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Deleted intervals by series reference: Prometheus' {@code tombstones.MemTombstones}.
 *
 * <p>Intervals of a series are merged on {@link #addInterval} with {@link Intervals#add}.
 * Series keep the order in which they were first added, so {@link #entries()} (and a file
 * written from this object) lists them in a reproducible order; Go writes them in its
 * randomized map order. Not thread-safe.
 */
public final class Tombstones {
  private final Map<Long, Intervals> bySeries = new LinkedHashMap<>();

  public Tombstones() {}

  /** Tombstones holding {@code entries}, merged per series, in first-seen order. */
  public static Tombstones of(Iterable<TombstoneEntry> entries) {
    Tombstones t = new Tombstones();
    for (TombstoneEntry e : entries) {
      t.addInterval(e.ref(), e.interval());
    }
    return t;
  }

  /** Adds a deleted interval to series {@code ref}, merging it with the series' others. */
  public void addInterval(long ref, Interval interval) {
    bySeries.merge(ref, Intervals.EMPTY.add(interval), (old, ignored) -> old.add(interval));
  }

  /** The intervals of {@code ref}; empty if the series has none. */
  public Intervals get(long ref) {
    return bySeries.getOrDefault(ref, Intervals.EMPTY);
  }

  /** Series references with at least one interval, in insertion order. */
  public Set<Long> refs() {
    return Collections.unmodifiableSet(bySeries.keySet());
  }

  public void forEach(BiConsumer<Long, Intervals> action) {
    bySeries.forEach(action);
  }

  /** Number of intervals over all series (Go's {@code Total}). */
  public long total() {
    long n = 0;
    for (Intervals iv : bySeries.values()) {
      n += iv.size();
    }
    return n;
  }

  public boolean isEmpty() {
    return bySeries.isEmpty();
  }

  /** Removes every interval of the given series (Go's {@code DeleteTombstones}). */
  public void deleteTombstones(Iterable<Long> refs) {
    for (Long r : refs) {
      bySeries.remove(r);
    }
  }

  /**
   * Drops, per series, the intervals that end before {@code beforeT} (Go's {@code
   * TruncateBefore}: the kept suffix starts after the last interval with {@code maxt <
   * beforeT}).
   */
  public void truncateBefore(long beforeT) {
    var it = bySeries.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      Intervals ivs = e.getValue();
      int i = ivs.size() - 1;
      for (; i >= 0; i--) {
        if (beforeT > ivs.maxt(i)) {
          break;
        }
      }
      if (i + 1 == ivs.size()) {
        it.remove();
      } else if (i >= 0) {
        List<Interval> kept = new ArrayList<>(ivs.asList().subList(i + 1, ivs.size()));
        e.setValue(Intervals.of(kept.toArray(new Interval[0])));
      }
    }
  }

  /** One entry per interval, series in insertion order: the order a file is written in. */
  public List<TombstoneEntry> entries() {
    List<TombstoneEntry> out = new ArrayList<>();
    bySeries.forEach(
        (ref, ivs) -> {
          for (int i = 0; i < ivs.size(); i++) {
            out.add(new TombstoneEntry(ref, ivs.mint(i), ivs.maxt(i)));
          }
        });
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tombstones t && bySeries.equals(t.bySeries);
  }

  @Override
  public int hashCode() {
    return bySeries.hashCode();
  }

  @Override
  public String toString() {
    return bySeries.toString();
  }
}
