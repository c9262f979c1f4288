package io.promtsdb.benchmarks.engine;

import io.promtsdb.core.Labels;
import io.promtsdb.engine.BlockMeta;
import io.promtsdb.engine.BlockWriter;
import io.promtsdb.engine.Compactor;
import io.promtsdb.engine.SampleBlockWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
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
 * Compaction of four blocks into one, the shape of Prometheus' {@code BenchmarkCompaction}
 * (tsdb/compact_test.go, 2.42): 10 000 series of 10 labels ({@code labelName=<n>}, {@code
 * labelName1..9=labelValue1..9}), one sample per millisecond over each block's range with
 * random values, blocks written through a head (chunks cut as the head cuts them), then each
 * op compacts the four blocks into a new one. "normal" cases are disjoint ranges, "vertical"
 * ones overlap by 40 %. The op's output block is removed after each op (not timed).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class CompactionBenchmark {
  /** Go's cases: type, then the four [mint, maxt) ranges, separated by slashes (JMH splits parameters at commas). */
  @Param({
    "normal:0-100/200-300/400-500/600-700",
    "normal:0-1000/2000-3000/4000-5000/6000-7000",
    "normal:0-2000/3000-5000/6000-8000/9000-11000",
    "normal:0-5000/6000-11000/12000-17000/18000-23000",
    "vertical:0-100/60-160/120-220/180-280",
    "vertical:0-1000/600-1600/1200-2200/1800-2800",
    "vertical:0-2000/1200-3200/2400-4400/3600-5600",
    "vertical:0-5000/3000-8000/6000-11000/9000-14000"
  })
  public String ranges;

  static final int SERIES = 10_000;
  static final int LABELS = 10;

  private Path root;
  private final List<Path> inputs = new ArrayList<>();
  private Compactor compactor;
  private Path out;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    root = Files.createTempDirectory("promtsdb-compaction-bench");
    Path in = root.resolve("in");
    Files.createDirectories(in);
    SplittableRandom r = new SplittableRandom(42);
    for (String range : ranges.substring(ranges.indexOf(':') + 1).split("/")) {
      long mint = Long.parseLong(range.substring(0, range.indexOf('-')));
      long maxt = Long.parseLong(range.substring(range.indexOf('-') + 1));
      inputs.add(createBlock(in, mint, maxt, r));
    }
    compactor = new Compactor(new Compactor.Options(new long[] {Compactor.DEFAULT_BLOCK_DURATION}, true, BlockWriter.Options.DEFAULT));
    out = root.resolve("out");
  }

  /** Go's {@code genSeries(10000, 10, mint, maxt)} through {@code CreateBlock}. */
  static Path createBlock(Path dir, long mint, long maxt, SplittableRandom r) throws IOException {
    SampleBlockWriter w = new SampleBlockWriter(dir, Compactor.DEFAULT_BLOCK_DURATION);
    SampleBlockWriter.Appender app = w.appender();
    for (int i = 0; i < SERIES; i++) {
      String[] pairs = new String[2 * LABELS];
      pairs[0] = "labelName";
      pairs[1] = Integer.toString(i);
      for (int j = 1; j < LABELS; j++) {
        pairs[2 * j] = "labelName" + j;
        pairs[2 * j + 1] = "labelValue" + j;
      }
      Labels l = Labels.of(pairs);
      for (long t = mint; t < maxt; t++) {
        app.append(l, t, r.nextDouble());
      }
    }
    app.commit();
    BlockMeta m = w.flush().orElseThrow();
    return dir.resolve(m.ulid().toString());
  }

  @Benchmark
  public BlockMeta compact() throws IOException {
    return compactor.compact(out, inputs).orElseThrow();
  }

  @TearDown(Level.Invocation)
  public void removeOutput() throws IOException {
    delete(out);
  }

  @TearDown(Level.Trial)
  public void removeAll() throws IOException {
    delete(root);
  }

  private static void delete(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
