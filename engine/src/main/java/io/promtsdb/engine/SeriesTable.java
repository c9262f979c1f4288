package io.promtsdb.engine;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The head's series by reference. References are handed out densely from 1 by Prometheus, so
 * the ones below 2^24 live in a plain array (one load per lookup, the WAL replay's hottest
 * operation); larger ones, from unusual writers, in a hash map.
 */
final class SeriesTable {
  private static final int DENSE_LIMIT = 1 << 24;

  private MemSeries[] dense = new MemSeries[1024];
  private final LongMap<MemSeries> sparse = new LongMap<>();
  private int size;

  MemSeries get(long ref) {
    if (ref >= 0 && ref < dense.length) {
      return dense[(int) ref];
    }
    return ref >= 0 && ref < DENSE_LIMIT ? null : sparse.get(ref);
  }

  void put(long ref, MemSeries s) {
    if (ref >= 0 && ref < DENSE_LIMIT) {
      if (ref >= dense.length) {
        dense = Arrays.copyOf(dense, (int) Math.min(DENSE_LIMIT, Math.max(ref + 1, (long) dense.length * 2)));
      }
      if (dense[(int) ref] == null) {
        size++;
      }
      dense[(int) ref] = s;
      return;
    }
    int before = sparse.size();
    sparse.put(ref, s);
    size += sparse.size() - before;
  }

  void remove(long ref) {
    if (ref >= 0 && ref < DENSE_LIMIT) {
      if (ref < dense.length && dense[(int) ref] != null) {
        dense[(int) ref] = null;
        size--;
      }
      return;
    }
    int before = sparse.size();
    sparse.remove(ref);
    size -= before - sparse.size();
  }

  int size() {
    return size;
  }

  void forEachValue(Consumer<MemSeries> action) {
    for (MemSeries s : dense) {
      if (s != null) {
        action.accept(s);
      }
    }
    sparse.forEachValue(action);
  }
}
