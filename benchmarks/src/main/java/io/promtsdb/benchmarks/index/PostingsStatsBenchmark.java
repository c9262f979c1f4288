package io.promtsdb.benchmarks.index;

import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Utf8Order;
import io.promtsdb.index.IndexReader;
import io.promtsdb.index.IndexWriter;
import io.promtsdb.index.PostingsStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
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
 * Cardinality statistics ({@link PostingsStats}, Prometheus' {@code MemPostings.Stats}) over
 * the data of Go's {@code BenchmarkPostings_Stats}: 200 799 single-label series ({@code
 * __name__} and 200 other names with 999 values each). Go computes them from the head's
 * in-memory postings maps; here from a block index of the same pairs (written once in setup),
 * walking the postings offset table and reading each list's count in place.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PostingsStatsBenchmark {
  private Path dir;
  private IndexReader reader;

  /** Go's createPostingsLabelValues calls, in order. */
  static List<String[]> pairs() {
    List<String[]> out = new ArrayList<>();
    add(out, "__name__", "metrics_name_can_be_very_big_and_bad");
    for (int i = 0; i < 20; i++) {
      add(out, "host-" + i, "metrics_name_can_be_very_big_and_bad");
      add(out, "instance-" + i, "10.0.IP.");
      add(out, "job-" + i, "Small_Job_name");
      add(out, "err-" + i, "avg_namespace-");
      add(out, "team-" + i, "team-");
      add(out, "container_name-" + i, "pod-");
      add(out, "cluster-" + i, "newcluster-");
      add(out, "uid-" + i, "123412312312312311-");
      add(out, "area-" + i, "new_area_of_work-");
      add(out, "request_id-" + i, "owner_name_work-");
    }
    return out;
  }

  private static void add(List<String[]> out, String name, String prefix) {
    for (int n = 1; n < 1000; n++) {
      out.add(new String[] {name, prefix + "-" + n});
    }
  }

  @Setup(Level.Trial)
  public void setup() throws IOException {
    List<Labels> series = new ArrayList<>();
    TreeSet<String> symbols = new TreeSet<>(Utf8Order.COMPARATOR);
    for (String[] p : pairs()) {
      series.add(Labels.of(p[0], p[1]));
      symbols.add(p[0]);
      symbols.add(p[1]);
    }
    series.sort(null);
    dir = Files.createTempDirectory("postings-stats-bench");
    try (IndexWriter w = IndexWriter.create(dir.resolve("index"))) {
      w.addSymbols(symbols);
      for (Labels l : series) {
        w.addSeries(l);
      }
    }
    reader = IndexReader.open(dir.resolve("index"));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    reader.close();
    Files.deleteIfExists(dir.resolve("index"));
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public PostingsStats stats() throws CorruptFormatException {
    return PostingsStats.compute(reader, "__name__", 10);
  }
}
