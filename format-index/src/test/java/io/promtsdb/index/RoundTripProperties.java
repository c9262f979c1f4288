package io.promtsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.Labels;
import io.promtsdb.core.Utf8Order;
import java.io.IOException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * decode(encode(x)) == x for random series sets (names and values across the UTF-8 byte
 * order traps, chunk metas with large and negative deltas), in both layouts, with sort
 * buffers small enough to spill; plus encode(decode(file)) == file.
 */
class RoundTripProperties {
  private static Path dir;

  @BeforeContainer
  static void setUp() throws IOException {
    dir = Files.createTempDirectory("index-roundtrip");
  }

  @AfterContainer
  static void tearDown() throws IOException {
    try (var s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static final String[] NAMES = {
    "__name__", "job", "instance", "a", "b", "é", "名", "\uE000x", "\uFFFDx", "\uD83D\uDE00x",
    "le", "zz", "x".repeat(200)
  };
  private static final String[] VALUES = {
    "0", "1", "10", "9", "up", "Up", "é", "\uE000", "\uFFFD", "\uD83D\uDE00", "\uDBFF\uDFFF",
    "a\u0000b", " ", "v".repeat(130), "w".repeat(20000), "", "x"
  };

  /** A random series set: sorted, distinct, valid chunk metas. */
  static List<IndexSeries> seriesSet(long seed, int count) {
    Random rnd = new Random(seed);
    TreeMap<Labels, Boolean> sets = new TreeMap<>();
    for (int i = 0; i < count * 3 && sets.size() < count; i++) {
      Map<String, String> m = new HashMap<>();
      int n = 1 + rnd.nextInt(5);
      for (int j = 0; j < n; j++) {
        String v = rnd.nextInt(4) == 0 ? "v" + rnd.nextInt(300) : VALUES[rnd.nextInt(VALUES.length)];
        m.put(NAMES[rnd.nextInt(NAMES.length)], v);
      }
      sets.put(Labels.of(m), true);
    }
    List<IndexSeries> out = new ArrayList<>();
    long ref = rnd.nextInt(1000);
    for (Labels l : sets.keySet()) {
      List<ChunkMeta> chunks = new ArrayList<>();
      long t = rnd.nextLong() >> rnd.nextInt(64);
      int k = rnd.nextInt(6);
      for (int c = 0; c < k && t < Long.MAX_VALUE / 2 && t > Long.MIN_VALUE / 2; c++) {
        long mint = t + rnd.nextInt(1 << rnd.nextInt(31));
        long maxt = mint + (rnd.nextBoolean() ? 0 : rnd.nextInt(1 << rnd.nextInt(31)));
        chunks.add(new ChunkMeta(ref, mint, maxt));
        ref += rnd.nextInt(3) == 0 ? (1L << 32) : rnd.nextInt(1 << rnd.nextInt(20));
        t = maxt + 1;
      }
      out.add(new IndexSeries(-1, l, chunks));
    }
    return out;
  }

  static List<String> symbolsOf(List<IndexSeries> series, boolean extra) {
    TreeSet<String> s = new TreeSet<>(Utf8Order.COMPARATOR);
    for (IndexSeries x : series) {
      x.labels().forEach((n, v) -> {
        s.add(n);
        s.add(v);
      });
    }
    if (extra) {
      s.add("unused symbol");
      s.add("\uDBFF\uDFFFunused");
    }
    return new ArrayList<>(s);
  }

  static long[] write(Path file, List<String> symbols, List<IndexSeries> series, IndexWriter.Options o)
      throws IOException {
    long[] refs = new long[series.size()];
    try (IndexWriter w = IndexWriter.create(file, o)) {
      w.addSymbols(symbols);
      for (int i = 0; i < series.size(); i++) {
        refs[i] = w.addSeries(series.get(i).labels(), series.get(i).chunks());
      }
    }
    return refs;
  }

  @Property(tries = 60)
  void seriesSymbolsAndPostingsRoundTrip(
      @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 400) int count,
      @ForAll boolean withLabelIndices,
      @ForAll @IntRange(min = 16, max = 5000) int sortBuffer,
      @ForAll boolean extraSymbols)
      throws IOException {
    List<IndexSeries> series = seriesSet(seed, count);
    List<String> symbols = symbolsOf(series, extraSymbols);
    Path file = dir.resolve("index-" + seed);
    IndexWriter.Options o =
        IndexWriter.Options.DEFAULT
            .withLayout(withLabelIndices ? IndexWriter.Layout.WITH_LABEL_INDICES : IndexWriter.Layout.WITHOUT_LABEL_INDICES)
            .withSortBufferEntries(sortBuffer);
    long[] refs = write(file, symbols, series, o);

    // The model: postings per pair, values per name.
    TreeMap<String, TreeMap<String, List<Long>>> model = new TreeMap<>(Utf8Order.COMPARATOR);
    for (int i = 0; i < series.size(); i++) {
      long ref = refs[i];
      series.get(i).labels().forEach(
          (n, v) -> model.computeIfAbsent(n, k -> new TreeMap<>(Utf8Order.COMPARATOR))
              .computeIfAbsent(v, k -> new ArrayList<>()).add(ref));
    }

    try (IndexReader r = IndexReader.open(file)) {
      List<String> readSymbols = new ArrayList<>();
      r.symbols().forEachRemaining(readSymbols::add);
      assertThat(readSymbols).isEqualTo(symbols);
      assertThat(r.toc().hasLabelOffsetTable()).isEqualTo(withLabelIndices);

      long[] all = Postings.expand(r.allPostings());
      assertThat(all).isEqualTo(refs);
      ChunkMetaList chunks = new ChunkMetaList();
      for (int i = 0; i < series.size(); i++) {
        assertThat(r.series(refs[i], chunks)).isEqualTo(series.get(i).labels());
        assertThat(chunks.toList()).isEqualTo(series.get(i).chunks());
        assertThat(r.labels(refs[i])).isEqualTo(series.get(i).labels());
      }
      assertThat(r.labelNames()).containsExactlyElementsOf(model.keySet());
      for (Map.Entry<String, TreeMap<String, List<Long>>> e : model.entrySet()) {
        String name = e.getKey();
        assertThat(r.labelValues(name)).containsExactlyElementsOf(e.getValue().keySet());
        assertThat(r.labelIndexValues(name))
            .isEqualTo(withLabelIndices ? java.util.Optional.of(new ArrayList<>(e.getValue().keySet())) : java.util.Optional.empty());
        TreeSet<Long> union = new TreeSet<>();
        for (Map.Entry<String, List<Long>> v : e.getValue().entrySet()) {
          assertThat(Postings.expand(r.postings(name, v.getKey())))
              .isEqualTo(longs(v.getValue()));
          union.addAll(v.getValue());
        }
        assertThat(Postings.expand(r.postingsForAllLabelValues(name))).isEqualTo(longs(union));
        assertThat(Postings.expand(r.postings(name, e.getValue().descendingKeySet().toArray(new String[0]))))
            .isEqualTo(longs(union));
      }
      IntegrityReport report = r.checkIntegrity();
      assertThat(report.series()).isEqualTo(series.size());
      assertThat(report.symbols()).isEqualTo(symbols.size());

      Path again = dir.resolve("again-" + seed);
      Rewrite.copy(r, again, o.withSortBufferEntries(1 << 16));
      assertThat(Files.readAllBytes(again)).isEqualTo(Files.readAllBytes(file));
      Files.delete(again);
    }
    Files.delete(file);
  }

  static long[] longs(java.util.Collection<Long> c) {
    return c.stream().mapToLong(Long::longValue).toArray();
  }

  @Property(tries = 30)
  void bothLayoutsHoldTheSameContent(@ForAll long seed) throws IOException {
    List<IndexSeries> series = seriesSet(seed, 100);
    List<String> symbols = symbolsOf(series, false);
    Path a = dir.resolve("a-" + seed);
    Path b = dir.resolve("b-" + seed);
    write(a, symbols, series, IndexWriter.Options.DEFAULT);
    write(b, symbols, series, IndexWriter.Options.DEFAULT.withLayout(IndexWriter.Layout.WITHOUT_LABEL_INDICES));
    try (IndexReader ra = IndexReader.open(a);
        IndexReader rb = IndexReader.open(b)) {
      assertThat(rb.labelNames()).isEqualTo(ra.labelNames());
      for (String n : ra.labelNames()) {
        for (String v : ra.labelValues(n)) {
          assertThat(Postings.expand(rb.postings(n, v))).isEqualTo(Postings.expand(ra.postings(n, v)));
        }
      }
      // Same symbols and series sections: identical bytes up to the end of the series.
      byte[] x = Files.readAllBytes(a);
      byte[] y = Files.readAllBytes(b);
      int seriesEnd = (int) ra.toc().labelIndices();
      assertThat(rb.toc().labelIndices()).isEqualTo(seriesEnd);
      assertThat(java.util.Arrays.copyOf(y, seriesEnd)).isEqualTo(java.util.Arrays.copyOf(x, seriesEnd));
      assertThat(rb.toc().postings()).isEqualTo(rb.toc().labelIndices());
      assertThat(rb.toc().labelOffsetTable()).isEqualTo(rb.toc().postingsOffsetTable());
    }
    Files.delete(a);
    Files.delete(b);
  }

}
