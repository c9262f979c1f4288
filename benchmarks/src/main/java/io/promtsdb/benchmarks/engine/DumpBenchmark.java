package io.promtsdb.benchmarks.engine;

import io.promtsdb.engine.Dump;
import io.promtsdb.engine.MetricSelectors;
import io.promtsdb.engine.Querier;
import io.promtsdb.engine.ReadOnlyDb;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code promtsdb tsdb dump} in process, warmed up: open a data dir, replay its head (WAL,
 * head chunks, WBL), and format every sample as promtool does, into a sink that only counts
 * bytes. {@code -p dir=...} points at any data dir (the default is a fixture); the
 * whole-command comparison with promtool is in benchmarks/README.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class DumpBenchmark {
  @Param({"testdata/fixtures/p3-snappy/data"})
  String dir;

  @Benchmark
  public long replay() throws IOException {
    try (ReadOnlyDb db = ReadOnlyDb.open(resolve())) {
      return db.head().numSeries();
    }
  }

  @Benchmark
  public long replayAndDump() throws IOException {
    long[] bytes = {0};
    try (ReadOnlyDb db = ReadOnlyDb.open(resolve());
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      Dump.promtool(q.select(false, MetricSelectors.parse("{__name__=~'(?s:.*)'}")), (b, off, len) -> bytes[0] += len);
    }
    return bytes[0];
  }

  private Path resolve() {
    Path p = Path.of(dir);
    String testdata = System.getProperty("promtsdb.testdata");
    if (!p.isAbsolute() && testdata != null && dir.startsWith("testdata/")) {
      return Path.of(testdata).resolve(dir.substring("testdata/".length()));
    }
    return p;
  }
}
