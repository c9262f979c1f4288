package io.promtsdb.engine;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;

/**
 * The samples of several iterators of the same series merged in time order, keeping one
 * sample per timestamp: Prometheus' {@code chainSampleIterator} (storage/merge.go), step for
 * step. When several iterators have a sample at the same time, the one that comes first out
 * of Go's heap wins (with non-overlapping inputs the heap is hardly used). After a switch
 * between iterators a histogram's counter reset hint becomes unknown unless it is a gauge, as
 * in Prometheus.
 */
final class ChainSampleIterator implements SampleIterator {
  private static final Comparator<SampleIterator> BY_TIME = Comparator.comparingLong(SampleIterator::atT);

  private final List<SampleIterator> iterators;
  private GoHeap<SampleIterator> heap;
  private SampleIterator curr;
  private long lastT = Long.MIN_VALUE;
  private boolean consecutive;

  ChainSampleIterator(List<SampleIterator> iterators) {
    if (iterators.isEmpty()) {
      throw new IllegalArgumentException("nothing to chain");
    }
    this.iterators = iterators;
  }

  @Override
  public ValueType next() throws IOException {
    boolean iteratorChanged = false;
    long currT = 0;
    ValueType vt;
    if (heap == null) {
      iteratorChanged = true;
      heap = new GoHeap<>(BY_TIME);
      // curr is advanced first thing below.
      curr = iterators.get(0);
      for (int i = 1; i < iterators.size(); i++) {
        SampleIterator it = iterators.get(i);
        if (it.next() != ValueType.NONE) {
          heap.push(it);
        }
      }
    }
    if (curr == null) {
      return ValueType.NONE;
    }
    while (true) {
      vt = curr.next();
      if (vt == ValueType.NONE) {
        if (heap.isEmpty()) {
          curr = null;
          return ValueType.NONE;
        }
      } else {
        currT = curr.atT();
        if (currT == lastT) {
          continue; // a sample with the timestamp already returned
        }
        if (heap.isEmpty()) {
          break;
        }
        if (currT < heap.peek().atT()) {
          break;
        }
        heap.push(curr);
      }
      curr = heap.pop();
      iteratorChanged = true;
      currT = curr.atT();
      vt = curr.seek(currT);
      if (currT != lastT) {
        break;
      }
    }
    consecutive = !iteratorChanged;
    lastT = currT;
    return vt;
  }

  @Override
  public ValueType seek(long t) throws IOException {
    if (curr != null && lastT >= t) {
      return curr.seek(lastT);
    }
    consecutive = false;
    heap = new GoHeap<>(BY_TIME);
    for (SampleIterator it : iterators) {
      if (it.seek(t) != ValueType.NONE) {
        heap.push(it);
      }
    }
    if (!heap.isEmpty()) {
      curr = heap.pop();
      lastT = curr.atT();
      return curr.seek(lastT);
    }
    curr = null;
    return ValueType.NONE;
  }

  @Override
  public long atT() {
    return curr.atT();
  }

  @Override
  public double atValue() {
    return curr.atValue();
  }

  @Override
  public Histogram atHistogram() {
    Histogram h = curr.atHistogram();
    if (!consecutive && h.counterResetHint() != CounterResetHint.GAUGE) {
      return h.withCounterResetHint(CounterResetHint.UNKNOWN);
    }
    return h;
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    FloatHistogram h = curr.atFloatHistogram();
    if (!consecutive && h.counterResetHint() != CounterResetHint.GAUGE) {
      return h.withCounterResetHint(CounterResetHint.UNKNOWN);
    }
    return h;
  }
}
