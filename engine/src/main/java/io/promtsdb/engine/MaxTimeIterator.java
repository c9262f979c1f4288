package io.promtsdb.engine;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import java.io.IOException;

/** An iterator that ends before the first sample after {@code maxTime} (read isolation). */
final class MaxTimeIterator implements SampleIterator {
  private final SampleIterator in;
  private final long maxTime;
  private boolean done;

  MaxTimeIterator(SampleIterator in, long maxTime) {
    this.in = in;
    this.maxTime = maxTime;
  }

  private ValueType check(ValueType vt) {
    if (vt == ValueType.NONE || in.atT() > maxTime) {
      done = true;
      return ValueType.NONE;
    }
    return vt;
  }

  @Override
  public ValueType next() throws IOException {
    return done ? ValueType.NONE : check(in.next());
  }

  @Override
  public ValueType seek(long t) throws IOException {
    return done ? ValueType.NONE : check(in.seek(t));
  }

  @Override
  public long atT() {
    return in.atT();
  }

  @Override
  public double atValue() {
    return in.atValue();
  }

  @Override
  public Histogram atHistogram() {
    return in.atHistogram();
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    return in.atFloatHistogram();
  }
}
