package io.promtsdb.conformance;

import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Sample;
import io.promtsdb.core.Span;
import io.promtsdb.core.Values;
import io.promtsdb.index.ChunkMeta;
import io.promtsdb.tombstones.TombstoneEntry;
import io.promtsdb.wal.Refs;
import io.promtsdb.wal.WalRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The generated data of the cross matrix, shaped like real scrapes: counters and gauges at a
 * regular interval with jitter, the special floats (stale markers, NaN, infinities, -0,
 * denormals), native histograms with a fixed bucket layout and a counter reset, labels outside
 * ASCII. Every generator is seeded ({@link #SEED}), so a failing pair is reproducible.
 */
public final class Datasets {
  private Datasets() {}

  public static final long SEED = 0x5EED_2026L;

  static final long T0 = 1_700_000_000_000L;

  private static final double[] SPECIAL = {
    Values.STALE_NAN, Double.longBitsToDouble(Values.NORMAL_NAN_BITS), Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, -2.5e-300, 1e21, 0.1
  };

  /** A named series set. */
  public record SeriesSet(String name, List<SeriesSamples> series) {}

  /** Float series with special values, several chunks each. */
  public static SeriesSet floats() {
    SplittableRandom r = new SplittableRandom(SEED);
    List<SeriesSamples> out = new ArrayList<>();
    out.add(floatSeries(r, Labels.of("__name__", "http_requests_total", "code", "200", "instance", "a:9090"), 300, true, false));
    out.add(floatSeries(r, Labels.of("__name__", "node_temperature_celsius", "sensor", "東京-😀"), 250, false, true));
    out.add(floatSeries(r, Labels.of("__name__", "up", "job", "api"), 130, false, false));
    out.add(floatSeries(r, Labels.of("__name__", "one_sample", "quote", "a\"b\\c"), 1, false, false));
    return new SeriesSet("floats", sorted(out));
  }

  private static SeriesSamples floatSeries(SplittableRandom r, Labels l, int n, boolean counter, boolean specials) {
    List<Sample> s = new ArrayList<>(n);
    long t = T0 + r.nextInt(1000);
    double v = counter ? 0 : r.nextDouble() * 100;
    for (int i = 0; i < n; i++) {
      t += 15_000 + r.nextInt(-40, 41);
      if (counter) {
        v += r.nextInt(0, 20);
      } else {
        v += r.nextGaussian() * 2;
      }
      double value = specials && i % 23 == 5 ? SPECIAL[(i / 23) % SPECIAL.length] : v;
      s.add(new Sample.FloatSample(t, value));
    }
    return new SeriesSamples(l, s);
  }

  /** Integer and float histogram series: fixed layouts, a counter reset in the middle. */
  public static SeriesSet histograms() {
    SplittableRandom r = new SplittableRandom(SEED + 1);
    List<SeriesSamples> out = new ArrayList<>();
    List<Sample> hs = new ArrayList<>();
    List<Sample> fhs = new ArrayList<>();
    long t = T0;
    long base = 0;
    for (int i = 0; i < 150; i++) {
      t += 15_000 + r.nextInt(-25, 26);
      if (i == 90) {
        base = 0; // counter reset: a new chunk
      }
      base += 1 + r.nextInt(5);
      long a = base;
      long b = base * 2 + 1;
      long c = base / 2 + 3;
      long z = base % 7;
      hs.add(new Sample.HistogramSample(t, Histogram.builder()
          .schema(1).zeroThreshold(0.001).zeroCount(z).count(a + b + c + z).sum(0.25 * (a + b + c))
          .positiveSpans(new Span(0, 2), new Span(1, 1)).positiveBuckets(a, b - a, c - b)
          .negativeSpans(new Span(-1, 1)).negativeBuckets(0)
          .count(a + b + c + z).build()));
      fhs.add(new Sample.FloatHistogramSample(t, FloatHistogram.builder()
          .schema(-2).zeroThreshold(Math.scalb(1.0, -128)).zeroCount(0.5 * z).count(a + b + 0.5 * z).sum(Math.PI * i)
          .positiveSpans(new Span(-3, 1), new Span(4, 1)).positiveBuckets(a, b).build()));
    }
    out.add(new SeriesSamples(Labels.of("__name__", "rpc_duration_seconds", "service", "ünï"), hs));
    out.add(new SeriesSamples(Labels.of("__name__", "rpc_size_bytes", "service", "api"), fhs));
    return new SeriesSet("histograms", sorted(out));
  }

  /** One series changing from floats to histograms and back: a chunk per run. */
  public static SeriesSet mixed() {
    List<Sample> s = new ArrayList<>();
    long t = T0;
    for (int i = 0; i < 60; i++) {
      t += 10_000;
      if (i < 20 || i >= 40) {
        s.add(new Sample.FloatSample(t, i * 1.5));
      } else {
        s.add(new Sample.HistogramSample(t, Histogram.builder().schema(0).count(i).sum(i).zeroCount(i).build()));
      }
    }
    return new SeriesSet("mixed", List.of(new SeriesSamples(Labels.of("__name__", "type_change"), s)));
  }

  /**
   * What an OpenMetrics file can carry (floats only; NaN is Prometheus' ordinary NaN), over
   * five hours so that promtool cuts several 2h blocks.
   */
  public static SeriesSet openMetrics() {
    SplittableRandom r = new SplittableRandom(SEED + 2);
    List<SeriesSamples> out = new ArrayList<>();
    String[] jobs = {"api", "db", "ünïcode"};
    for (int j = 0; j < jobs.length; j++) {
      List<Sample> s = new ArrayList<>();
      long t = T0 - T0 % 7_200_000 + 3_600_000;
      double v = 0;
      for (int i = 0; i < 600; i++) {
        t += 30_000 + 250L * r.nextInt(-2, 3);
        v += r.nextInt(0, 100) / 4.0;
        double value = i % 97 == 13 ? Double.longBitsToDouble(Values.NORMAL_NAN_BITS) : (i % 101 == 7 ? Double.POSITIVE_INFINITY : v);
        s.add(new Sample.FloatSample(t, value));
      }
      out.add(new SeriesSamples(Labels.of("__name__", "om_requests_total", "job", jobs[j]), s));
    }
    return new SeriesSet("openmetrics", sorted(out));
  }

  /** {@code series} as an OpenMetrics text file (timestamps in seconds, Go's float text). */
  public static String toOpenMetrics(SeriesSet set) {
    StringBuilder b = new StringBuilder();
    String lastName = null;
    for (SeriesSamples s : set.series()) {
      String name = s.labels().metricName();
      if (!name.equals(lastName)) {
        b.append("# TYPE ").append(name).append(" gauge\n");
        lastName = name;
      }
      StringBuilder ls = new StringBuilder();
      s.labels().forEach((k, v) -> {
        if (!k.equals(Labels.METRIC_NAME)) {
          ls.append(ls.length() == 0 ? "" : ",").append(k).append("=\"")
              .append(v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        }
      });
      for (Sample x : s.samples()) {
        double v = ((Sample.FloatSample) x).value();
        b.append(name).append('{').append(ls).append("} ");
        io.promtsdb.core.GoFloat.appendG(b, v);
        b.append(' ').append(x.timestamp() / 1000).append('.').append(String.format("%03d", x.timestamp() % 1000)).append('\n');
      }
    }
    return b.append("# EOF\n").toString();
  }

  /** WAL records forming a valid head: series first, then samples and histograms per series in time order. */
  public static List<WalRecord> walRecords() {
    List<WalRecord> out = new ArrayList<>();
    SeriesSet f = floats();
    SeriesSet h = histograms();
    List<SeriesSamples> all = new ArrayList<>(f.series());
    all.addAll(h.series());
    List<Refs.RefSeries> series = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      series.add(new Refs.RefSeries(i + 1, all.get(i).labels()));
    }
    out.add(new WalRecord.Series(series));
    int max = all.stream().mapToInt(s -> s.samples().size()).max().orElse(0);
    for (int from = 0; from < max; from += 40) {
      List<Refs.RefSample> floatsBatch = new ArrayList<>();
      List<Refs.RefHistogramSample> hBatch = new ArrayList<>();
      List<Refs.RefFloatHistogramSample> fhBatch = new ArrayList<>();
      for (int i = 0; i < all.size(); i++) {
        List<Sample> ss = all.get(i).samples();
        for (int k = from; k < Math.min(from + 40, ss.size()); k++) {
          Sample x = ss.get(k);
          if (x instanceof Sample.FloatSample fs) {
            floatsBatch.add(new Refs.RefSample(i + 1, fs.timestamp(), fs.value()));
          } else if (x instanceof Sample.HistogramSample hs) {
            hBatch.add(new Refs.RefHistogramSample(i + 1, hs.timestamp(), hs.histogram()));
          } else {
            Sample.FloatHistogramSample fh = (Sample.FloatHistogramSample) x;
            fhBatch.add(new Refs.RefFloatHistogramSample(i + 1, fh.timestamp(), fh.histogram()));
          }
        }
      }
      if (!floatsBatch.isEmpty()) {
        out.add(WalRecord.Samples.of(floatsBatch));
      }
      if (!hBatch.isEmpty()) {
        out.add(WalRecord.HistogramSamples.of(false, hBatch));
      }
      if (!fhBatch.isEmpty()) {
        out.add(WalRecord.FloatHistogramSamples.of(false, fhBatch));
      }
    }
    out.add(new WalRecord.Metadata(List.of(new Refs.RefMetadata(1, 1, "", "Requests served."))));
    out.add(WalRecord.Exemplars.of(List.of(new Refs.RefExemplar(1, T0 + 20_000, 3.5, Labels.of("trace_id", "abc")))));
    return out;
  }

  /** The series the WAL records describe, as a dump of a head replayed from them shows them. */
  public static List<SeriesSamples> walSeries() {
    List<SeriesSamples> all = new ArrayList<>(floats().series());
    all.addAll(histograms().series());
    return sorted(all);
  }

  /** An index input: symbols and series with chunk metas. */
  public record IndexInput(List<String> symbols, List<WriteIndex.Series> series) {}

  public static IndexInput index() {
    SplittableRandom r = new SplittableRandom(SEED + 3);
    List<Labels> labels = new ArrayList<>();
    String[] names = {"http_requests_total", "up", "métrique", "\uE000private", "😀"};
    for (int i = 0; i < 60; i++) {
      labels.add(Labels.of("__name__", names[i % names.length], "instance", "host-" + (i % 13),
          "zone", i % 3 == 0 ? "東京" : "zone-" + (i % 4)));
    }
    labels = new ArrayList<>(new TreeSet<>(labels));
    TreeSet<byte[]> symbolBytes = new TreeSet<>(Arrays::compareUnsigned);
    List<WriteIndex.Series> series = new ArrayList<>();
    long ref = 8;
    for (Labels l : labels) {
      l.forEach((k, v) -> {
        symbolBytes.add(k.getBytes(StandardCharsets.UTF_8));
        symbolBytes.add(v.getBytes(StandardCharsets.UTF_8));
      });
      List<ChunkMeta> chunks = new ArrayList<>();
      long t = T0 + r.nextInt(100_000);
      for (int c = 0; c < r.nextInt(0, 4); c++) {
        long end = t + 1_799_000 + r.nextInt(1000);
        chunks.add(new ChunkMeta(ref, t, end));
        ref += 120 + r.nextInt(200);
        t = end + 15_000;
      }
      series.add(new WriteIndex.Series(l, chunks));
    }
    List<String> symbols = new ArrayList<>();
    symbolBytes.add("unused".getBytes(StandardCharsets.UTF_8));
    for (byte[] s : symbolBytes) {
      symbols.add(new String(s, StandardCharsets.UTF_8));
    }
    return new IndexInput(symbols, series);
  }

  /** Tombstone entries in a writer's order, with overlaps and adjacencies to merge. */
  public static List<TombstoneEntry> tombstones() {
    return List.of(
        new TombstoneEntry(5, 100, 200), new TombstoneEntry(5, 201, 300), new TombstoneEntry(2, -50, 50),
        new TombstoneEntry(5, 150, 180), new TombstoneEntry(-1L, Long.MIN_VALUE, Long.MAX_VALUE),
        new TombstoneEntry(1L << 40, 1_700_000_000_000L, 1_700_000_100_000L), new TombstoneEntry(2, 1000, 2000));
  }

  /** Chunk contents per encoding. */
  public record ChunkInput(String name, int encoding, List<Sample> samples) {}

  public static List<ChunkInput> chunks() {
    List<ChunkInput> out = new ArrayList<>();
    SeriesSet f = floats();
    out.add(new ChunkInput("xor-counter", 1, f.series().get(0).samples().subList(0, 120)));
    out.add(new ChunkInput("xor-specials", 1, firstWithSpecials(f).subList(0, 120)));
    List<Sample> st = new ArrayList<>();
    for (Sample s : firstWithSpecials(f).subList(0, 120)) {
      st.add(new Sample.FloatSample(s.timestamp(), s.timestamp() - 30_000, ((Sample.FloatSample) s).value()));
    }
    out.add(new ChunkInput("xor2-specials-st", 4, st));
    SeriesSet h = histograms();
    out.add(new ChunkInput("histogram", 2, h.series().get(0).samples().subList(0, 90)));
    out.add(new ChunkInput("floathistogram", 3, h.series().get(1).samples().subList(0, 120)));
    return out;
  }

  private static List<Sample> firstWithSpecials(SeriesSet f) {
    for (SeriesSamples s : f.series()) {
      if (s.labels().has("sensor")) {
        return s.samples();
      }
    }
    throw new IllegalStateException();
  }

  static List<SeriesSamples> sorted(List<SeriesSamples> s) {
    List<SeriesSamples> out = new ArrayList<>(s);
    out.sort(Comparator.comparing(SeriesSamples::labels));
    return out;
  }
}
