package io.promtsdb.benchmarks.chunks;

import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.FloatIterator;
import io.promtsdb.chunks.ValueType;
import io.promtsdb.chunks.XorAppender;
import io.promtsdb.chunks.XorIterator;
import io.promtsdb.core.CorruptFormatException;
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
 * XOR chunks (encoding 1): decoding every sample of the data set's chunks with one reused
 * iterator (as Go's {@code BenchmarkXORIterator} does), and encoding them into fresh chunks
 * (Go's {@code BenchmarkXORAppender}). Reported per sample: the JMH score is for all chunks of
 * the data set ({@value ChunkData#SAMPLES} samples), divided by {@code @OperationsPerInvocation}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@OperationsPerInvocation(ChunkData.SAMPLES)
public class XorBenchmark {
  @Param({"go", "counter", "gauge"})
  public String data;

  private ChunkData.Floats[] series;
  private Chunk[] chunks;
  private final long[] ts = new long[256];
  private final long[] vs = new long[256];
  private final XorIterator it = new XorIterator();

  @Setup
  public void setup() {
    series = ChunkData.floats(data);
    chunks = new Chunk[series.length];
    for (int s = 0; s < series.length; s++) {
      chunks[s] = encodeOne(series[s]).chunk();
    }
  }

  static XorAppender encodeOne(ChunkData.Floats f) {
    XorAppender a = XorAppender.create();
    for (int i = 0; i < f.t().length; i++) {
      a.append(f.t()[i], f.v()[i]);
    }
    return a;
  }

  @Benchmark
  public double decode() throws CorruptFormatException {
    double sum = 0;
    XorIterator i = it;
    for (Chunk c : chunks) {
      i.reset(c);
      while (i.next() == ValueType.FLOAT) {
        sum += i.atValue();
      }
    }
    return sum;
  }

  /** Decoding with {@code readBatch} into arrays (the fastest way through a chunk). */
  @Benchmark
  public long decodeBatch() throws CorruptFormatException {
    long acc = 0;
    XorIterator i = it;
    long[] t = ts;
    long[] v = vs;
    for (Chunk c : chunks) {
      i.reset(c);
      int n;
      while ((n = i.readBatch(t, v, 0, t.length)) > 0) {
        acc += t[n - 1] + v[n - 1];
      }
    }
    return acc;
  }

  @Benchmark
  public void encode(Blackhole bh) {
    for (ChunkData.Floats f : series) {
      bh.consume(encodeOne(f));
    }
  }

  /** Decoding through the general {@link FloatIterator} interface, as most callers would. */
  @Benchmark
  public double decodeViaInterface() throws CorruptFormatException {
    double sum = 0;
    FloatIterator i = null;
    for (Chunk c : chunks) {
      i = c.floatIterator(i);
      while (i.next() != ValueType.NONE) {
        sum += i.atValue();
      }
    }
    return sum;
  }
}
