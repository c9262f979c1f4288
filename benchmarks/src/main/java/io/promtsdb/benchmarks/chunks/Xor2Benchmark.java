package io.promtsdb.benchmarks.chunks;

import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.ValueType;
import io.promtsdb.chunks.Xor2Appender;
import io.promtsdb.chunks.Xor2Iterator;
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
 * XOR2 chunks (encoding 4), on the data of {@link XorBenchmark}, without start timestamps
 * ({@code st=none}) and with one start timestamp per series ({@code st=constant}: the first
 * sample's time minus 60 s, what a counter scraped since its process start stores). Per sample.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@OperationsPerInvocation(ChunkData.SAMPLES)
public class Xor2Benchmark {
  @Param({"go", "counter", "gauge"})
  public String data;

  @Param({"none", "constant"})
  public String st;

  private ChunkData.Floats[] series;
  private long[] sts;
  private Chunk[] chunks;
  private final long[] ts = new long[256];
  private final long[] vs = new long[256];
  private final Xor2Iterator it = new Xor2Iterator();

  @Setup
  public void setup() {
    series = ChunkData.floats(data);
    sts = new long[series.length];
    chunks = new Chunk[series.length];
    for (int s = 0; s < series.length; s++) {
      sts[s] = st.equals("none") ? 0 : series[s].t()[0] - 60_000;
      chunks[s] = encodeOne(series[s], sts[s]).chunk();
    }
  }

  static Xor2Appender encodeOne(ChunkData.Floats f, long st) {
    Xor2Appender a = Xor2Appender.create();
    for (int i = 0; i < f.t().length; i++) {
      a.append(st, f.t()[i], f.v()[i]);
    }
    return a;
  }

  @Benchmark
  public double decode() throws CorruptFormatException {
    double sum = 0;
    Xor2Iterator i = it;
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
    Xor2Iterator i = it;
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
    for (int s = 0; s < series.length; s++) {
      bh.consume(encodeOne(series[s], sts[s]));
    }
  }
}
