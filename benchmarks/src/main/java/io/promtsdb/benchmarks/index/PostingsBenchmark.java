package io.promtsdb.benchmarks.index;

import io.promtsdb.index.Postings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Postings operations on the data of Prometheus' own benchmarks in {@code
 * tsdb/index/postings_test.go}, over in-memory lists as there ({@code newListPostings}), each
 * consumed to the end:
 *
 * <ul>
 *   <li>{@code intersect}, cases of {@code BenchmarkIntersect}: {@code LongPostings1} (four
 *       lists of 5M, 175, 110K and 2M refs), {@code LongPostings2} (12.5M, 5M, 11M, 2M; the
 *       intersection is 2M refs), {@code ManyPostings} (100 000 lists of refs 1..99);
 *   <li>{@code merge}, {@code BenchmarkMerge} (3.x): the first 1, 10, 10 000 or 100 000 of
 *       100 000 lists of 99 refs {@code i + j·100000}.
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xmx3g"})
public class PostingsBenchmark {

  @State(Scope.Benchmark)
  public static class IntersectData {
    @Param({"LongPostings1", "LongPostings2", "ManyPostings"})
    public String intersectCase;

    long[][] lists;

    @Setup
    public void setup() {
      lists =
          switch (intersectCase) {
            case "LongPostings1" -> new long[][] {
              range(0, 10_000_000, 2),
              concat(range(5_000_000, 5_000_100, 4), range(5_090_000, 5_090_600, 4)),
              range(4_990_000, 5_100_000, 1),
              range(4_000_000, 6_000_000, 1)
            };
            case "LongPostings2" -> new long[][] {
              range(0, 12_500_000, 1),
              range(7_500_000, 12_500_000, 1),
              range(9_000_000, 20_000_000, 1),
              range(10_000_000, 12_000_000, 1)
            };
            case "ManyPostings" -> {
              long[][] l = new long[100_000][];
              long[] refs = range(1, 100, 1);
              for (int i = 0; i < l.length; i++) {
                l[i] = refs.clone();
              }
              yield l;
            }
            default -> throw new IllegalArgumentException(intersectCase);
          };
    }
  }

  @State(Scope.Benchmark)
  public static class MergeData {
    @Param({"1", "10", "10000", "100000"})
    public int lists;

    long[][] refs;

    @Setup
    public void setup() {
      refs = new long[100_000][];
      for (int i = 0; i < refs.length; i++) {
        long[] l = new long[99];
        for (int j = 1; j < 100; j++) {
          l[j - 1] = i + j * 100_000L;
        }
        refs[i] = l;
      }
    }
  }

  @Benchmark
  public long intersect(IntersectData d) {
    Postings[] its = new Postings[d.lists.length];
    for (int i = 0; i < its.length; i++) {
      its[i] = Postings.ofUnchecked(d.lists[i], 0, d.lists[i].length);
    }
    return consume(Postings.intersect(its));
  }

  @Benchmark
  public long merge(MergeData d) {
    List<Postings> its = new ArrayList<>(d.lists);
    for (int i = 0; i < d.lists; i++) {
      its.add(Postings.ofUnchecked(d.refs[i], 0, d.refs[i].length));
    }
    return consume(Postings.merge(its));
  }

  private static long consume(Postings p) {
    long sum = 0;
    for (long r = p.next(); r != Postings.END; r = p.next()) {
      sum += r;
    }
    return sum;
  }

  static long[] range(long from, long to, long step) {
    long[] out = new long[(int) ((to - from + step - 1) / step)];
    for (int i = 0; i < out.length; i++) {
      out[i] = from + i * step;
    }
    return out;
  }

  static long[] concat(long[] a, long[] b) {
    long[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
