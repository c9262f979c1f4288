package io.promtsdb.benchmarks.engine;

import io.promtsdb.core.Labels;
import io.promtsdb.engine.AppendException;
import io.promtsdb.engine.Appender;
import io.promtsdb.engine.Tsdb;
import io.promtsdb.engine.TsdbOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One transaction of appends to existing series and its commit, the shape of Prometheus'
 * {@code BenchmarkHeadAppender_Append_Commit_ExistingSeries} (tsdb/head_test.go, 3.x): the
 * first {@code seriesCount} of 10 000 series of 10 labels, {@code samplesPerAppend} samples
 * per series per transaction at consecutive milliseconds (value = timestamp), the next
 * transaction 1 s later; the first append of each series in a transaction by labels, later
 * ones by reference, as Go's loop does. The head's chunk range is 10 s as in Go's {@code
 * newTestHead(b, 10000, ...)}; WAL uncompressed, compaction off. The time is per transaction.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UseParallelGC"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class AppendCommitBenchmark {
  @Param({"100", "1000", "10000"})
  public int seriesCount;

  @Param({"1", "2", "5", "100"})
  public int samplesPerAppend;

  private Path dir;
  private Tsdb db;
  private Labels[] series;
  private long ts = 1000;

  @Setup(Level.Trial)
  public void setup() throws IOException, AppendException {
    dir = Files.createTempDirectory("promtsdb-append-bench");
    db = Tsdb.open(dir, TsdbOptions.defaults()
        .withMinBlockDuration(Duration.ofSeconds(10))
        .withCompaction(false));
    series = new Labels[seriesCount];
    for (int i = 0; i < seriesCount; i++) {
      // Go's genSeries: labelName=<i>, labelName1..9=labelValue1..9.
      String[] kv = new String[20];
      kv[0] = "labelName";
      kv[1] = Integer.toString(i);
      for (int j = 1; j < 10; j++) {
        kv[2 * j] = "labelName" + j;
        kv[2 * j + 1] = "labelValue" + j;
      }
      series[i] = Labels.of(kv);
    }
    appendAndCommit(); // creates the series: not what is measured
  }

  @Benchmark
  public void appendCommit() throws IOException, AppendException {
    appendAndCommit();
  }

  private void appendAndCommit() throws IOException, AppendException {
    try (Appender app = db.appender()) {
      for (Labels l : series) {
        long ref = app.append(l, ts, ts);
        for (int k = 1; k < samplesPerAppend; k++) {
          app.append(ref, ts + k, ts + k);
        }
      }
      ts += 1000; // more than samplesPerAppend
      app.commit();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    db.close();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
