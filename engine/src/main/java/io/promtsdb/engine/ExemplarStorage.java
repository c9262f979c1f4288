package io.promtsdb.engine;

import io.promtsdb.core.Labels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exemplars in one circular buffer of a fixed size (Go's {@code CircularExemplarStorage}):
 * when full, the oldest exemplar of all series is overwritten. Per series the newest exemplar
 * decides what is accepted: one older than it is out of order, an equal one a duplicate.
 * Thread-safe.
 */
final class ExemplarStorage {
  /** Prometheus' {@code exemplar.ExemplarMaxLabelSetLength}, in UTF-8 characters. */
  static final int MAX_LABEL_SET_LENGTH = 128;

  private record Entry(MemSeries series, Exemplar exemplar) {}

  private final Entry[] ring;
  private int next;
  private final Map<Long, Exemplar> newest = new HashMap<>();

  ExemplarStorage(int size) {
    this.ring = new Entry[size];
  }

  /**
   * Go's {@code validateExemplar}: false for a duplicate of the series' newest exemplar (ignored
   * without an error, as the head appender does).
   */
  synchronized boolean validate(long seriesRef, Exemplar e) throws AppendException {
    int[] len = {0};
    e.labels().forEach((n, v) -> len[0] += n.codePointCount(0, n.length()) + v.codePointCount(0, v.length()));
    if (len[0] > MAX_LABEL_SET_LENGTH) {
      throw new AppendException(AppendException.Kind.EXEMPLAR_LABEL_LENGTH);
    }
    Exemplar last = newest.get(seriesRef);
    if (last == null) {
      return true;
    }
    if (last.sameAs(e)) {
      return false;
    }
    if (e.t() <= last.t()) {
      throw new AppendException(AppendException.Kind.OUT_OF_ORDER_EXEMPLAR);
    }
    return true;
  }

  /** Adds an exemplar that {@link #validate} accepted; out-of-order ones (a racing commit) are dropped. */
  synchronized void add(MemSeries s, Exemplar e) {
    Exemplar last = newest.get(s.ref);
    if (last != null && e.t() <= last.t()) {
      return;
    }
    Entry old = ring[next];
    if (old != null && newest.get(old.series().ref) == old.exemplar()) {
      newest.remove(old.series().ref);
    }
    ring[next] = new Entry(s, e);
    next = (next + 1) % ring.length;
    newest.put(s.ref, e);
  }

  /** The exemplars of series whose labels match every matcher, with time in {@code [mint, maxt]}, oldest first. */
  synchronized Map<Labels, List<Exemplar>> select(long mint, long maxt, List<Matcher> matchers) {
    Map<Labels, List<Exemplar>> out = new LinkedHashMap<>();
    for (int i = 0; i < ring.length; i++) {
      Entry en = ring[(next + i) % ring.length];
      if (en == null || en.exemplar().t() < mint || en.exemplar().t() > maxt) {
        continue;
      }
      if (matchesAll(en.series().labels, matchers)) {
        out.computeIfAbsent(en.series().labels, k -> new ArrayList<>()).add(en.exemplar());
      }
    }
    return out;
  }

  private static boolean matchesAll(Labels l, List<Matcher> ms) {
    for (Matcher m : ms) {
      String v = l.get(m.name());
      if (!m.matches(v == null ? "" : v)) {
        return false;
      }
    }
    return true;
  }
}
