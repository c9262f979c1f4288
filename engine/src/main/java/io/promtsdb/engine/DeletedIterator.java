package io.promtsdb.engine;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.tombstones.Intervals;
import java.io.IOException;

/**
 * Skips the samples inside deletion intervals (Go's {@code tsdb.DeletedIterator}). The
 * intervals are sorted and disjoint; ones entirely before the current sample are dropped as
 * the iterator moves on.
 */
final class DeletedIterator implements SampleIterator {
  private SampleIterator it;
  private Intervals intervals;
  private int first; // intervals before this index are behind us

  DeletedIterator reset(SampleIterator it, Intervals intervals) {
    this.it = it;
    this.intervals = intervals;
    this.first = 0;
    return this;
  }

  SampleIterator inner() {
    return it;
  }

  @Override
  public ValueType next() throws IOException {
    outer:
    for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
      long ts = it.atT();
      while (first < intervals.size()) {
        if (ts >= intervals.mint(first) && ts <= intervals.maxt(first)) {
          continue outer;
        }
        if (ts <= intervals.maxt(first)) {
          return vt;
        }
        first++;
      }
      return vt;
    }
    return ValueType.NONE;
  }

  @Override
  public ValueType seek(long t) throws IOException {
    ValueType vt = it.seek(t);
    if (vt == ValueType.NONE) {
      return ValueType.NONE;
    }
    long ts = it.atT();
    while (first < intervals.size()) {
      if (ts < intervals.mint(first)) {
        return vt;
      }
      if (ts > intervals.maxt(first)) {
        first++;
        continue;
      }
      return next(); // inside a deleted interval
    }
    return vt;
  }

  @Override
  public long atT() {
    return it.atT();
  }

  @Override
  public double atValue() {
    return it.atValue();
  }

  @Override
  public Histogram atHistogram() {
    return it.atHistogram();
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    return it.atFloatHistogram();
  }
}
