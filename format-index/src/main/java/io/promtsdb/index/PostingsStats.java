package io.promtsdb.index;

import io.promtsdb.core.CorruptFormatException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Cardinality statistics of an index, as Prometheus' {@code MemPostings.Stats} computes them
 * for the head (and {@code promtool tsdb analyze} and the TSDB status page show): the top
 * values of one label by number of series, the label names with most values, the label
 * names whose values take most bytes, the label pairs with most series, and the number of
 * label pairs. Computed from the postings offset table and the count field of each postings
 * list, without reading the lists or the series.
 *
 * @param cardinalityMetrics values of the chosen label (usually {@code __name__}) with most
 *     series
 * @param cardinalityLabels label names with most values
 * @param labelValueLengths label names by the total UTF-8 length of their values (Prometheus
 *     2.x's measure; 3.x weighs by in-memory size instead)
 * @param labelValuePairs {@code name=value} pairs with most series
 * @param numLabelPairs number of (name, value) pairs
 */
public record PostingsStats(
    List<Stat> cardinalityMetrics,
    List<Stat> cardinalityLabels,
    List<Stat> labelValueLengths,
    List<Stat> labelValuePairs,
    long numLabelPairs) {

  /** One entry of a top list. */
  public record Stat(String name, long count) {}

  /**
   * The statistics of {@code index}, each list holding the {@code limit} largest entries,
   * largest first; among equal counts the first in byte order is kept (Prometheus keeps an
   * arbitrary one: it walks a map).
   */
  public static PostingsStats compute(IndexReader index, String label, int limit)
      throws CorruptFormatException {
    if (limit < 0) {
      throw new IllegalArgumentException("negative limit " + limit);
    }
    IndexReaderBase r = (IndexReaderBase) index;
    TopK metrics = new TopK(limit);
    TopK labels = new TopK(limit);
    TopK lengths = new TopK(limit);
    TopK pairs = new TopK(limit);
    long numPairs = 0;
    for (String name : index.labelNames()) {
      boolean isLabel = name.equals(label);
      long[] sizeAndCount = new long[2];
      r.forEachValueCount(
          name,
          (value, series) -> {
            sizeAndCount[0] += value.length();
            sizeAndCount[1]++;
            if (isLabel && metrics.accepts(series)) {
              metrics.push(value.string(), series);
            }
            if (pairs.accepts(series)) {
              pairs.push(name + "=" + value.string(), series);
            }
          });
      numPairs += sizeAndCount[1];
      labels.push(name, sizeAndCount[1]);
      lengths.push(name, sizeAndCount[0]);
    }
    return new PostingsStats(
        metrics.sorted(), labels.sorted(), lengths.sorted(), pairs.sorted(), numPairs);
  }

  /** A value of a label name, decoded only when needed. */
  interface Value {
    int length();

    String string() throws CorruptFormatException;
  }

  /** Receives each value of a name with the number of series of its postings list. */
  interface ValueCounts {
    void value(Value value, long series) throws CorruptFormatException;
  }

  /** Prometheus' {@code maxHeap}: at most k entries, replacing the smallest. */
  private static final class TopK {
    private final int k;
    private final List<Stat> items;
    private long min = Long.MAX_VALUE;
    private int minIndex;

    TopK(int k) {
      this.k = k;
      this.items = new ArrayList<>(k);
    }

    boolean accepts(long count) {
      return k > 0 && (items.size() < k || count > min);
    }

    void push(String name, long count) {
      if (!accepts(count)) {
        return;
      }
      if (items.size() < k) {
        if (count < min) {
          min = count;
          minIndex = items.size();
        }
        items.add(new Stat(name, count));
        return;
      }
      items.set(minIndex, new Stat(name, count));
      min = Long.MAX_VALUE;
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i).count() < min) {
          min = items.get(i).count();
          minIndex = i;
        }
      }
    }

    List<Stat> sorted() {
      List<Stat> out = new ArrayList<>(items);
      out.sort(
          Comparator.comparingLong(Stat::count)
              .reversed()
              .thenComparing(Stat::name, io.promtsdb.core.Utf8Order.COMPARATOR));
      return Collections.unmodifiableList(out);
    }
  }
}
