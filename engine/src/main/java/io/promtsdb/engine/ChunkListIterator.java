package io.promtsdb.engine;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.tombstones.Interval;
import io.promtsdb.tombstones.Intervals;
import java.io.IOException;

/**
 * The samples of one series of one block or head: its chunks in order, each with the
 * deletion intervals that overlap it skipped (Go's {@code populateWithDelSeriesIterator}).
 * Chunks are loaded one at a time, when the previous one is exhausted.
 */
final class ChunkListIterator implements SampleIterator {
  private final ChunkView chunks;
  private final long[] refs;
  private final long[] minTimes;
  private final long[] maxTimes;
  private final Object[] attachments;
  private final Intervals intervals;
  private final DeletedIterator deleted = new DeletedIterator();
  private int i = -1;
  private SampleIterator curr;
  private SampleIterator reuse;

  ChunkListIterator(
      ChunkView chunks,
      long[] refs,
      long[] minTimes,
      long[] maxTimes,
      Object[] attachments,
      Intervals intervals) {
    this.chunks = chunks;
    this.refs = refs;
    this.minTimes = minTimes;
    this.maxTimes = maxTimes;
    this.attachments = attachments;
    this.intervals = intervals;
  }

  private boolean advance() throws IOException {
    if (i >= refs.length - 1) {
      return false;
    }
    i++;
    Intervals overlapping = Intervals.EMPTY;
    for (int k = 0; k < intervals.size(); k++) {
      if (minTimes[i] <= intervals.maxt(k) && intervals.mint(k) <= maxTimes[i]) {
        overlapping = overlapping.add(new Interval(intervals.mint(k), intervals.maxt(k)));
      }
    }
    SampleIterator it = chunks.iterator(refs[i], minTimes[i], maxTimes[i], attachments == null ? null : attachments[i], reuse);
    reuse = it;
    curr = overlapping.isEmpty() ? it : deleted.reset(it, overlapping);
    return true;
  }

  @Override
  public ValueType next() throws IOException {
    if (curr != null) {
      ValueType vt = curr.next();
      if (vt != ValueType.NONE) {
        return vt;
      }
    }
    while (advance()) {
      ValueType vt = curr.next();
      if (vt != ValueType.NONE) {
        return vt;
      }
    }
    return ValueType.NONE;
  }

  @Override
  public ValueType seek(long t) throws IOException {
    if (curr != null) {
      ValueType vt = curr.seek(t);
      if (vt != ValueType.NONE) {
        return vt;
      }
    }
    while (next() != ValueType.NONE) {
      ValueType vt = curr.seek(t);
      if (vt != ValueType.NONE) {
        return vt;
      }
    }
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
    return curr.atHistogram();
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    return curr.atFloatHistogram();
  }
}
