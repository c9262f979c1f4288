package io.promtsdb.engine;

import io.promtsdb.core.Labels;
import io.promtsdb.core.Utf8Order;
import io.promtsdb.index.Postings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The head's inverted index (Go's {@code index.MemPostings}): for every label name and value,
 * the references of the series carrying it, plus the all-series list under ("", ""). Lists
 * are appended to while series are created and sorted once by {@link #ensureOrder()}.
 */
final class HeadPostings {
  static final String ALL = "";

  private static final class RefList {
    // Most label values (ids, instances) belong to one series or a few: start at one.
    long[] refs = new long[1];
    int size;

    void add(long r) {
      if (size == refs.length) {
        refs = Arrays.copyOf(refs, size * 2);
      }
      refs[size++] = r;
    }
  }

  // name -> value -> refs. Hash maps, as Go's MemPostings: creating a series (ten thousands of
  // them while a WAL replays) costs no ordered inserts; label values are sorted when listed.
  private final Map<String, HashMap<String, RefList>> byName = new HashMap<>();
  private final RefList all = new RefList();

  void add(long ref, Labels labels) {
    all.add(ref);
    for (int i = 0; i < labels.size(); i++) {
      byName
          .computeIfAbsent(labels.name(i), k -> new HashMap<>())
          .computeIfAbsent(labels.value(i), k -> new RefList())
          .add(ref);
    }
  }

  /** Sorts every list (Go's {@code EnsureOrder}). */
  void ensureOrder() {
    sortDedup(all);
    for (HashMap<String, RefList> values : byName.values()) {
      for (RefList l : values.values()) {
        sortDedup(l);
      }
    }
  }

  private static void sortDedup(RefList l) {
    Arrays.sort(l.refs, 0, l.size);
    int n = 0;
    for (int i = 0; i < l.size; i++) {
      if (n == 0 || l.refs[n - 1] != l.refs[i]) {
        l.refs[n++] = l.refs[i];
      }
    }
    l.size = n;
  }

  /** Removes deleted series from every list of their labels (Go's {@code Delete}). */
  void delete(Set<Long> deleted, List<Labels> affected) {
    removeFrom(all, deleted);
    for (Labels ls : affected) {
      for (int i = 0; i < ls.size(); i++) {
        HashMap<String, RefList> values = byName.get(ls.name(i));
        if (values == null) {
          continue;
        }
        RefList l = values.get(ls.value(i));
        if (l == null) {
          continue;
        }
        removeFrom(l, deleted);
        if (l.size == 0) {
          values.remove(ls.value(i));
          if (values.isEmpty()) {
            byName.remove(ls.name(i));
          }
        }
      }
    }
  }

  private static void removeFrom(RefList l, Set<Long> deleted) {
    int n = 0;
    for (int i = 0; i < l.size; i++) {
      if (!deleted.contains(l.refs[i])) {
        l.refs[n++] = l.refs[i];
      }
    }
    l.size = n;
  }

  private static Postings of(RefList l) {
    return l == null || l.size == 0 ? Postings.empty() : Postings.of(l.refs, 0, l.size);
  }

  Postings all() {
    return of(all);
  }

  Postings postings(String name, List<String> values) {
    if (name.isEmpty() && values.size() == 1 && values.get(0).isEmpty()) {
      return all();
    }
    HashMap<String, RefList> m = byName.get(name);
    if (m == null) {
      return Postings.empty();
    }
    List<Postings> ps = new ArrayList<>(values.size());
    for (String v : values) {
      RefList l = m.get(v);
      if (l != null && l.size > 0) {
        ps.add(of(l));
      }
    }
    return Postings.merge(ps);
  }

  Postings matching(String name, Predicate<String> match) {
    HashMap<String, RefList> m = byName.get(name);
    if (m == null) {
      return Postings.empty();
    }
    List<Postings> ps = new ArrayList<>();
    for (Map.Entry<String, RefList> e : m.entrySet()) {
      if (match == null || match.test(e.getKey())) {
        ps.add(of(e.getValue()));
      }
    }
    return Postings.merge(ps);
  }

  List<String> labelValues(String name) {
    HashMap<String, RefList> m = byName.get(name);
    if (m == null) {
      return List.of();
    }
    List<String> values = new ArrayList<>(m.keySet());
    values.sort(Utf8Order.COMPARATOR);
    return values;
  }

  List<String> labelNames() {
    List<String> names = new ArrayList<>(byName.keySet());
    names.sort(Utf8Order.COMPARATOR);
    return names;
  }
}
