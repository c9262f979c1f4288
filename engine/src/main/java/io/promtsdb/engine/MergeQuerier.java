package io.promtsdb.engine;

import io.promtsdb.core.Utf8Order;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several queriers (blocks and head) as one, series with equal labels chained: Prometheus'
 * {@code NewMergeQuerier(..., ChainedSeriesMerge)}. Each sub-querier is asked for sorted
 * series, whatever the caller asked for, since the merge needs label order.
 */
final class MergeQuerier implements Querier {
  private final List<Querier> queriers;

  private MergeQuerier(List<Querier> queriers) {
    this.queriers = queriers;
  }

  /** One querier is returned as it is (so an unsorted select stays unsorted, as in Go). */
  static Querier of(List<Querier> queriers) {
    if (queriers.size() == 1) {
      return queriers.get(0);
    }
    return new MergeQuerier(List.copyOf(queriers));
  }

  @Override
  public SeriesSet select(boolean sortSeries, List<Matcher> matchers) throws IOException {
    List<SeriesSet> sets = new ArrayList<>(queriers.size());
    for (Querier q : queriers) {
      sets.add(q.select(true, matchers));
    }
    return MergeSeriesSet.of(sets);
  }

  @Override
  public List<String> labelValues(String name, List<Matcher> matchers) throws IOException {
    List<String> out = List.of();
    for (Querier q : queriers) {
      out = mergeSorted(out, q.labelValues(name, matchers));
    }
    return out;
  }

  @Override
  public List<String> labelNames(List<Matcher> matchers) throws IOException {
    List<String> out = List.of();
    for (Querier q : queriers) {
      out = mergeSorted(out, q.labelNames(matchers));
    }
    return out;
  }

  static List<String> mergeSorted(List<String> a, List<String> b) {
    List<String> res = new ArrayList<>(Math.max(a.size(), b.size()));
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
      int c = Utf8Order.compare(a.get(i), b.get(j));
      if (c == 0) {
        res.add(a.get(i++));
        j++;
      } else if (c < 0) {
        res.add(a.get(i++));
      } else {
        res.add(b.get(j++));
      }
    }
    res.addAll(a.subList(i, a.size()));
    res.addAll(b.subList(j, b.size()));
    return res;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Querier q : queriers) {
      try {
        q.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
