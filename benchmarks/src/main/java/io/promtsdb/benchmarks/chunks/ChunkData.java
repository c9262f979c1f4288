package io.promtsdb.benchmarks.chunks;

import io.promtsdb.benchmarks.SplitMix64;
import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Span;

/**
 * The samples of the chunk benchmarks. The Go side (benchmarks/go/chunks for Prometheus 2.42,
 * its variant inside an upstream checkout for upstream main) builds exactly the same samples from the
 * same formulas and SplitMix64 seeds; {@code SameChunkDataAsGoTest} checks the encoded chunks
 * against checksums the Go side printed.
 *
 * <ul>
 *   <li>{@code go}: Go's own {@code BenchmarkXORIterator}/{@code BenchmarkXORAppender} data:
 *       chunks of 250 samples, {@code t += 1000} from 1234123324, {@code v += 100} from
 *       1243535.123, continuing from chunk to chunk (4 chunks).
 *   <li>{@code counter}: 8 chunks of 125 scrapes, 15 s apart with ±50 ms jitter, a counter
 *       growing by 0 to 99 per scrape (seed 1).
 *   <li>{@code gauge}: the same timing, a gauge that stays put a third of the time and
 *       otherwise moves by up to ±100 in steps of 0.1 (seed 2).
 *   <li>histograms: 8 chunks of 125 scrapes of an exponential histogram (schema 3) with 10 to
 *       40 populated buckets in two spans, bucket counts growing by 0 to 7 per scrape (seed 3).
 * </ul>
 *
 * Every data set has {@link #SAMPLES} samples, so scores are per sample.
 */
public final class ChunkData {
  private ChunkData() {}

  /** Samples in every data set: one benchmark operation decodes or encodes all of them. */
  public static final int SAMPLES = 1000;
  public static final int SERIES = 8;
  public static final int SCRAPES = 125;
  public static final long START = 1_700_000_000_000L;

  /** Timestamps and values of one float series. */
  public record Floats(long[] t, double[] v) {}

  public static Floats[] floats(String data) {
    return switch (data) {
      case "go" -> goShape();
      case "counter" -> scrapes(1, true);
      case "gauge" -> scrapes(2, false);
      default -> throw new IllegalArgumentException(data);
    };
  }

  static Floats[] goShape() {
    Floats[] out = new Floats[4];
    long tt = 1234123324L;
    double vv = 1243535.123;
    for (int c = 0; c < 4; c++) {
      long[] t = new long[250];
      double[] v = new double[250];
      for (int i = 0; i < 250; i++) {
        tt += 1000;
        vv += 100;
        t[i] = tt;
        v[i] = vv;
      }
      out[c] = new Floats(t, v);
    }
    return out;
  }

  static Floats[] scrapes(long seed, boolean counter) {
    SplitMix64 r = new SplitMix64(seed);
    Floats[] out = new Floats[SERIES];
    for (int s = 0; s < SERIES; s++) {
      long[] t = new long[SCRAPES];
      double[] v = new double[SCRAPES];
      long tt = START;
      double vv = counter ? 0 : 500;
      for (int i = 0; i < SCRAPES; i++) {
        tt += 15000 + (r.nextBelow(101) - 50);
        if (counter) {
          vv += r.nextBelow(100);
        } else if (r.nextBelow(3) != 0) {
          vv += (r.nextBelow(2001) - 1000) / 10.0;
        }
        t[i] = tt;
        v[i] = vv;
      }
      out[s] = new Floats(t, v);
    }
    return out;
  }

  /** Timestamps of {@link #histograms()} (the same for every series). */
  public static long[][] histogramTimestamps() {
    SplitMix64 r = new SplitMix64(4);
    long[][] out = new long[SERIES][SCRAPES];
    for (int s = 0; s < SERIES; s++) {
      long tt = START;
      for (int i = 0; i < SCRAPES; i++) {
        tt += 15000 + (r.nextBelow(101) - 50);
        out[s][i] = tt;
      }
    }
    return out;
  }

  /** {@link #SERIES} series of {@link #SCRAPES} counter histograms. */
  public static Histogram[][] histograms() {
    SplitMix64 r = new SplitMix64(3);
    Histogram[][] out = new Histogram[SERIES][SCRAPES];
    for (int s = 0; s < SERIES; s++) {
      int buckets = 10 + (int) r.nextBelow(31);
      int first = (int) r.nextBelow(buckets - 1) + 1;
      Span[] spans = {new Span(-5, first), new Span(3, buckets - first)};
      long[] counts = new long[buckets];
      long zero = 0;
      double sum = 0;
      for (int i = 0; i < SCRAPES; i++) {
        long[] deltas = new long[buckets];
        long prev = 0;
        long total = 0;
        for (int b = 0; b < buckets; b++) {
          counts[b] += r.nextBelow(8);
          deltas[b] = counts[b] - prev;
          prev = counts[b];
          total += counts[b];
        }
        zero += r.nextBelow(2);
        sum += r.nextBelow(1000) / 10.0;
        out[s][i] = Histogram.builder()
            .counterResetHint(i == 0 ? CounterResetHint.UNKNOWN : CounterResetHint.NOT_COUNTER_RESET)
            .schema(3)
            .zeroThreshold(Math.scalb(1.0, -128))
            .zeroCount(zero)
            .count(total + zero)
            .sum(sum)
            .positiveSpans(spans)
            .positiveBuckets(deltas)
            .build();
      }
    }
    return out;
  }
}
