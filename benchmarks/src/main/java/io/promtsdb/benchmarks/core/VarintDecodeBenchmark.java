package io.promtsdb.benchmarks.core;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.DataReader;
import io.promtsdb.benchmarks.SplitMix64;
import io.promtsdb.core.DataWriter;
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

/**
 * Decoding 4096 uvarints with {@link DataReader}, the primitive under every index and WAL
 * decoder. Value sizes follow three distributions: {@code small} (symbol references and
 * deltas, 1-2 bytes), {@code mixed} (1-5 bytes, chunk refs and lengths), {@code wide}
 * (timestamps and random 64-bit values, up to 10 bytes). Reported per varint.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VarintDecodeBenchmark {
  static final int N = 4096;

  @Param({"small", "mixed", "wide"})
  public String distribution;

  private ByteSource encoded;

  @Setup
  public void setup() {
    encoded = ByteSource.of("bench", data(distribution));
  }

  /** The encoded varints; benchmarks/go/core generates the same bytes from the same seed. */
  static byte[] data(String distribution) {
    SplitMix64 r = new SplitMix64(42);
    DataWriter w = new DataWriter(N * 10);
    for (int i = 0; i < N; i++) {
      long v =
          switch (distribution) {
            case "small" -> r.nextBelow(1 << 14);
            case "mixed" -> r.next() & ((1L << (7 * (1 + r.nextBelow(5)))) - 1);
            default -> r.next() >>> r.nextBelow(64);
          };
      w.uvarint(v);
    }
    return w.toByteArray();
  }

  @Benchmark
  @OperationsPerInvocation(N)
  public long uvarint() throws CorruptFormatException {
    DataReader r = new DataReader(encoded);
    long sum = 0;
    for (int i = 0; i < N; i++) {
      sum += r.uvarint();
    }
    return sum;
  }
}
