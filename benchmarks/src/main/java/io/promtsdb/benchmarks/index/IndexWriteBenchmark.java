package io.promtsdb.benchmarks.index;

import io.promtsdb.index.IndexWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Writing the 1M-series index ({@link SyntheticIndex}): symbols, series with chunk metas,
 * postings (sorted through a bounded buffer with spills), label indices, tables, TOC and
 * fsync, beside Go's {@code BenchmarkIndexWrite1M} (2.42's {@code index.Writer} on the same
 * series). One operation = one whole index file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class IndexWriteBenchmark {
  private SyntheticIndex data;
  private Path dir;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    data = SyntheticIndex.oneMillion();
    dir = Files.createTempDirectory("index-write-bench");
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    Files.deleteIfExists(dir.resolve("index"));
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public long write1M() throws IOException {
    Path file = dir.resolve("index");
    try (IndexWriter w = IndexWriter.create(file)) {
      data.write(w);
    }
    return Files.size(file);
  }
}
