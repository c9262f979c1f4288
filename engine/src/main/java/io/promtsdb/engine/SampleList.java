package io.promtsdb.engine;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import java.util.List;

/** Samples held in memory, sorted by time, as an iterable chunk stand-in. */
record SampleList(List<OooChunk.OooSample> samples) {

  long minTime() {
    return samples.get(0).t();
  }

  long maxTime() {
    return samples.get(samples.size() - 1).t();
  }

  SampleIterator iterator() {
    return new SampleIterator() {
      private int i = -1;

      @Override
      public ValueType next() {
        if (i >= samples.size() - 1) {
          i = samples.size();
          return ValueType.NONE;
        }
        return samples.get(++i).type();
      }

      @Override
      public ValueType seek(long t) {
        if (i >= samples.size()) {
          return ValueType.NONE;
        }
        if (i < 0) {
          i = 0;
        }
        while (i < samples.size() && samples.get(i).t() < t) {
          i++;
        }
        return i < samples.size() ? samples.get(i).type() : ValueType.NONE;
      }

      @Override
      public long atT() {
        return samples.get(i).t();
      }

      @Override
      public double atValue() {
        return samples.get(i).v();
      }

      @Override
      public Histogram atHistogram() {
        return samples.get(i).h();
      }

      @Override
      public FloatHistogram atFloatHistogram() {
        OooChunk.OooSample s = samples.get(i);
        return s.fh() != null ? s.fh() : s.h().toFloatHistogram();
      }
    };
  }
}
