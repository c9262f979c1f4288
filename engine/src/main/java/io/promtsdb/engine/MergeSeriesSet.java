package io.promtsdb.engine;

import io.promtsdb.core.Labels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several label-sorted series sets merged into one, series with equal labels chained into one
 * series with {@link ChainSampleIterator}: Prometheus' {@code genericMergeSeriesSet} with
 * {@code ChainedSeriesMerge}, including Go's heap order (which decides the order in which
 * equal series are chained, and so which duplicate sample wins).
 */
final class MergeSeriesSet implements SeriesSet {
  private final List<SeriesSet> sets;
  private final GoHeap<SeriesSet> heap =
      new GoHeap<>((a, b) -> a.at().labels().compareTo(b.at().labels()));
  private final List<SeriesSet> current = new ArrayList<>();
  private boolean started;

  private MergeSeriesSet(List<SeriesSet> sets) {
    this.sets = sets;
  }

  /** The merge of {@code sets}, each sorted by labels; a single set is returned as is. */
  static SeriesSet of(List<SeriesSet> sets) {
    if (sets.size() == 1) {
      return sets.get(0);
    }
    if (sets.isEmpty()) {
      return SeriesSet.empty();
    }
    return new MergeSeriesSet(List.copyOf(sets));
  }

  @Override
  public boolean next() throws IOException {
    if (!started) {
      started = true;
      for (SeriesSet s : sets) {
        if (s.next()) {
          heap.push(s);
        }
      }
    } else {
      for (SeriesSet s : current) {
        if (s.next()) {
          heap.push(s);
        }
      }
    }
    current.clear();
    if (heap.isEmpty()) {
      return false;
    }
    Labels labels = heap.peek().at().labels();
    while (!heap.isEmpty() && heap.peek().at().labels().equals(labels)) {
      current.add(heap.pop());
    }
    return true;
  }

  @Override
  public Series at() {
    if (current.size() == 1) {
      return current.get(0).at();
    }
    List<Series> series = new ArrayList<>(current.size());
    for (SeriesSet s : current) {
      series.add(s.at());
    }
    return chained(series);
  }

  /** Prometheus' {@code ChainedSeriesMerge}: one series whose samples are the chained samples of all. */
  static Series chained(List<Series> series) {
    Labels labels = series.get(0).labels();
    return new Series() {
      @Override
      public Labels labels() {
        return labels;
      }

      @Override
      public SampleIterator iterator(SampleIterator reuse) {
        List<SampleIterator> its = new ArrayList<>(series.size());
        for (Series s : series) {
          its.add(s.iterator(null));
        }
        return new ChainSampleIterator(its);
      }

      @Override
      public String toString() {
        return labels.toString();
      }
    };
  }

  @Override
  public List<String> warnings() {
    List<String> out = new ArrayList<>();
    for (SeriesSet s : sets) {
      out.addAll(s.warnings());
    }
    return out;
  }
}
