package io.promtsdb.benchmarks.engine;

import io.promtsdb.engine.Block;
import io.promtsdb.engine.Matcher;
import io.promtsdb.engine.Querier;
import io.promtsdb.engine.SeriesSet;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * Beside Go's BenchmarkQuerierSelect (tsdb/querier_bench_test.go) on a block, and
 * benchmarks/go/engine BenchmarkBlockSelect for 2 and 3 matchers: one million series, a
 * querier over {@code [0, span-1]}, one unsorted select and a walk over its series per
 * operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class QuerierSelectBenchmark {
  static final int NUM_SERIES = 1_000_000;

  @Param({"1", "2", "3"})
  int matchers;

  @Param({"1", "100", "10000", "1000000"})
  int span;

  private Block block;
  private Querier querier;
  private List<Matcher> ms;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    block = Block.open(BenchBlocks.querierSelectBlock(NUM_SERIES));
    querier = block.querier(0, span - 1);
    ms =
        switch (matchers) {
          case 1 -> List.of(Matcher.equal("foo", "bar"));
          case 2 -> List.of(Matcher.equal("foo", "bar"), Matcher.regex("i", "1.*"));
          default -> List.of(Matcher.equal("foo", "bar"), Matcher.regex("i", "1.*"), Matcher.notRegex("i", "12.*"));
        };
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    querier.close();
    block.close();
  }

  @Benchmark
  public long select() throws IOException {
    SeriesSet ss = querier.select(false, ms);
    long n = 0;
    while (ss.next()) {
      n++;
    }
    return n;
  }
}
