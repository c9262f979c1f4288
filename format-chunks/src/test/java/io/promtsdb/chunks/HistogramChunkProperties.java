package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Sample;
import io.promtsdb.core.Span;
import io.promtsdb.core.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Histogram chunk properties: decode(encode(x)) == x for arbitrary layouts and values (raw
 * appends, encodings 2, 3, 5, 6), and the appender's full logic (padding, recoding, cutting)
 * never changes what a sample says: decoding all the chunks it produced gives back every input
 * histogram, up to empty buckets added by padding or recoding.
 */
class HistogramChunkProperties {

  /** A seed drives each generated case so that a failure replays from jqwik's seed alone. */
  @Provide
  Arbitrary<Long> seeds() {
    return Arbitraries.longs();
  }

  private static final double[] THRESHOLDS = {0, 1e-128, Math.scalb(1.0, -128), 0.001, 0.5, 3, -1, Double.NaN};

  static Span[] randomSpans(Random r, boolean positiveOnly) {
    int n = r.nextInt(5);
    Span[] s = new Span[n];
    for (int i = 0; i < n; i++) {
      int off = i == 0 ? r.nextInt(21) - 10 : r.nextInt(4);
      if (positiveOnly && i == 0) {
        off = r.nextInt(3);
      }
      s[i] = new Span(off, r.nextInt(6));
    }
    return s;
  }

  static int count(Span[] spans) {
    int n = 0;
    for (Span s : spans) {
      n += s.length();
    }
    return n;
  }

  /** Samples of one chunk: a fixed layout, arbitrary values, stale markers only at the end. */
  static List<Sample> rawSamples(long seed, boolean isFloat) {
    Random r = new Random(seed);
    boolean custom = r.nextInt(5) == 0;
    int schema = custom ? Histogram.CUSTOM_BUCKETS_SCHEMA : r.nextInt(13) - 4;
    double thr = custom ? 0 : THRESHOLDS[r.nextInt(THRESHOLDS.length)];
    Span[] pos = randomSpans(r, custom);
    Span[] neg = custom ? new Span[0] : randomSpans(r, false);
    double[] bounds = new double[0];
    if (custom) {
      int nb = count(pos) + 2 + r.nextInt(3);
      bounds = new double[nb];
      double b = 0;
      for (int i = 0; i < nb; i++) {
        // Mostly multiples of 0.001 (the compact encoding), sometimes arbitrary.
        b += r.nextInt(3) == 0 ? r.nextDouble() * 10 : 0.001 * (1 + r.nextInt(5000));
        bounds[i] = b;
      }
    }
    int n = 1 + r.nextInt(r.nextBoolean() ? 10 : 150);
    int staleFrom = r.nextInt(4) == 0 ? r.nextInt(n) : n;
    long t = r.nextLong() >> r.nextInt(64);
    long st = r.nextInt(3) == 0 ? 0 : t - r.nextInt(100000);
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      t += r.nextInt(4) == 0 ? r.nextLong() >> r.nextInt(64) : 15000 + r.nextInt(50);
      if (r.nextInt(10) == 0) {
        st = r.nextInt(2) == 0 ? t - r.nextInt(1000) : r.nextLong();
      }
      double sum = r.nextInt(4) == 0 ? Double.longBitsToDouble(r.nextLong()) : r.nextDouble() * 1000;
      if (i >= staleFrom) {
        sum = Values.STALE_NAN;
      }
      if (isFloat) {
        FloatHistogram.Builder b = FloatHistogram.builder().schema(schema).zeroThreshold(thr)
            .count(value(r)).zeroCount(value(r)).sum(sum).positiveSpans(pos).negativeSpans(neg)
            .customValues(bounds);
        double[] pb = new double[count(pos)];
        double[] nb = new double[count(neg)];
        for (int j = 0; j < pb.length; j++) {
          pb[j] = value(r);
        }
        for (int j = 0; j < nb.length; j++) {
          nb[j] = value(r);
        }
        out.add(new Sample.FloatHistogramSample(t, st, b.positiveBuckets(pb).negativeBuckets(nb).build()));
      } else {
        Histogram.Builder b = Histogram.builder().schema(schema).zeroThreshold(thr)
            .count(r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(100000))
            .zeroCount(r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(1000))
            .sum(sum).positiveSpans(pos).negativeSpans(neg).customValues(bounds);
        long[] pb = new long[count(pos)];
        long[] nb = new long[count(neg)];
        for (int j = 0; j < pb.length; j++) {
          pb[j] = r.nextInt(5) == 0 ? r.nextLong() >> r.nextInt(64) : r.nextInt(200) - 100;
        }
        for (int j = 0; j < nb.length; j++) {
          nb[j] = r.nextInt(200) - 100;
        }
        out.add(new Sample.HistogramSample(t, st, b.positiveBuckets(pb).negativeBuckets(nb).build()));
      }
    }
    return out;
  }

  private static double value(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> Double.longBitsToDouble(r.nextLong());
      case 1 -> 0;
      default -> r.nextInt(10000) / 4.0;
    };
  }

  @Property(tries = 300)
  void integerRoundTrip(@ForAll("seeds") long seed, @ForAll boolean st) throws Exception {
    roundTrip(st ? ChunkEncoding.HISTOGRAM_ST : ChunkEncoding.HISTOGRAM, rawSamples(seed, false));
  }

  @Property(tries = 300)
  void floatRoundTrip(@ForAll("seeds") long seed, @ForAll boolean st) throws Exception {
    roundTrip(st ? ChunkEncoding.FLOAT_HISTOGRAM_ST : ChunkEncoding.FLOAT_HISTOGRAM, rawSamples(seed, true));
  }

  private static void roundTrip(ChunkEncoding enc, List<Sample> samples) throws Exception {
    if (!enc.hasStartTimestamps()) {
      samples = withoutST(samples);
    }
    CounterResetHeader header = CounterResetHeader.values()[Math.floorMod(samples.size(), 4)];
    Chunk c = ChunkEncoder.encode(enc, samples, header, WriterFlavor.PROMETHEUS_3);
    assertThat(c.numSamples()).isEqualTo(samples.size());
    assertThat(c.counterResetHeader()).isEqualTo(header);
    List<Sample> decoded = c.samples();
    assertThat(decoded).containsExactlyElementsOf(GoVectorsTest.expectedDecoded(c, samples));
    assertThat(ChunkEncoder.encode(enc, decoded, header, WriterFlavor.PROMETHEUS_3)).isEqualTo(c);
  }

  /** A resumed appender continues exactly: the chunk decodes to every sample appended. */
  @Property(tries = 200)
  void resumeContinuesExactly(@ForAll("seeds") long seed, @ForAll boolean isFloat, @ForAll boolean st,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 0, max = 150) int cut) throws Exception {
    ChunkEncoding enc = isFloat
        ? (st ? ChunkEncoding.FLOAT_HISTOGRAM_ST : ChunkEncoding.FLOAT_HISTOGRAM)
        : (st ? ChunkEncoding.HISTOGRAM_ST : ChunkEncoding.HISTOGRAM);
    List<Sample> samples = rawSamples(seed, isFloat);
    if (!st) {
      samples = withoutST(samples);
    }
    int k = Math.min(cut, samples.size());
    Chunk first = ChunkEncoder.encode(enc, samples.subList(0, k), CounterResetHeader.NOT_COUNTER_RESET,
        WriterFlavor.PROMETHEUS_3);
    Chunk all;
    if (isFloat) {
      FloatHistogramAppender a = FloatHistogramAppender.resume(first);
      for (Sample x : samples.subList(k, samples.size())) {
        Sample.FloatHistogramSample h = (Sample.FloatHistogramSample) x;
        a.appendUnchecked(h.startTimestamp(), h.timestamp(), h.histogram());
      }
      all = a.chunk();
    } else {
      HistogramAppender a = HistogramAppender.resume(first);
      for (Sample x : samples.subList(k, samples.size())) {
        Sample.HistogramSample h = (Sample.HistogramSample) x;
        a.appendUnchecked(h.startTimestamp(), h.timestamp(), h.histogram());
      }
      all = a.chunk();
    }
    assertThat(all.counterResetHeader()).isEqualTo(CounterResetHeader.NOT_COUNTER_RESET);
    assertThat(all.samples()).containsExactlyElementsOf(GoVectorsTest.expectedDecoded(all, samples));
  }

  static List<Sample> withoutST(List<Sample> samples) {
    List<Sample> out = new ArrayList<>();
    for (Sample s : samples) {
      if (s instanceof Sample.HistogramSample h) {
        out.add(new Sample.HistogramSample(h.timestamp(), 0, h.histogram()));
      } else if (s instanceof Sample.FloatHistogramSample h) {
        out.add(new Sample.FloatHistogramSample(h.timestamp(), 0, h.histogram()));
      }
    }
    return out;
  }

  /** A counter or gauge series whose buckets appear, empty, disappear and reset at random. */
  static List<Histogram> series(long seed) {
    Random r = new Random(seed);
    boolean gauge = r.nextInt(3) == 0;
    TreeMap<Integer, Long> pos = new TreeMap<>();
    TreeMap<Integer, Long> neg = new TreeMap<>();
    int schema = r.nextInt(3);
    long zero = 0;
    double sum = 0;
    List<Histogram> out = new ArrayList<>();
    int n = 1 + r.nextInt(120);
    for (int i = 0; i < n; i++) {
      switch (r.nextInt(12)) {
        case 0 -> pos.put(r.nextInt(30) - 10, 0L);
        case 1 -> neg.put(r.nextInt(10) - 5, 0L);
        case 2 -> {
          if (!pos.isEmpty() && (gauge || r.nextBoolean())) {
            pos.remove(pos.firstKey());
          }
        }
        case 3 -> pos.replaceAll((k, v) -> v / 2);
        case 4 -> schema = r.nextInt(3);
        default -> { }
      }
      pos.replaceAll((k, v) -> Math.max(0, v + (gauge ? r.nextInt(7) - 3 : r.nextInt(4))));
      neg.replaceAll((k, v) -> v + r.nextInt(3));
      zero += r.nextInt(2);
      sum += r.nextDouble();
      if (r.nextInt(30) == 0) {
        out.add(Histogram.builder().sum(Values.STALE_NAN).build());
        continue;
      }
      out.add(build(gauge ? CounterResetHint.GAUGE : CounterResetHint.UNKNOWN, schema, zero, pos, neg, sum));
    }
    return out;
  }

  static Histogram build(CounterResetHint hint, int schema, long zero, TreeMap<Integer, Long> pos,
      TreeMap<Integer, Long> neg, double sum) {
    List<Span> ps = new ArrayList<>();
    List<Long> pb = new ArrayList<>();
    long total = zero + layout(pos, ps, pb);
    List<Span> ns = new ArrayList<>();
    List<Long> nb = new ArrayList<>();
    total += layout(neg, ns, nb);
    return Histogram.builder().counterResetHint(hint).schema(schema).zeroThreshold(0.001)
        .zeroCount(zero).count(total).sum(sum)
        .positiveSpans(ps.toArray(new Span[0])).negativeSpans(ns.toArray(new Span[0]))
        .positiveBuckets(pb.stream().mapToLong(Long::longValue).toArray())
        .negativeBuckets(nb.stream().mapToLong(Long::longValue).toArray())
        .build();
  }

  private static long layout(TreeMap<Integer, Long> m, List<Span> spans, List<Long> deltas) {
    long total = 0;
    long prev = 0;
    int last = 0;
    int[] cur = null;
    List<int[]> raw = new ArrayList<>();
    for (Map.Entry<Integer, Long> e : m.entrySet()) {
      int k = e.getKey();
      if (cur == null || k != last + 1) {
        cur = new int[] {cur == null ? k : k - last - 1, 1};
        raw.add(cur);
      } else {
        cur[1]++;
      }
      deltas.add(e.getValue() - prev);
      prev = e.getValue();
      total += e.getValue();
      last = k;
    }
    for (int[] s : raw) {
      spans.add(new Span(s[0], s[1]));
    }
    return total;
  }

  /** Absolute non-zero bucket counts by index. */
  static Map<Integer, Long> buckets(Span[] spans, long[] deltas) {
    Map<Integer, Long> out = new TreeMap<>();
    int idx = 0;
    int b = 0;
    long v = 0;
    for (int s = 0; s < spans.length; s++) {
      idx += spans[s].offset();
      for (int j = 0; j < spans[s].length(); j++) {
        v += deltas[b++];
        if (v != 0) {
          out.put(idx, v);
        }
        idx++;
      }
    }
    return out;
  }

  @Property(tries = 300)
  void appenderLogicKeepsEverySample(@ForAll("seeds") long seed, @ForAll boolean st) throws Exception {
    ChunkEncoding enc = st ? ChunkEncoding.HISTOGRAM_ST : ChunkEncoding.HISTOGRAM;
    List<Histogram> in = series(seed);
    List<Chunk> chunks = new ArrayList<>();
    HistogramAppender a = HistogramAppender.create(enc);
    long t = 1000;
    for (Histogram h : in) {
      t += 15000;
      Chunk before = a.chunk();
      AppendResult<HistogramAppender> r = a.appendHistogram(null, st ? t - 7 : 0, t, h, false);
      assertThat(r.outcome()).isNotEqualTo(AppendResult.Outcome.REJECTED);
      if (r.outcome() == AppendResult.Outcome.NEW_CHUNK) {
        chunks.add(before);
      }
      a = r.appender();
    }
    chunks.add(a.chunk());
    List<Histogram> out = new ArrayList<>();
    long[] tsOut = new long[in.size()];
    int k = 0;
    for (Chunk c : chunks) {
      HistogramIterator it = c.histogramIterator(null);
      while (it.next() != ValueType.NONE) {
        out.add(it.atHistogram());
        tsOut[k++] = it.atT();
        if (st) {
          assertThat(it.atST()).isEqualTo(it.atT() - 7);
        }
      }
    }
    assertThat(out).hasSameSizeAs(in);
    for (int i = 0; i < in.size(); i++) {
      Histogram x = in.get(i);
      Histogram y = out.get(i);
      assertThat(tsOut[i]).isEqualTo(1000 + 15000L * (i + 1));
      assertThat(y.isStale()).isEqualTo(x.isStale());
      if (x.isStale()) {
        continue;
      }
      assertThat(y.schema()).isEqualTo(x.schema());
      assertThat(y.count()).isEqualTo(x.count());
      assertThat(y.zeroCount()).isEqualTo(x.zeroCount());
      assertThat(Double.doubleToRawLongBits(y.sum())).isEqualTo(Double.doubleToRawLongBits(x.sum()));
      assertThat(buckets(y.positiveSpans(), y.positiveBuckets()))
          .isEqualTo(buckets(x.positiveSpans(), x.positiveBuckets()));
      assertThat(buckets(y.negativeSpans(), y.negativeBuckets()))
          .isEqualTo(buckets(x.negativeSpans(), x.negativeBuckets()));
      if (x.counterResetHint() == CounterResetHint.GAUGE) {
        assertThat(y.counterResetHint()).isEqualTo(CounterResetHint.GAUGE);
      }
    }
  }

  @Property(tries = 200)
  void floatAppenderLogicKeepsEverySample(@ForAll("seeds") long seed, @ForAll boolean st) throws Exception {
    ChunkEncoding enc = st ? ChunkEncoding.FLOAT_HISTOGRAM_ST : ChunkEncoding.FLOAT_HISTOGRAM;
    List<Histogram> in = series(seed);
    List<Chunk> chunks = new ArrayList<>();
    FloatHistogramAppender a = FloatHistogramAppender.create(enc);
    long t = 1000;
    for (Histogram h : in) {
      t += 15000;
      Chunk before = a.chunk();
      AppendResult<FloatHistogramAppender> r =
          a.appendFloatHistogram(null, st ? t - 7 : 0, t, h.toFloatHistogram(), false);
      if (r.outcome() == AppendResult.Outcome.NEW_CHUNK) {
        chunks.add(before);
      }
      a = r.appender();
    }
    chunks.add(a.chunk());
    List<FloatHistogram> out = new ArrayList<>();
    for (Chunk c : chunks) {
      FloatHistogramIterator it = c.floatHistogramIterator(null);
      while (it.next() != ValueType.NONE) {
        out.add(it.atFloatHistogram());
      }
    }
    assertThat(out).hasSameSizeAs(in);
    for (int i = 0; i < in.size(); i++) {
      FloatHistogram x = in.get(i).toFloatHistogram();
      FloatHistogram y = out.get(i);
      assertThat(y.isStale()).isEqualTo(x.isStale());
      if (x.isStale()) {
        continue;
      }
      assertThat(y.count()).isEqualTo(x.count());
      assertThat(floatBuckets(y.positiveSpans(), y.positiveBuckets()))
          .isEqualTo(floatBuckets(x.positiveSpans(), x.positiveBuckets()));
      assertThat(floatBuckets(y.negativeSpans(), y.negativeBuckets()))
          .isEqualTo(floatBuckets(x.negativeSpans(), x.negativeBuckets()));
    }
  }

  static Map<Integer, Double> floatBuckets(Span[] spans, double[] values) {
    Map<Integer, Double> out = new TreeMap<>();
    int idx = 0;
    int b = 0;
    for (Span s : spans) {
      idx += s.offset();
      for (int j = 0; j < s.length(); j++) {
        double v = values[b++];
        if (v != 0) {
          out.put(idx, v);
        }
        idx++;
      }
    }
    return out;
  }
}
