package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Span;
import io.promtsdb.core.Values;
import io.promtsdb.wal.Compression;
import io.promtsdb.wal.SyncPolicy;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The writable engine: appends, commits, replay on reopen, errors, isolation, OOO, deletes. */
class TsdbTest {
  @TempDir Path tmp;

  static final long T0 = 1_700_000_000_000L;

  /** Every sample of every series, as "t v" strings (floats by raw bits) or histogram strings. */
  static Map<Labels, List<String>> all(Querier q) throws IOException {
    Map<Labels, List<String>> out = new TreeMap<>();
    SeriesSet ss = q.select(true, List.of(Matcher.regex("__name__", ".*")));
    while (ss.next()) {
      Series s = ss.at();
      out.put(s.labels(), samples(s));
    }
    return out;
  }

  static List<String> samples(Series s) throws IOException {
    List<String> l = new ArrayList<>();
    SampleIterator it = s.iterator(null);
    for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
      l.add(switch (vt) {
        case FLOAT -> it.atT() + " " + Long.toHexString(Double.doubleToRawLongBits(it.atValue()));
        case HISTOGRAM -> it.atT() + " h " + it.atHistogram();
        default -> it.atT() + " fh " + it.atFloatHistogram();
      });
    }
    return l;
  }

  static Map<Labels, List<String>> all(Tsdb db) throws IOException {
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return all(q);
    }
  }

  static Map<Labels, List<String>> allReadOnly(Path dir) throws IOException {
    try (ReadOnlyDb db = ReadOnlyDb.open(dir); Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return all(q);
    }
  }

  static String f(long t, double v) {
    return t + " " + Long.toHexString(Double.doubleToRawLongBits(v));
  }

  static Histogram histogram(long i) {
    return Histogram.builder()
        .schema(1)
        .count(3 + 3 * i)
        .sum(10.5 + i)
        .zeroThreshold(0.001)
        .zeroCount(1 + i)
        .positiveSpans(new Span(0, 2))
        .positiveBuckets(new long[] {1 + i, 0})
        .build();
  }

  @Test
  void appendsAreQueryableAndSurviveReopen() throws Exception {
    SplittableRandom r = new SplittableRandom(42);
    Map<Labels, List<String>> want = new TreeMap<>();
    TsdbOptions o = TsdbOptions.defaults().withWalSegmentSize(32 * 1024).withWalCompression(Compression.SNAPPY);
    try (Tsdb db = Tsdb.open(tmp, o)) {
      for (int step = 0; step < 400; step++) {
        try (Appender app = db.appender()) {
          for (int s = 0; s < 20; s++) {
            Labels l = Labels.of("__name__", "m" + (s % 3), "i", Integer.toString(s));
            long t = T0 + step * 15_000L;
            double v = r.nextInt(10) == 0 ? Values.STALE_NAN : r.nextDouble() * 1000;
            app.append(l, t, v);
            want.computeIfAbsent(l, k -> new ArrayList<>()).add(f(t, v));
          }
          app.commit();
        }
      }
      assertThat(all(db)).isEqualTo(want);
      assertThat(db.headSeries()).isEqualTo(20);
      assertThat(db.samplesAppended()).isEqualTo(400 * 20);
    }
    // 400 samples a series: full chunks went to the head chunk files, the WAL rotated.
    try (Stream<Path> s = Files.list(tmp.resolve("chunks_head"))) {
      assertThat(s.count()).isGreaterThanOrEqualTo(1);
    }
    try (Stream<Path> s = Files.list(tmp.resolve("wal"))) {
      assertThat(s.count()).isGreaterThan(2);
    }
    assertThat(allReadOnly(tmp)).isEqualTo(want);
    try (Tsdb db = Tsdb.open(tmp, o)) {
      assertThat(db.replayReport().warnings()).isEmpty();
      // Every step that ran took time, and the total covers the steps.
      ReplayReport.Durations d = db.replayReport().durations();
      assertThat(d.wal()).isPositive();
      assertThat(d.mmapChunks()).isPositive();
      assertThat(d.chunkSnapshot()).isZero();
      assertThat(d.total()).isGreaterThanOrEqualTo(d.wal().plus(d.mmapChunks()).plus(d.checkpoint()));
      assertThat(all(db)).isEqualTo(want);
      // Appending continues after the replayed data, refs of old series are reused.
      try (Appender app = db.appender()) {
        Labels l = Labels.of("__name__", "m0", "i", "0");
        app.append(l, T0 + 400 * 15_000L, 7);
        want.get(l).add(f(T0 + 400 * 15_000L, 7));
        app.append(Labels.of("__name__", "new"), T0 + 400 * 15_000L, 1);
        want.put(Labels.of("__name__", "new"), new ArrayList<>(List.of(f(T0 + 400 * 15_000L, 1))));
        app.commit();
      }
      assertThat(db.headSeries()).isEqualTo(21);
    }
    assertThat(allReadOnly(tmp)).isEqualTo(want);
  }

  @Test
  void chunksAreCutAtOneHundredTwentySamples() throws Exception {
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults())) {
      try (Appender app = db.appender()) {
        for (int i = 0; i < 480; i++) {
          app.append(Labels.of("__name__", "c"), T0 + i * 15_000L, i);
        }
        app.commit();
      }
      MemSeries s = db.head.byLabels.get(Labels.of("__name__", "c"));
      List<Integer> sizes = new ArrayList<>();
      for (MmappedChunk c : s.mmappedChunks) {
        sizes.add(c.numSamples());
        assertThat(c.ref()).isNotEqualTo(-1);
      }
      for (MemChunk c : s.headChunks) {
        sizes.add(c.numSamples());
      }
      // 480 samples at 15 s span 2 hours; Prometheus' cuts are 120 each unless the 2h range
      // boundary (a multiple of 7200000 ms) comes first.
      assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(480);
      assertThat(sizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(240));
      assertThat(sizes.size()).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void histogramsAndFloatHistogramsRoundTrip() throws Exception {
    Map<Labels, List<String>> want = new TreeMap<>();
    TsdbOptions o = TsdbOptions.defaults().withNativeHistograms(true);
    try (Tsdb db = Tsdb.open(tmp, o)) {
      Labels hl = Labels.of("__name__", "h");
      Labels fl = Labels.of("__name__", "fh");
      for (int i = 0; i < 300; i++) {
        try (Appender app = db.appender()) {
          long t = T0 + i * 10_000L;
          Histogram h = histogram(i);
          FloatHistogram fh = histogram(2 * i).toFloatHistogram();
          app.appendHistogram(hl, t, h);
          app.appendFloatHistogram(fl, t, fh);
          app.commit();
          want.computeIfAbsent(hl, k -> new ArrayList<>()).add(t + " h " + h);
          want.computeIfAbsent(fl, k -> new ArrayList<>()).add(t + " fh " + fh);
        }
      }
      assertThat(all(db)).isEqualTo(want);
    }
    try (Tsdb db = Tsdb.open(tmp, o)) {
      assertThat(all(db)).isEqualTo(want);
    }
  }

  @Test
  void staleMarkerAfterHistogramBecomesHistogramStaleMarker() throws Exception {
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults().withNativeHistograms(true))) {
      Labels l = Labels.of("__name__", "h");
      try (Appender app = db.appender()) {
        app.appendHistogram(l, T0, histogram(1));
        app.commit();
      }
      try (Appender app = db.appender()) {
        app.append(l, T0 + 1000, Values.STALE_NAN);
        app.commit();
      }
      try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet ss = q.select(true, List.of(Matcher.equal("__name__", "h")));
        assertThat(ss.next()).isTrue();
        SampleIterator it = ss.at().iterator(null);
        assertThat(it.next()).isEqualTo(ValueType.HISTOGRAM);
        assertThat(it.next()).isEqualTo(ValueType.HISTOGRAM);
        assertThat(Values.isStaleNaN(it.atHistogram().sum())).isTrue();
      }
    }
  }

  @Test
  void badInputIsRejectedWithPrometheusKindsAndNothingElseIsLost() throws Exception {
    Labels ok = Labels.of("__name__", "ok");
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults())) {
      try (Appender app = db.appender()) {
        app.append(ok, T0, 1);
        app.commit();
      }
      try (Appender app = db.appender()) {
        assertKind(() -> app.append(ok, T0 - 1, 1), AppendException.Kind.OUT_OF_ORDER_SAMPLE);
        assertKind(() -> app.append(ok, T0, 2), AppendException.Kind.DUPLICATE_SAMPLE_FOR_TIMESTAMP);
        app.append(ok, T0, 1); // an exact duplicate is accepted (and dropped) as in Prometheus
        assertKind(() -> app.append(ok, T0 - 3_600_001L, 1), AppendException.Kind.OUT_OF_BOUNDS);
        assertKind(() -> app.append(Labels.EMPTY, T0, 1), AppendException.Kind.INVALID_SAMPLE);
        assertKind(() -> app.append(Labels.of("a", ""), T0, 1), AppendException.Kind.INVALID_SAMPLE);
        assertKind(() -> app.append(Labels.of("__name__", "x", "a", "1", "a", "2"), T0, 1),
            AppendException.Kind.INVALID_SAMPLE);
        assertKind(() -> app.append(Labels.of("__name__", "x", "", "1"), T0, 1), AppendException.Kind.INVALID_SAMPLE);
        assertKind(() -> app.append(Labels.of("__name__", "x\uD800"), T0, 1), AppendException.Kind.INVALID_SAMPLE);
        assertKind(() -> app.appendHistogram(ok, T0 + 1, histogram(1)),
            AppendException.Kind.NATIVE_HISTOGRAMS_DISABLED);
        assertKind(() -> app.appendExemplar(Labels.of("__name__", "ok"), new Exemplar(Labels.of("id", "1"), 1, T0)),
            AppendException.Kind.EXEMPLARS_DISABLED);
        assertKind(() -> app.append(123456L, T0, 1), AppendException.Kind.NOT_FOUND);
        app.append(ok, T0 + 1000, 3);
        app.commit();
      }
      assertThat(all(db)).isEqualTo(Map.of(ok, List.of(f(T0, 1), f(T0 + 1000, 3))));
      assertThat(db.headSeries()).isEqualTo(1);
    }
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults().withNativeHistograms(true))) {
      Histogram bad = histogram(1).toBuilder().count(1).build(); // count below the bucket total
      try (Appender app = db.appender()) {
        assertKind(() -> app.appendHistogram(Labels.of("__name__", "h"), T0 + 2000, bad),
            AppendException.Kind.INVALID_HISTOGRAM);
        app.append(ok, T0 + 2000, 4);
        app.commit();
      }
      assertThat(all(db)).isEqualTo(Map.of(ok, List.of(f(T0, 1), f(T0 + 1000, 3), f(T0 + 2000, 4))));
    }
  }

  interface Call {
    void run() throws Exception;
  }

  static void assertKind(Call c, AppendException.Kind kind) {
    assertThatThrownBy(c::run)
        .isInstanceOf(AppendException.class)
        .satisfies(e -> assertThat(((AppendException) e).kind()).isEqualTo(kind));
  }

  @Test
  void rollbackAndCloseWithoutCommitShowNothing() throws Exception {
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults())) {
      try (Appender app = db.appender()) {
        app.append(Labels.of("__name__", "gone"), T0, 1);
      }
      Appender app = db.appender();
      app.append(Labels.of("__name__", "gone2"), T0, 1);
      app.rollback();
      assertThatThrownBy(() -> app.append(Labels.of("__name__", "x"), T0, 1)).isInstanceOf(IllegalStateException.class);
      assertThat(all(db)).isEmpty();
    }
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults())) {
      assertThat(all(db)).isEmpty();
      assertThat(db.replayReport().warnings()).isEmpty();
    }
  }

  @Test
  void querierSeesOnlyCommitsBeforeIt() throws Exception {
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults())) {
      Labels a = Labels.of("__name__", "a");
      try (Appender app = db.appender()) {
        app.append(a, T0, 1);
        app.commit();
      }
      try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        try (Appender app = db.appender()) {
          app.append(a, T0 + 1, 2);
          app.append(Labels.of("__name__", "b"), T0 + 1, 2);
          app.commit();
        }
        assertThat(all(q)).isEqualTo(Map.of(a, List.of(f(T0, 1))));
      }
      assertThat(all(db)).hasSize(2);
    }
  }

  @Test
  void concurrentAppendersAndReadersNeverSeeHalfACommit() throws Exception {
    // Every commit appends the same timestamp to series x and y; a reader must always see
    // both series at the same last timestamp.
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults())) {
      Labels x = Labels.of("__name__", "x");
      Labels y = Labels.of("__name__", "y");
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread w = new Thread(() -> {
        try {
          for (int i = 0; i < 3000; i++) {
            try (Appender app = db.appender()) {
              app.append(x, T0 + i, i);
              app.append(y, T0 + i, i);
              app.commit();
            }
          }
        } catch (Throwable t) {
          failure.set(t);
        }
      });
      w.start();
      int checks = 0;
      while (w.isAlive() || checks == 0) {
        Map<Labels, List<String>> m = all(db);
        List<String> xs = m.getOrDefault(x, List.of());
        List<String> ys = m.getOrDefault(y, List.of());
        assertThat(xs).isEqualTo(ys);
        checks++;
      }
      w.join();
      assertThat(failure.get()).isNull();
      assertThat(all(db).get(x)).hasSize(3000);
    }
  }

  @Test
  void concurrentAppendersToDistinctSeriesAllLand() throws Exception {
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults())) {
      List<Thread> ts = new ArrayList<>();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      for (int th = 0; th < 4; th++) {
        int id = th;
        Thread t = new Thread(() -> {
          try {
            for (int i = 0; i < 500; i++) {
              try (Appender app = db.appender()) {
                for (int s = 0; s < 5; s++) {
                  app.append(Labels.of("__name__", "t" + id, "s", Integer.toString(s)), T0 + i * 1000L, i);
                }
                app.commit();
              }
            }
          } catch (Throwable e) {
            failure.set(e);
          }
        });
        ts.add(t);
        t.start();
      }
      for (Thread t : ts) {
        t.join();
      }
      assertThat(failure.get()).isNull();
      Map<Labels, List<String>> m = all(db);
      assertThat(m).hasSize(20);
      assertThat(m.values()).allSatisfy(l -> assertThat(l).hasSize(500));
    }
    Map<Labels, List<String>> m = allReadOnly(tmp);
    assertThat(m).hasSize(20);
    assertThat(m.values()).allSatisfy(l -> assertThat(l).hasSize(500));
  }

  @Test
  void outOfOrderSamplesWithinTheWindowGoToTheWbl() throws Exception {
    TsdbOptions o = TsdbOptions.defaults().withOutOfOrderTimeWindow(Duration.ofMinutes(30));
    Labels l = Labels.of("__name__", "o");
    List<String> want = new ArrayList<>();
    try (Tsdb db = Tsdb.open(tmp, o)) {
      try (Appender app = db.appender()) {
        app.append(l, T0 + 600_000, 100);
        app.commit();
      }
      SplittableRandom r = new SplittableRandom(7);
      TreeMap<Long, Double> byT = new TreeMap<>();
      byT.put(T0 + 600_000, 100.0);
      for (int i = 0; i < 100; i++) {
        long t = T0 + r.nextLong(600_000);
        if (byT.containsKey(t)) {
          continue;
        }
        double v = r.nextDouble();
        try (Appender app = db.appender()) {
          app.append(l, t, v);
          app.commit();
        }
        byT.put(t, v);
      }
      try (Appender app = db.appender()) {
        assertKind(() -> app.append(l, T0 + 600_000 - 31 * 60_000, 1), AppendException.Kind.TOO_OLD_SAMPLE);
      }
      byT.forEach((t, v) -> want.add(f(t, v)));
      assertThat(all(db).get(l)).isEqualTo(want);
    }
    assertThat(Files.isDirectory(tmp.resolve("wbl"))).isTrue();
    try (Tsdb db = Tsdb.open(tmp, o)) {
      assertThat(all(db).get(l)).isEqualTo(want);
    }
    assertThat(allReadOnly(tmp).get(l)).isEqualTo(want);
  }

  @Test
  void deleteWritesTombstonesThatSurviveReopen() throws Exception {
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults())) {
      try (Appender app = db.appender()) {
        for (int i = 0; i < 10; i++) {
          app.append(Labels.of("__name__", "d", "k", "a"), T0 + i * 1000, i);
          app.append(Labels.of("__name__", "d", "k", "b"), T0 + i * 1000, i);
        }
        app.commit();
      }
      db.delete(T0 + 2000, T0 + 5000, Matcher.equal("k", "a"));
      assertThat(all(db).get(Labels.of("__name__", "d", "k", "a"))).hasSize(6);
      assertThat(all(db).get(Labels.of("__name__", "d", "k", "b"))).hasSize(10);
    }
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults())) {
      assertThat(all(db).get(Labels.of("__name__", "d", "k", "a"))).hasSize(6)
          .containsExactly(f(T0, 0), f(T0 + 1000, 1), f(T0 + 6000, 6), f(T0 + 7000, 7), f(T0 + 8000, 8), f(T0 + 9000, 9));
    }
  }

  @Test
  void exemplarsAreKeptInACircularBuffer() throws Exception {
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults().withMaxExemplars(5))) {
      Labels l = Labels.of("__name__", "e");
      for (int i = 0; i < 8; i++) {
        try (Appender app = db.appender()) {
          long ref = app.append(l, T0 + i, i);
          app.appendExemplar(ref, new Exemplar(Labels.of("trace_id", "t" + i), i, T0 + i));
          app.commit();
        }
      }
      try (Appender app = db.appender()) {
        long ref = app.append(l, T0 + 100, 1);
        assertKind(() -> app.appendExemplar(ref, new Exemplar(Labels.of("trace_id", "old"), 1, T0)),
            AppendException.Kind.OUT_OF_ORDER_EXEMPLAR);
        assertKind(() -> app.appendExemplar(ref, new Exemplar(Labels.of("trace_id", "x".repeat(130)), 1, T0 + 200)),
            AppendException.Kind.EXEMPLAR_LABEL_LENGTH);
      }
      Map<Labels, List<Exemplar>> m = db.exemplars(Long.MIN_VALUE, Long.MAX_VALUE, List.of(Matcher.equal("__name__", "e")));
      assertThat(m.get(l)).extracting(Exemplar::t).containsExactly(T0 + 3, T0 + 4, T0 + 5, T0 + 6, T0 + 7);
      assertThat(db.exemplars(T0 + 6, T0 + 6, List.of(Matcher.equal("__name__", "e"))).get(l))
          .containsExactly(new Exemplar(Labels.of("trace_id", "t6"), 6, T0 + 6));
    }
  }

  /**
   * Exemplars come back on restart as in Prometheus: from the WAL's exemplar records, or with a
   * memory snapshot from its exemplar records (the WAL before the snapshot is not read then).
   */
  @ParameterizedTest(name = "memory snapshot={0}")
  @ValueSource(booleans = {false, true})
  void exemplarsAreRestoredOnRestart(boolean snapshot) throws Exception {
    TsdbOptions o = TsdbOptions.defaults().withMaxExemplars(7).withMemorySnapshotOnShutdown(snapshot);
    Random r = new Random(17);
    List<Matcher> all = List.of(Matcher.regex("__name__", ".+"));
    Map<Labels, List<Exemplar>> before;
    try (Tsdb db = Tsdb.open(tmp, o)) {
      for (int i = 0; i < 12; i++) {
        try (Appender app = db.appender()) {
          for (int s = 0; s < 3; s++) {
            long t = T0 + i * 1000L;
            long ref = app.append(Labels.of("__name__", "ex", "s", "" + s), t, i);
            if (r.nextInt(3) != 0) {
              app.appendExemplar(ref, new Exemplar(Labels.of("trace_id", Long.toHexString(r.nextLong())), r.nextDouble(), t));
            }
          }
          app.commit();
        }
      }
      before = db.exemplars(Long.MIN_VALUE, Long.MAX_VALUE, all);
      assertThat(before.values().stream().mapToInt(List::size).sum()).isEqualTo(7); // the ring is full
    }
    try (Tsdb db = Tsdb.open(tmp, o)) {
      assertThat(db.replayReport().warnings()).isEmpty();
      assertThat(db.replayReport().exemplars()).isEqualTo(snapshot ? 7 : 0L + countExemplarRecords(tmp));
      assertThat(db.exemplars(Long.MIN_VALUE, Long.MAX_VALUE, all)).isEqualTo(before);
      // The newest exemplar of each series still decides what is accepted.
      try (Appender app = db.appender()) {
        Labels l = before.keySet().iterator().next();
        long ref = app.append(l, T0 + 100_000L, 1);
        long newest = before.get(l).get(before.get(l).size() - 1).t();
        assertKind(() -> app.appendExemplar(ref, new Exemplar(Labels.of("trace_id", "old"), 1, newest - 1)),
            AppendException.Kind.OUT_OF_ORDER_EXEMPLAR);
      }
    }
    // Without exemplar storage nothing is restored.
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults())) {
      assertThat(db.replayReport().exemplars()).isZero();
      assertThat(db.exemplars(Long.MIN_VALUE, Long.MAX_VALUE, all)).isEmpty();
    }
  }

  @Test
  void blockChunkSegmentSizeAndReplayConcurrencyOptionsApply() throws Exception {
    TsdbOptions o = TsdbOptions.defaults().withCompaction(false).withMaxBlockChunkSegmentSize(4096)
        .withWalReplayConcurrency(3);
    assertThatThrownBy(() -> o.withMaxBlockChunkSegmentSize(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> o.withWalReplayConcurrency(-1)).isInstanceOf(IllegalArgumentException.class);
    Map<Labels, List<String>> want;
    List<BlockMeta> written;
    try (Tsdb db = Tsdb.open(tmp, o)) {
      for (int i = 0; i < 4 * 240; i++) { // 4 h at 15 s: the head compacts its first 2 h
        try (Appender app = db.appender()) {
          for (int s = 0; s < 20; s++) {
            app.append(Labels.of("__name__", "seg", "s", "" + s), T0 + i * 15_000L, i * s);
          }
          app.commit();
        }
      }
      written = db.compact();
      want = all(db);
    }
    assertThat(written).isNotEmpty();
    // 20 series x 240 samples of chunks cut at 4 KiB: several segment files, none much larger.
    try (Stream<Path> st = Files.list(tmp.resolve(written.get(0).ulid().toString()).resolve("chunks"))) {
      List<Path> segs = st.toList();
      assertThat(segs).hasSizeGreaterThan(2);
      for (Path p : segs) {
        assertThat(Files.size(p)).isLessThan(4096 + 1024 + 64);
      }
    }
    for (int threads : new int[] {1, 3}) {
      try (Tsdb db = Tsdb.open(tmp, o.withWalReplayConcurrency(threads))) {
        assertThat(all(db)).isEqualTo(want);
      }
    }
  }

  /**
   * Head truncation waits for an open querier of the range it drops (Go's
   * WaitForPendingReadersInTimeRange): the querier reads every sample it saw, from chunks and
   * head chunk files that compaction would otherwise have dropped under it; a querier of later
   * data does not hold compaction up.
   */
  @Test
  void headTruncationWaitsForOpenQueriersOfTheRange() throws Exception {
    TsdbOptions o = TsdbOptions.defaults().withCompaction(false);
    try (Tsdb db = Tsdb.open(tmp, o)) {
      for (int i = 0; i < 4 * 240; i++) { // 4 h at 15 s: compaction drops the first 2 h range
        try (Appender app = db.appender()) {
          for (int s = 0; s < 5; s++) {
            app.append(Labels.of("__name__", "q", "s", "" + s), T0 + i * 15_000L, i + s);
          }
          app.commit();
        }
      }
      Map<Labels, List<String>> want = all(db);
      long headMax = db.head.maxTime();
      // A querier of the newest sample only: does not overlap what truncation drops.
      try (Querier late = db.querier(headMax, headMax)) {
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE);
        SeriesSet ss = q.select(true, MetricSelectors.parse("q"));
        assertThat(ss.next()).isTrue(); // one series' chunks are taken, the rest are read later
        java.util.concurrent.CompletableFuture<List<BlockMeta>> compaction =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> {
              try {
                return db.compact();
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
        // The compaction writes its block, then waits for q before it truncates the head.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!hasBlockDir(tmp) && System.nanoTime() < deadline && !compaction.isDone()) {
          Thread.sleep(10);
        }
        assertThat(hasBlockDir(tmp)).isTrue();
        Thread.sleep(200);
        assertThat(compaction).isNotDone();
        assertThat(db.blocks()).isEmpty(); // the block is loaded together with the truncation
        Map<Labels, List<String>> got = new TreeMap<>();
        do {
          Series s = ss.at();
          got.put(s.labels(), samples(s));
        } while (ss.next());
        assertThat(got).isEqualTo(want);
        q.close();
        assertThat(compaction.get(60, java.util.concurrent.TimeUnit.SECONDS)).isNotEmpty();
        assertThat(late.select(true, MetricSelectors.parse("q")).next()).isTrue();
      }
      assertThat(db.pendingReads.size()).isZero();
      assertThat(all(db)).isEqualTo(want);
    }
  }

  private static boolean hasBlockDir(Path dir) throws IOException {
    try (Stream<Path> st = Files.list(dir)) {
      return st.anyMatch(p -> Ulid.isValid(p.getFileName().toString()));
    }
  }

  /** Exemplars in the WAL's exemplar records, read with the format-wal codec alone. */
  private static long countExemplarRecords(Path dir) throws IOException {
    long n = 0;
    try (Stream<Path> s = Files.list(dir.resolve("wal"))) {
      for (Path seg : s.filter(p -> p.getFileName().toString().matches("\\d{8}")).sorted().toList()) {
        try (io.promtsdb.wal.SegmentReader sr = io.promtsdb.wal.SegmentReader.open(seg)) {
          while (sr.next()) {
            if (io.promtsdb.wal.RecordCodec.decode(sr.record()) instanceof io.promtsdb.wal.WalRecord.Exemplars x) {
              n += x.exemplars().size();
            }
          }
        }
      }
    }
    return n;
  }

  @ParameterizedTest
  @EnumSource(names = {"NONE", "SNAPPY", "ZSTD"})
  void tornWalTailIsRepairedAndAppendingContinues(Compression c) throws Exception {
    TsdbOptions o = TsdbOptions.defaults().withWalCompression(c).withWalSyncPolicy(SyncPolicy.EVERY_BATCH);
    Labels l = Labels.of("__name__", "t");
    try (Tsdb db = Tsdb.open(tmp, o)) {
      for (int i = 0; i < 50; i++) {
        try (Appender app = db.appender()) {
          app.append(l, T0 + i, i);
          app.commit();
        }
      }
    }
    // Tear the last record: cut the newest non-empty segment inside its last record's bytes.
    Path seg;
    try (Stream<Path> s = Files.list(tmp.resolve("wal"))) {
      seg = s.filter(p -> p.toFile().length() > 0 && !Files.isDirectory(p)).sorted().reduce((a, b) -> b).orElseThrow();
    }
    long end = lastNonZero(seg);
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(end - 3);
    }
    List<String> first;
    try (Tsdb db = Tsdb.open(tmp, o)) {
      assertThat(db.replayReport().warnings()).isNotEmpty();
      first = all(db).get(l);
      assertThat(first).hasSize(49).startsWith(f(T0, 0));
      try (Appender app = db.appender()) {
        app.append(l, T0 + 1000, 1000);
        app.commit();
      }
    }
    try (Tsdb db = Tsdb.open(tmp, o)) {
      assertThat(db.replayReport().warnings()).isEmpty();
      List<String> got = all(db).get(l);
      assertThat(got.subList(0, 49)).isEqualTo(first);
      assertThat(got).endsWith(f(T0 + 1000, 1000));
    }
  }

  static long lastNonZero(Path p) throws IOException {
    byte[] b = Files.readAllBytes(p);
    int i = b.length;
    while (i > 0 && b[i - 1] == 0) {
      i--;
    }
    return i;
  }

  @Test
  void snapshotIsAReadableDataDir() throws Exception {
    Map<Labels, List<String>> want;
    TsdbOptions o = TsdbOptions.defaults().withOutOfOrderTimeWindow(Duration.ofHours(1)).withCompaction(false);
    try (Tsdb db = Tsdb.open(tmp.resolve("db"), o)) {
      try (Appender app = db.appender()) {
        for (int i = 0; i < 300; i++) {
          app.append(Labels.of("__name__", "s"), T0 + i * 15_000L, i);
        }
        app.commit();
      }
      // Out of order (in the head's OOO chunks) and deleted (a head tombstone) samples.
      try (Appender app = db.appender()) {
        for (int i = 0; i < 10; i++) {
          app.append(Labels.of("__name__", "s"), T0 + (250 + i) * 15_000L + 7_000L, -i);
        }
        app.commit();
      }
      db.delete(T0 + 100 * 15_000L, T0 + 110 * 15_000L, Matcher.equal("__name__", "s"));
      assertThatThrownBy(() -> db.snapshot(tmp.resolve("db"))).hasMessageContaining("base directory");
      assertThatThrownBy(() -> db.snapshot(tmp.resolve(Ulid.generate(T0).toString()))).hasMessageContaining("ULID");
      db.snapshot(tmp.resolve("snap"));
      // As Prometheus' DB.Snapshot: blocks (the head as one, its OOO data as another), and an
      // empty WAL directory.
      try (Stream<Path> st = Files.list(tmp.resolve("snap"))) {
        assertThat(st.map(p -> p.getFileName().toString()).filter(n -> !n.equals("wal")).toList())
            .hasSize(2).allMatch(Ulid::isValid);
      }
      try (Stream<Path> st = Files.list(tmp.resolve("snap").resolve("wal"))) {
        assertThat(st).isEmpty();
      }
      want = all(db);
      try (Appender app = db.appender()) {
        app.append(Labels.of("__name__", "s"), T0 + 300 * 15_000L, 1);
        app.commit();
      }
    }
    assertThat(want.get(Labels.of("__name__", "s"))).hasSize(300 + 10 - 11);
    assertThat(allReadOnly(tmp.resolve("snap"))).isEqualTo(want);
    try (Tsdb db = Tsdb.open(tmp.resolve("snap"), TsdbOptions.defaults())) {
      assertThat(all(db)).isEqualTo(want);
      assertThat(db.blocks()).hasSize(2);
    }
  }

  @Test
  void aSecondOpenOfTheSameDirIsRefused() throws Exception {
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults())) {
      assertThatThrownBy(() -> Tsdb.open(tmp, TsdbOptions.defaults()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("in use");
    }
    Tsdb.open(tmp, TsdbOptions.defaults()).close();
  }

  @Test
  void metadataIsWrittenToTheWal() throws Exception {
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults())) {
      try (Appender app = db.appender()) {
        long ref = app.append(Labels.of("__name__", "md"), T0, 1);
        app.updateMetadata(ref, new Metadata("counter", "seconds", "help me"));
        app.commit();
      }
    }
    List<io.promtsdb.wal.WalRecord> recs = new ArrayList<>();
    try (Stream<Path> s = Files.list(tmp.resolve("wal"))) {
      for (Path p : s.sorted().toList()) {
        try (io.promtsdb.wal.SegmentReader r = io.promtsdb.wal.SegmentReader.open(p)) {
          while (r.next()) {
            recs.add(io.promtsdb.wal.RecordCodec.decode(r.record()));
          }
        }
      }
    }
    assertThat(recs).hasOnlyElementsOfTypes(io.promtsdb.wal.WalRecord.Series.class,
        io.promtsdb.wal.WalRecord.Samples.class, io.promtsdb.wal.WalRecord.Metadata.class);
    io.promtsdb.wal.WalRecord.Metadata md = (io.promtsdb.wal.WalRecord.Metadata) recs.get(recs.size() - 1);
    assertThat(md.metadata()).containsExactly(new io.promtsdb.wal.Refs.RefMetadata(1, 1, "seconds", "help me"));
  }


  @Test
  void headCompactionWritesBlocksTruncatesHeadAndCheckpointsWal() throws Exception {
    TsdbOptions o = TsdbOptions.defaults().withCompaction(false).withWalSegmentSize(32 * 1024);
    Map<Labels, List<String>> want = new TreeMap<>();
    long start = 1_700_000_000_000L - (1_700_000_000_000L % 7_200_000L) + 600_000; // 10 min into a range
    SplittableRandom r = new SplittableRandom(3);
    try (Tsdb db = Tsdb.open(tmp, o)) {
      for (int i = 0; i < 7 * 60; i++) {
        try (Appender app = db.appender()) {
          for (int s = 0; s < 40; s++) {
            Labels l = Labels.of("__name__", "c", "s", Integer.toString(s));
            long t = start + i * 60_000L;
            double v = r.nextDouble();
            app.append(l, t, v);
            want.computeIfAbsent(l, k -> new ArrayList<>()).add(f(t, v));
          }
          app.commit();
        }
      }
      // Deleted samples are not written to the block.
      db.delete(start + 60_000, start + 5 * 60_000, Matcher.equal("s", "3"));
      want.get(Labels.of("__name__", "c", "s", "3")).subList(1, 6).clear();
      List<BlockMeta> blocks = db.compact();
      // 7 h of data from 00:10 to 07:09: while the head spans more than 3 h, its oldest 2 h range
      // becomes a block: [00:10,2h), [2h,4h), [4h,6h); the head keeps 6h..07:09.
      assertThat(blocks).hasSize(3);
      assertThat(blocks.get(0).minTime()).isEqualTo(start);
      assertThat(blocks.get(0).maxTime()).isEqualTo(start - 600_000 + 7_200_000);
      assertThat(blocks.get(1).maxTime() - blocks.get(1).minTime()).isEqualTo(7_200_000);
      assertThat(blocks.get(2).minTime()).isEqualTo(blocks.get(1).maxTime());
      assertThat(db.blocks()).hasSize(3);
      assertThat(db.compactable()).isFalse();
      assertThat(all(db)).isEqualTo(want);
      try (Appender app = db.appender()) {
        assertKind(() -> app.append(Labels.of("__name__", "c", "s", "0"), blocks.get(2).maxTime() - 1, 1),
            AppendException.Kind.OUT_OF_BOUNDS);
      }
    }
    try (Stream<Path> s = Files.list(tmp.resolve("wal"))) {
      assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("checkpoint."));
    }
    assertThat(allReadOnly(tmp)).isEqualTo(want);
    try (Tsdb db = Tsdb.open(tmp, o)) {
      assertThat(db.replayReport().warnings()).isEmpty();
      assertThat(all(db)).isEqualTo(want);
    }
  }

  @Test
  void backgroundCompactionRunsWhenAnAppendMakesTheHeadCompactable() throws Exception {
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults())) {
      for (int i = 0; i < 4 * 60; i++) {
        try (Appender app = db.appender()) {
          app.append(Labels.of("__name__", "bg"), T0 + i * 60_000L, i);
          app.commit();
        }
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (db.blocks().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(db.lastCompactionError()).isNull();
      assertThat(db.blocks()).hasSize(1);
      assertThat(all(db).get(Labels.of("__name__", "bg"))).hasSize(240);
    }
  }

  @Test
  void outOfOrderDataIsCompactedIntoItsOwnBlocksAndTheWblTruncated() throws Exception {
    TsdbOptions o = TsdbOptions.defaults().withCompaction(false).withOutOfOrderTimeWindow(Duration.ofHours(1));
    Map<Labels, List<String>> want = new TreeMap<>();
    long start = T0 - T0 % 7_200_000L;
    Labels l = Labels.of("__name__", "ooo");
    TreeMap<Long, Double> byT = new TreeMap<>();
    try (Tsdb db = Tsdb.open(tmp, o)) {
      for (int i = 0; i < 5 * 60; i += 2) {
        try (Appender app = db.appender()) {
          app.append(l, start + i * 60_000L, i);
          app.commit();
        }
        byT.put(start + i * 60_000L, (double) i);
      }
      long headMax = start + 298 * 60_000L;
      for (int i = 1; i < 50; i += 2) {
        long t = headMax - i * 60_000L;
        try (Appender app = db.appender()) {
          app.append(l, t, -i);
          app.commit();
        }
        byT.put(t, (double) -i);
      }
      byT.forEach((t, v) -> want.computeIfAbsent(l, k -> new ArrayList<>()).add(f(t, v)));
      assertThat(all(db)).isEqualTo(want);
      List<BlockMeta> blocks = db.compact();
      assertThat(blocks).anySatisfy(m -> assertThat(m.compaction().fromOutOfOrder()).isTrue());
      assertThat(blocks).anySatisfy(m -> assertThat(m.compaction().fromOutOfOrder()).isFalse());
      assertThat(all(db)).isEqualTo(want);
      assertThat(db.head.minOooTime()).isEqualTo(Long.MAX_VALUE);
    }
    // Not compared with ReadOnlyDb: like promtool's DBReadOnly it starts the head at the end of
    // the newest block, out-of-order ones included, and so drops in-order head samples that the
    // server (inOrderBlocksMaxTime) keeps.
    try (Tsdb db = Tsdb.open(tmp, o)) {
      assertThat(all(db)).isEqualTo(want);
      assertThat(db.head.minOooTime()).isEqualTo(Long.MAX_VALUE); // the WBL records are gone
    }
  }

  @Test
  void memorySnapshotOnShutdownIsUsedOnRestart() throws Exception {
    TsdbOptions o = TsdbOptions.defaults().withMemorySnapshotOnShutdown(true).withNativeHistograms(true)
        .withMaxExemplars(10);
    Map<Labels, List<String>> want = new TreeMap<>();
    try (Tsdb db = Tsdb.open(tmp, o)) {
      for (int i = 0; i < 300; i++) {
        try (Appender app = db.appender()) {
          long t = T0 + i * 15_000L;
          long ref = app.append(Labels.of("__name__", "f"), t, i);
          app.appendHistogram(Labels.of("__name__", "h"), t, histogram(i));
          if (i % 100 == 0) {
            app.appendExemplar(ref, new Exemplar(Labels.of("id", "e" + i), i, t));
          }
          app.commit();
        }
      }
      db.delete(T0, T0 + 15_000L, Matcher.equal("__name__", "f"));
      want = all(db);
    }
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("chunk_snapshot."));
    }
    try (Tsdb db = Tsdb.open(tmp, o)) {
      assertThat(db.replayReport().warnings()).isEmpty();
      assertThat(all(db)).isEqualTo(want);
      try (Appender app = db.appender()) {
        app.append(Labels.of("__name__", "f"), T0 + 300 * 15_000L, 300);
        app.commit();
      }
      want.get(Labels.of("__name__", "f")).add(f(T0 + 300 * 15_000L, 300));
    }
    // And once more: the second snapshot replaces the first.
    try (Tsdb db = Tsdb.open(tmp, o)) {
      assertThat(all(db)).isEqualTo(want);
    }
    try (Stream<Path> s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("chunk_snapshot."))).hasSize(1);
    }
    assertThat(allReadOnly(tmp)).isEqualTo(want);
  }

  @Test
  void deleteReachesBlocksAndRetentionDropsOldBlocks() throws Exception {
    TsdbOptions o = TsdbOptions.defaults().withCompaction(false);
    long start = T0 - T0 % 7_200_000L;
    Labels a = Labels.of("__name__", "r", "k", "a");
    try (Tsdb db = Tsdb.open(tmp, o)) {
      for (int i = 0; i < 12 * 60; i++) {
        try (Appender app = db.appender()) {
          app.append(a, start + i * 60_000L, i);
          app.commit();
        }
      }
      db.compact();
      assertThat(db.blocks()).isNotEmpty();
      // In the first block: a tombstone in the block, seen at once and after reopening.
      db.delete(start + 10 * 60_000L, start + 19 * 60_000L, Matcher.equal("k", "a"));
      assertThat(all(db).get(a)).hasSize(12 * 60 - 10);
    }
    try (Tsdb db = Tsdb.open(tmp, o)) {
      assertThat(all(db).get(a)).hasSize(12 * 60 - 10).doesNotContain(f(start + 10 * 60_000L, 10));
    }
    // Time retention of 4 h: blocks ending more than 4 h before the newest block's end go.
    try (Tsdb db = Tsdb.open(tmp, o.withRetention(Duration.ofHours(4), 0))) {
      int before = db.blocks().size();
      try (Appender app = db.appender()) {
        app.append(a, start + 12 * 60 * 60_000L, 1);
        app.commit();
      }
      db.compact();
      assertThat(db.blocks().size()).isLessThan(before + 1);
      long newestEnd = db.blocks().get(db.blocks().size() - 1).meta().maxTime();
      assertThat(db.blocks()).allSatisfy(b -> assertThat(b.meta().maxTime()).isGreaterThan(newestEnd - 4 * 3_600_000L));
    }
  }
}
