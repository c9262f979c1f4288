package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Span;
import io.promtsdb.core.Values;
import io.promtsdb.engine.Appender;
import io.promtsdb.engine.Exemplar;
import io.promtsdb.engine.Matcher;
import io.promtsdb.engine.Metadata;
import io.promtsdb.engine.Tsdb;
import io.promtsdb.engine.TsdbOptions;
import io.promtsdb.wal.Compression;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The proof of the write side: a data dir written by promtsdb's engine (floats with stale
 * markers, integer and float native histograms, exemplars, metadata, out-of-order samples,
 * deletions before and after head compaction, blocks cut from the head, a snapshot) is read by
 * the real promtool 3.5.3 and 2.53.3 exactly as promtsdb reads it ({@code tsdb list}, {@code
 * dump}, {@code analyze}), and a real Prometheus 3.5.3 server started on it serves the same
 * series and samples and keeps running. Without the binaries ({@code
 * $PROMTSDB_PROMETHEUS_HOME/<version>/}) the tests are skipped with a message saying so.
 */
class EngineWrittenDirTest {
  @TempDir static Path tmp;
  static Path dataDir;
  static Path snapshotDir;

  /** Start of the data: 10 minutes into a 2 h block range. */
  static final long START = 1_700_000_000_000L - 1_700_000_000_000L % 7_200_000L + 600_000L;
  static final long STEP = 15_000L;
  /** 5 h of samples: the head compacts its first range(s) to blocks. */
  static final int STEPS = 5 * 240;

  static Histogram histogram(long i) {
    return Histogram.builder()
        .schema(0)
        .count(4 + 4 * i)
        .sum(2.5 * i)
        .zeroThreshold(1e-128)
        .zeroCount(i)
        .positiveSpans(new Span(0, 2), new Span(1, 1))
        .positiveBuckets(1 + i, 0, 1)
        .build();
  }

  /** Writes the data dir; every random choice comes from one seed. */
  static void write(Path dir) throws Exception {
    SplittableRandom r = new SplittableRandom(20261122L);
    TsdbOptions o = TsdbOptions.defaults()
        .withNativeHistograms(true)
        .withMaxExemplars(1000)
        .withOutOfOrderTimeWindow(Duration.ofMinutes(30))
        .withWalCompression(Compression.SNAPPY)
        .withWalSegmentSize(256 * 1024)
        .withCompaction(false);
    try (Tsdb db = Tsdb.open(dir, o)) {
      for (int i = 0; i < STEPS; i++) {
        long t = START + i * STEP;
        try (Appender app = db.appender()) {
          for (int s = 0; s < 20; s++) {
            Labels l = Labels.of("__name__", s < 10 ? "requests_total" : "temperature", "instance", "h" + s,
                "path", "/v1/ü/" + (s % 3));
            double v = s < 10 ? i * (s + 1) : r.nextDouble() * 100 - 50;
            if (s == 19 && i % 97 == 96) {
              v = Values.STALE_NAN;
            }
            long ref = app.append(l, t, v);
            if (s == 0 && i % 50 == 0) {
              app.appendExemplar(ref, new Exemplar(Labels.of("trace_id", Long.toHexString(r.nextLong())), v, t));
            }
            if (i == 0 && s < 10) {
              app.updateMetadata(ref, new Metadata("counter", "", "Requests."));
            }
          }
          for (int s = 0; s < 3; s++) {
            app.appendHistogram(Labels.of("__name__", "latency_seconds", "svc", "s" + s), t, histogram(i + s));
          }
          FloatHistogram fh = histogram(i).toFloatHistogram();
          app.appendFloatHistogram(Labels.of("__name__", "size_bytes"), t, fh);
          app.commit();
        }
        if (i == 300) {
          // Deleted in the head, then compacted: the block must not have these samples.
          db.delete(START + 100 * STEP, START + 120 * STEP, Matcher.equal("instance", "h3"));
        }
      }
      db.compact();
      // Out of order, in the head's range and the 30 min window.
      long headMax = START + (STEPS - 1) * STEP;
      try (Appender app = db.appender()) {
        for (int k = 1; k <= 20; k++) {
          app.append(Labels.of("__name__", "temperature", "instance", "h10", "path", "/v1/ü/1"), headMax - k * STEP + 7_000, k);
        }
        app.append(Labels.of("__name__", "late"), headMax - 600_000, 1);
        app.commit();
      }
      // Deleted in the head after compaction: a tombstone in the WAL.
      db.delete(headMax - 40 * STEP, headMax - 30 * STEP, Matcher.equal("instance", "h5"));
      snapshotDir = tmp.resolve("snapshot");
      db.snapshot(snapshotDir);
    }
  }

  @BeforeAll
  static void createDir() throws Exception {
    dataDir = tmp.resolve("data");
    write(dataDir);
  }

  private static Path copy(Path src, String name) throws IOException {
    Path dst = tmp.resolve(name + System.nanoTime());
    copyTree(src, dst);
    return dst;
  }

  static void copyTree(Path src, Path dst) throws IOException {
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  static Path binary(String version, String name) {
    return RealPromtoolTest.promtool(version).resolveSibling(name);
  }

  private void compare(String version, Path dir, List<String> args) throws Exception {
    Path pt = RealPromtoolTest.promtool(version);
    assumeTrue(Files.isExecutable(pt), "skipped: no promtool " + version + " at " + pt
        + " (run scripts/install-prometheus.sh, or set PROMTSDB_PROMETHEUS_HOME)");
    // promtool writes a sandbox directory and a WAL segment into the dir it reads: a copy.
    Path theirs = copy(dir, "promtool-" + version);
    List<String> cmd = new ArrayList<>(List.of(pt.toString(), "tsdb"));
    cmd.addAll(args);
    cmd.add(theirs.toString());
    RealPromtoolTest.Run want = RealPromtoolTest.exec(cmd, tmp);
    List<String> ours = new ArrayList<>(List.of("tsdb"));
    ours.addAll(args);
    ours.add(dir.toString());
    CliFixtureTest.Result got = CliFixtureTest.run(ours.toArray(new String[0]));
    assertThat(got.code()).as("ours: %s; promtool %s: %s", got.err(), version, want.err()).isEqualTo(want.code());
    assertThat(want.code()).as(want.err()).isZero();
    if (args.get(0).equals("analyze")) {
      CliFixtureTest.Result all = CliFixtureTest.run("tsdb", "analyze", "--limit", "1000000", dir.toString());
      String w = want.out();
      String g = got.out();
      String a = all.out();
      if (version.startsWith("2.")) {
        w = withoutSection(w, "Highest cardinality metric names:");
        g = withoutSection(g, "Highest cardinality metric names:");
        a = withoutSection(a, "Highest cardinality metric names:");
      }
      CliFixtureTest.assertSameAnalysis(g, w, a);
    } else {
      assertThat(got.out()).as("promtool %s %s", version, args).isEqualTo(want.out());
    }
  }

  private static String withoutSection(String text, String title) {
    int a = text.indexOf(title);
    if (a < 0) {
      return text;
    }
    int b = text.indexOf("\n\n", a);
    return text.substring(0, a) + (b < 0 ? "" : text.substring(b + 2));
  }

  @Test
  void theDirHasBlocksAndAHead() throws IOException {
    try (Stream<Path> s = Files.list(dataDir)) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
      assertThat(names).contains("wal", "chunks_head", "wbl");
      assertThat(names.stream().filter(n -> n.length() == 26)).hasSizeGreaterThanOrEqualTo(2);
    }
  }

  @ParameterizedTest(name = "promtool {0}")
  @ValueSource(strings = {"3.5.3", "2.53.3"})
  void list(String version) throws Exception {
    compare(version, dataDir, List.of("list"));
  }

  @ParameterizedTest(name = "promtool {0}")
  @ValueSource(strings = {"3.5.3", "2.53.3"})
  void dump(String version) throws Exception {
    compare(version, dataDir, List.of("dump"));
  }

  @ParameterizedTest(name = "promtool {0}")
  @ValueSource(strings = {"3.5.3", "2.53.3"})
  void dumpOfTheSnapshot(String version) throws Exception {
    compare(version, snapshotDir, List.of("dump"));
  }

  /**
   * The snapshot (taken just before the engine closed the dir) is blocks only, as Prometheus'
   * {@code DB.Snapshot}: the head as one block, its out-of-order data as others; promtool lists
   * them and dumps exactly what it dumps of the source dir.
   */
  @ParameterizedTest(name = "promtool {0}")
  @ValueSource(strings = {"3.5.3", "2.53.3"})
  void theSnapshotDumpsAsTheSource(String version) throws Exception {
    Path pt = RealPromtoolTest.promtool(version);
    assumeTrue(Files.isExecutable(pt), "skipped: no promtool " + version + " at " + pt
        + " (run scripts/install-prometheus.sh, or set PROMTSDB_PROMETHEUS_HOME)");
    try (Stream<Path> s = Files.list(snapshotDir)) {
      assertThat(s.map(p -> p.getFileName().toString()).toList()).allMatch(n -> n.length() == 26 || n.equals("wal"));
    }
    RealPromtoolTest.Run source = RealPromtoolTest.exec(
        List.of(pt.toString(), "tsdb", "dump", copy(dataDir, "source-" + version).toString()), tmp);
    RealPromtoolTest.Run snap = RealPromtoolTest.exec(
        List.of(pt.toString(), "tsdb", "dump", copy(snapshotDir, "snap-" + version).toString()), tmp);
    assertThat(source.code()).as(source.err()).isZero();
    assertThat(snap.code()).as(snap.err()).isZero();
    assertThat(snap.out()).isNotEmpty().isEqualTo(source.out());
    RealPromtoolTest.Run list = RealPromtoolTest.exec(
        List.of(pt.toString(), "tsdb", "list", copy(snapshotDir, "list-" + version).toString()), tmp);
    assertThat(list.code()).as(list.err()).isZero();
    CliFixtureTest.Result ours = CliFixtureTest.run("tsdb", "list", snapshotDir.toString());
    assertThat(ours.out()).isEqualTo(list.out());
  }

  @ParameterizedTest(name = "promtool {0}")
  @ValueSource(strings = {"3.5.3", "2.53.3"})
  void analyze(String version) throws Exception {
    compare(version, dataDir, List.of("analyze"));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String get(Object unused, int port, String path) throws Exception {
    HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
    c.setConnectTimeout(5000);
    c.setReadTimeout(30000);
    try {
      int code = c.getResponseCode();
      String body = new String((code < 400 ? c.getInputStream() : c.getErrorStream()).readAllBytes(), StandardCharsets.UTF_8);
      assertThat(code).as(body).isEqualTo(200);
      return body;
    } finally {
      c.disconnect();
    }
  }

  /**
   * Prometheus 3.5.3 opens the dir as its own (replaying our WAL, WBL and head chunks next to
   * our blocks), serves the series and samples we wrote, and is still running afterwards.
   */
  @Test
  void realPrometheusServesTheSameSamples() throws Exception {
    Path prom = binary("3.5.3", "prometheus");
    assumeTrue(Files.isExecutable(prom), "skipped: no prometheus 3.5.3 at " + prom
        + " (run scripts/install-prometheus.sh, or set PROMTSDB_PROMETHEUS_HOME)");
    Path dir = copy(dataDir, "prometheus-");
    Path config = tmp.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1h\nstorage:\n  tsdb:\n    out_of_order_time_window: 30m\n");
    int port = freePort();
    Path log = tmp.resolve("prometheus-" + port + ".log");
    Process p = new ProcessBuilder(prom.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir,
        "--web.listen-address=127.0.0.1:" + port, "--enable-feature=native-histograms,exemplar-storage",
        "--storage.tsdb.retention.time=100y")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      Object c = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      boolean ready = false;
      while (!ready && System.nanoTime() < deadline && p.isAlive()) {
        try {
          get(c, port, "/-/ready");
          ready = true;
        } catch (Exception | AssertionError e) {
          Thread.sleep(200);
        }
      }
      assertThat(ready).as("prometheus ready; log:\n%s", Files.readString(log)).isTrue();
      String logText = Files.readString(log);
      assertThat(logText).contains("WAL replay completed").doesNotContain("level=ERROR");
      long end = START + (STEPS - 1) * STEP;
      // Every series we wrote, with its labels.
      String series = get(c, port, "/api/v1/series?match[]=" + enc("{__name__=~\".+\"}") + "&start="
          + (START / 1000) + "&end=" + (end / 1000 + 1));
      CliFixtureTest.Result ours = CliFixtureTest.run("tsdb", "dump", dataDir.toString());
      long ourSeries = ours.out().lines().map(l -> l.substring(0, l.indexOf("} ") + 1)).distinct().count();
      assertThat(count(series, "\"__name__\"")).isEqualTo(ourSeries);
      // A float series over blocks and head: the values at every step are ours.
      String q = get(c, port, "/api/v1/query_range?query=" + enc("requests_total{instance=\"h2\"}") + "&start="
          + (START / 1000) + "&end=" + (end / 1000) + "&step=15");
      for (int i = 0; i < STEPS; i += 37) {
        assertThat(q).contains("[" + (START + i * STEP) / 1000 + ",\"" + (i * 3) + "\"]");
      }
      // The deleted range of h3 is gone in Prometheus too.
      String del = get(c, port, "/api/v1/query?query=" + enc("requests_total{instance=\"h3\"}") + "&time="
          + (START + 120 * STEP) / 1000); // the 5 min lookback (t-5m, t] is all deleted
      assertThat(del).contains("\"result\":[]");
      // A native histogram from the head.
      String h = get(c, port, "/api/v1/query?query=" + enc("latency_seconds{svc=\"s0\"}") + "&time=" + end / 1000);
      assertThat(h).contains("\"histogram\"").contains("\"count\":\"" + (4 + 4 * (STEPS - 1)) + "\"");
      Thread.sleep(1000);
      assertThat(p.isAlive()).as("prometheus still running").isTrue();
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    // After Prometheus shut down on it, our engine opens the dir and keeps appending.
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults().withNativeHistograms(true))) {
      try (Appender app = db.appender()) {
        app.append(Labels.of("__name__", "after_prometheus"), START + STEPS * STEP, 1);
        app.commit();
      }
    }
    CliFixtureTest.Result after = CliFixtureTest.run("tsdb", "dump", "--match", "after_prometheus", dir.toString());
    assertThat(after.out()).contains("after_prometheus");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static long count(String s, String what) {
    long n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
