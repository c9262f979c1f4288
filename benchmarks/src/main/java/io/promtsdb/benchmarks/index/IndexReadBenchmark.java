package io.promtsdb.benchmarks.index;

import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.index.ChunkMetaList;
import io.promtsdb.index.IndexReader;
import io.promtsdb.index.IndexWriter;
import io.promtsdb.index.Postings;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading the 1M-series index ({@link SyntheticIndex}, written once in setup), beside Go's
 * {@code BenchmarkIndexOpen1M} and {@code BenchmarkIndexSelect1M} (2.42's {@code
 * index.NewFileReader} and {@code Postings}/{@code Intersect}/{@code Series}):
 *
 * <ul>
 *   <li>{@code open}: map the file, verify the TOC, walk and sample the symbol table and the
 *       postings offset table, close;
 *   <li>{@code select}: {@code {__name__="metric_042", job="job-3", zone=~"zone-1|zone-2"}}:
 *       three postings lookups, a merge, an intersection, and the labels and chunk metas of
 *       the 660 matching series.
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class IndexReadBenchmark {
  private Path dir;
  private Path file;
  private IndexReader reader;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    dir = Files.createTempDirectory("index-read-bench");
    file = dir.resolve("index");
    try (IndexWriter w = IndexWriter.create(file)) {
      SyntheticIndex.oneMillion().write(w);
    }
    reader = IndexReader.open(file);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    reader.close();
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public int open() throws IOException {
    try (IndexReader r = IndexReader.open(file)) {
      return r.symbolCount();
    }
  }

  @Benchmark
  public int select(Blackhole bh) throws CorruptFormatException {
    IndexReader r = reader;
    Postings p =
        Postings.intersect(
            r.postings("__name__", "metric_042"),
            r.postings("job", "job-3"),
            r.postings("zone", "zone-1", "zone-2"));
    ChunkMetaList chunks = new ChunkMetaList();
    int n = 0;
    for (long ref = p.next(); ref != Postings.END; ref = p.next()) {
      bh.consume(r.series(ref, chunks));
      n++;
    }
    if (n != 660) {
      throw new IllegalStateException(n + " series");
    }
    return n;
  }
}
