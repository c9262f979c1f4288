package io.promtsdb.benchmarks.chunks;

import io.promtsdb.chunks.AppendResult;
import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.ChunkEncoding;
import io.promtsdb.chunks.FloatHistogramAppender;
import io.promtsdb.chunks.FloatHistogramIterator;
import io.promtsdb.chunks.HistogramAppender;
import io.promtsdb.chunks.HistogramIterator;
import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Native histogram chunks (encodings 2, 3, 5, 6) on {@link ChunkData#histograms()}: 8 series of
 * 125 scrapes with 10 to 40 buckets. {@code decode} walks every sample and copies its counts and
 * buckets into reused arrays (Go: {@code it.AtHistogram(&h)}); {@code encode} appends every
 * sample through the full {@code appendHistogram} path with {@code appendOnly} (Go:
 * {@code AppendHistogram(nil, st, t, h, true)}), including the appendability check. Per sample.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@OperationsPerInvocation(ChunkData.SAMPLES)
public class HistogramBenchmark {
  @Param({"histogram", "floathistogram", "histogramST", "floathistogramST"})
  public String encoding;

  private ChunkEncoding enc;
  private long[][] ts;
  private Histogram[][] hs;
  private FloatHistogram[][] fhs;
  private Chunk[] chunks;
  private final HistogramIterator hit = new HistogramIterator();
  private final FloatHistogramIterator fit = new FloatHistogramIterator();
  private final long[] buckets = new long[64];
  private final double[] floatBuckets = new double[64];

  @Setup
  public void setup() {
    enc = switch (encoding) {
      case "histogram" -> ChunkEncoding.HISTOGRAM;
      case "floathistogram" -> ChunkEncoding.FLOAT_HISTOGRAM;
      case "histogramST" -> ChunkEncoding.HISTOGRAM_ST;
      default -> ChunkEncoding.FLOAT_HISTOGRAM_ST;
    };
    ts = ChunkData.histogramTimestamps();
    hs = ChunkData.histograms();
    fhs = new FloatHistogram[hs.length][];
    chunks = new Chunk[hs.length];
    for (int s = 0; s < hs.length; s++) {
      fhs[s] = new FloatHistogram[hs[s].length];
      for (int i = 0; i < hs[s].length; i++) {
        fhs[s][i] = hs[s][i].toFloatHistogram();
      }
      chunks[s] = enc.valueType() == io.promtsdb.chunks.ValueType.HISTOGRAM
          ? encodeInt(s).chunk() : encodeFloat(s).chunk();
    }
  }

  private long st(int s) {
    return enc.hasStartTimestamps() ? ts[s][0] - 60_000 : 0;
  }

  HistogramAppender encodeInt(int s) {
    HistogramAppender a = HistogramAppender.create(enc);
    long st = st(s);
    long[] t = ts[s];
    Histogram[] h = hs[s];
    for (int i = 0; i < h.length; i++) {
      AppendResult<HistogramAppender> r = a.appendHistogram(null, st, t[i], h[i], true);
      a = r.appender();
    }
    return a;
  }

  FloatHistogramAppender encodeFloat(int s) {
    FloatHistogramAppender a = FloatHistogramAppender.create(enc);
    long st = st(s);
    long[] t = ts[s];
    FloatHistogram[] h = fhs[s];
    for (int i = 0; i < h.length; i++) {
      AppendResult<FloatHistogramAppender> r = a.appendFloatHistogram(null, st, t[i], h[i], true);
      a = r.appender();
    }
    return a;
  }

  @Benchmark
  public long decode() throws CorruptFormatException {
    long acc = 0;
    if (enc.valueType() == ValueType.HISTOGRAM) {
      HistogramIterator it = hit;
      for (Chunk c : chunks) {
        it.reset(c);
        while (it.next() == ValueType.HISTOGRAM) {
          acc += it.count() + it.zeroCount() + it.sumBits() + it.atST();
          acc += it.copyPositiveBuckets(buckets) + it.copyNegativeBuckets(buckets);
        }
      }
    } else {
      FloatHistogramIterator it = fit;
      for (Chunk c : chunks) {
        it.reset(c);
        while (it.next() == ValueType.FLOAT_HISTOGRAM) {
          acc += it.countBits() + it.zeroCountBits() + it.sumBits() + it.atST();
          acc += it.copyPositiveBuckets(floatBuckets) + it.copyNegativeBuckets(floatBuckets);
        }
      }
    }
    return acc;
  }

  @Benchmark
  public void encode(Blackhole bh) {
    boolean isInt = enc.valueType() == ValueType.HISTOGRAM;
    for (int s = 0; s < hs.length; s++) {
      bh.consume(isInt ? encodeInt(s) : encodeFloat(s));
    }
  }

  /** Decoding and materialising each sample as an immutable {@link Histogram} (allocates). */
  @Benchmark
  public void decodeMaterialised(Blackhole bh) throws CorruptFormatException {
    if (enc.valueType() == ValueType.HISTOGRAM) {
      for (Chunk c : chunks) {
        hit.reset(c);
        while (hit.next() == ValueType.HISTOGRAM) {
          bh.consume(hit.atHistogram());
        }
      }
    } else {
      for (Chunk c : chunks) {
        fit.reset(c);
        while (fit.next() == ValueType.FLOAT_HISTOGRAM) {
          bh.consume(fit.atFloatHistogram());
        }
      }
    }
  }
}
