package io.promtsdb.engine;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import java.util.ArrayList;
import java.util.List;

/**
 * The out-of-order head chunk of a series (Go's {@code OOOChunk}): up to {@code
 * OutOfOrderCapMax} samples kept sorted by time in memory, duplicates refused.
 */
final class OooChunk {
  /** Prometheus' default {@code out_of_order_cap_max}. */
  static final int DEFAULT_CAP_MAX = 32;

  record OooSample(long t, double v, Histogram h, FloatHistogram fh) {
    ValueType type() {
      return h != null ? ValueType.HISTOGRAM : fh != null ? ValueType.FLOAT_HISTOGRAM : ValueType.FLOAT;
    }
  }

  final List<OooSample> samples = new ArrayList<>(4);
  long minTime;
  long maxTime;

  OooChunk(long minTime) {
    this.minTime = minTime;
    this.maxTime = Long.MIN_VALUE;
  }

  /** Go's {@code OOOChunk.Insert}: false for a duplicate timestamp. */
  boolean insert(long t, double v, Histogram h, FloatHistogram fh) {
    OooSample s = new OooSample(t, v, h, fh);
    int n = samples.size();
    if (n == 0 || t > samples.get(n - 1).t()) {
      samples.add(s);
      return true;
    }
    int lo = 0;
    int hi = n;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (samples.get(mid).t() >= t) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    if (lo >= n) {
      samples.add(s);
      return true;
    }
    if (samples.get(lo).t() == t) {
      return false;
    }
    samples.add(lo, s);
    return true;
  }

  int numSamples() {
    return samples.size();
  }

  /**
   * Go's {@code ToEncodedChunks(math.MinInt64, math.MaxInt64)}: every sample, encoded as Go
   * m-maps and compacts an out-of-order head chunk (one chunk per run of a value type, histograms
   * cut where an append asks for a new chunk).
   */
  List<BlockChunk> toEncodedChunks() throws java.io.IOException {
    List<BlockChunk> out = new ArrayList<>(1);
    for (SampleList run : toRuns(Long.MIN_VALUE, Long.MAX_VALUE)) {
      out.addAll(SeriesChunkEncoder.encodeRuns(run.iterator(), io.promtsdb.chunks.WriterFlavor.PROMETHEUS_3));
    }
    return out;
  }

  /**
   * Go's {@code ToEncodedChunks(mint, maxt)}: the samples within {@code [mint, maxt]} split into
   * runs of one sample type. Each run is returned as a sample list rather than encoded bytes:
   * the samples a query sees are the same.
   */
  List<SampleList> toRuns(long mint, long maxt) {
    List<SampleList> out = new ArrayList<>(1);
    List<OooSample> run = null;
    ValueType prev = ValueType.NONE;
    for (OooSample s : samples) {
      if (s.t() < mint) {
        continue;
      }
      if (s.t() > maxt) {
        break;
      }
      if (s.type() != prev) {
        if (run != null) {
          out.add(new SampleList(List.copyOf(run)));
        }
        run = new ArrayList<>();
        prev = s.type();
      }
      run.add(s);
    }
    if (run != null) {
      out.add(new SampleList(List.copyOf(run)));
    }
    return out;
  }
}
