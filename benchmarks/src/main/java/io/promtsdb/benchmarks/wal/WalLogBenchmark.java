package io.promtsdb.benchmarks.wal;

import io.promtsdb.wal.Compression;
import io.promtsdb.wal.FileOps;
import io.promtsdb.wal.WalWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The writer beside Go's {@code BenchmarkWAL_Log} and {@code BenchmarkWAL_LogBatched}
 * (tsdb/wlog, 2.42): records of 2048 zero bytes, logged one per batch or 1000 per batch,
 * uncompressed or snappy (Go's {@code compress=true} in 2.42), 128 MiB segments in a temp
 * directory. Reported per record (2048 B); the final close (fsync) is not timed, as in Go.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WalLogBenchmark {
  static final int RECORD = 2048;
  static final int BATCH = 1000;

  @Param({"NONE", "SNAPPY"})
  public String compression;

  private Path dir;
  private WalWriter writer;
  private final byte[] record = new byte[RECORD];
  private List<byte[]> batch;

  @Setup(Level.Iteration)
  public void setup() throws IOException {
    dir = Files.createTempDirectory("promtsdb-wal-bench");
    writer = WalWriter.open(dir, WalWriter.Options.defaults(Compression.valueOf(compression)));
    batch = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      batch.add(record);
    }
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws IOException {
    writer.close();
    FileOps.DEFAULT.deleteRecursively(dir);
  }

  @Benchmark
  public void log() throws IOException {
    writer.log(record);
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void logBatched() throws IOException {
    writer.log(batch);
  }
}
