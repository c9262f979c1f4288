package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * promtsdb against the real promtool on a fresh data dir: promtool 3.5.3 writes blocks from a
 * generated OpenMetrics file ({@code tsdb create-blocks-from openmetrics}), then promtool
 * (3.5.3 and 2.53.3) and promtsdb list, dump (with and without selectors and time bounds),
 * dump-openmetrics and analyze it; the outputs must agree. The binaries are found in {@code
 * $PROMTSDB_PROMETHEUS_HOME/<version>/promtool} (default {@code
 * ~/.cache/promtsdb/prometheus}, where scripts/install-prometheus.sh puts them); without
 * them the tests are skipped with a message saying so.
 */
class RealPromtoolTest {
  @TempDir static Path tmp;
  private static Path dataDir;

  static Path promtool(String version) {
    String home = System.getenv("PROMTSDB_PROMETHEUS_HOME");
    Path root = home != null && !home.isEmpty()
        ? Path.of(home)
        : Path.of(System.getProperty("user.home"), ".cache", "promtsdb", "prometheus");
    return root.resolve(version).resolve("promtool");
  }

  record Run(int code, String out, String err) {}

  static Run exec(List<String> cmd, Path cwd) throws IOException, InterruptedException {
    Path out = Files.createTempFile("promtool", ".out");
    Path err = Files.createTempFile("promtool", ".err");
    try {
      Process p = new ProcessBuilder(cmd).directory(cwd.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(5, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("timed out: " + cmd);
      }
      return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * Three hours of 60 series at 15 s: counters, gauges (NaN, infinities, negative zero, large
   * and tiny values), classic histogram buckets, unicode and escaped label values. Seeded.
   */
  static String openMetrics() {
    SplittableRandom r = new SplittableRandom(20261122L);
    StringBuilder b = new StringBuilder();
    long start = 1_700_000_000L;
    b.append("# TYPE req counter\n");
    for (int s = 0; s < 20; s++) {
      double v = 0;
      for (long t = start; t < start + 3 * 3600; t += 15) {
        v += r.nextInt(100);
        b.append("req_total{job=\"api\",instance=\"h").append(s).append("\",path=\"/v1/ü/").append(s % 3)
            .append("\"} ").append((long) v).append(' ').append(t).append('\n');
      }
    }
    b.append("# TYPE temp gauge\n");
    double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e308, 4.9e-324, 0.1, 1.0 / 3};
    for (int s = 0; s < 20; s++) {
      for (long t = start; t < start + 3 * 3600; t += 15) {
        double v = r.nextInt(50) == 0 ? specials[r.nextInt(specials.length)] : r.nextDouble() * 100 - 50;
        b.append("temp{room=\"r").append(s).append("\",note=\"quote \\\" back\\\\slash\"} ")
            .append(om(v)).append(' ').append(t).append('\n');
      }
    }
    b.append("# TYPE lat histogram\n");
    String[] les = {"0.1", "0.5", "1", "+Inf"};
    for (int s = 0; s < 5; s++) {
      long[] c = new long[les.length];
      for (long t = start; t < start + 3 * 3600; t += 15) {
        long add = 0;
        for (int i = 0; i < les.length; i++) {
          add += r.nextInt(5);
          c[i] += add;
          b.append("lat_bucket{svc=\"s").append(s).append("\",le=\"").append(les[i]).append("\"} ")
              .append(c[i]).append(' ').append(t).append('\n');
        }
      }
    }
    b.append("# EOF\n");
    return b.toString();
  }

  private static String om(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return String.format(Locale.ROOT, "%s", v);
  }

  @BeforeAll
  static void createBlocks() throws Exception {
    Path pt = promtool("3.5.3");
    if (!Files.isExecutable(pt)) {
      return;
    }
    Path om = tmp.resolve("input.om");
    Files.writeString(om, openMetrics(), StandardCharsets.UTF_8);
    dataDir = tmp.resolve("data");
    Run r = exec(List.of(pt.toString(), "tsdb", "create-blocks-from", "openmetrics", om.toString(), dataDir.toString()), tmp);
    assertThat(r.code()).as(r.err()).isZero();
    // promtool's dump fails on a dir without a WAL directory ("read WAL: find last checkpoint:
    // ... no such file or directory"), which every Prometheus server has; promtsdb dumps the
    // blocks of such a dir (a pile of blocks copied from object storage, say).
    Files.createDirectories(dataDir.resolve("wal"));
  }

  private static Path copy(Path src, String name) throws IOException {
    Path dst = tmp.resolve(name + System.nanoTime());
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
    return dst;
  }

  private void compare(String version, List<String> args, boolean analyze) throws Exception {
    Path pt = promtool(version);
    assumeTrue(Files.isExecutable(pt), "skipped: no promtool " + version + " at " + pt
        + " (run scripts/install-prometheus.sh, or set PROMTSDB_PROMETHEUS_HOME)");
    assumeTrue(dataDir != null, "skipped: no promtool 3.5.3 to create the blocks with");
    // promtool creates a sandbox directory and an empty WAL in the dir it reads: give it a copy.
    Path theirs = copy(dataDir, "promtool-" + version);
    List<String> cmd = new ArrayList<>(List.of(pt.toString(), "tsdb"));
    cmd.addAll(args);
    cmd.add(theirs.toString());
    Run want = exec(cmd, tmp);
    List<String> ours = new ArrayList<>(List.of("tsdb"));
    ours.addAll(args);
    ours.add(dataDir.toString());
    CliFixtureTest.Result got = CliFixtureTest.run(ours.toArray(new String[0]));
    assertThat(got.code()).as("ours: %s; promtool %s: %s", got.err(), version, want.err()).isEqualTo(want.code());
    if (analyze) {
      CliFixtureTest.Result all = CliFixtureTest.run("tsdb", "analyze", "--limit", "1000000", dataDir.toString());
      String w = want.out();
      String g = got.out();
      String a = all.out();
      if (version.startsWith("2.")) {
        // promtool 2.x intersects every metric name's postings with the (empty) list of
        // matched series when no --match is given, and prints 0 for all of them; 3.x fixed
        // it, and promtsdb follows 3.5.3.
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
    assertThat(a).as(title).isGreaterThanOrEqualTo(0);
    int b = text.indexOf("\n\n", a);
    return text.substring(0, a) + (b < 0 ? "" : text.substring(b + 2));
  }

  @ParameterizedTest(name = "promtool {0}")
  @ValueSource(strings = {"3.5.3", "2.53.3"})
  void list(String version) throws Exception {
    compare(version, List.of("list"), false);
    compare(version, List.of("list", "-r"), false);
  }

  @ParameterizedTest(name = "promtool {0}")
  @ValueSource(strings = {"3.5.3", "2.53.3"})
  void dump(String version) throws Exception {
    compare(version, List.of("dump"), false);
    compare(version, List.of("dump", "--match", "{room=~\"r1.*\"}", "--match", "req_total{instance=\"h3\"}"), false);
    compare(version, List.of("dump", "--min-time", "1700003600000", "--max-time", "1700005400000", "--match", "{__name__=~\"lat.*\",le!=\"+Inf\"}"), false);
  }

  @ParameterizedTest(name = "promtool {0}")
  @ValueSource(strings = {"3.5.3", "2.53.3"})
  void dumpOpenMetrics(String version) throws Exception {
    compare(version, List.of("dump-openmetrics", "--match", "{job=\"api\"}"), false);
  }

  @ParameterizedTest(name = "promtool {0}")
  @ValueSource(strings = {"3.5.3", "2.53.3"})
  void analyze(String version) throws Exception {
    compare(version, List.of("analyze", "--extended"), true);
  }

  /** The fixtures through promtool 2.53.3 too (the expected files are 3.5.3's). */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"p3-none", "p2-snappy"})
  void fixturesThroughPromtool253(String fixture) throws Exception {
    Path pt = promtool("2.53.3");
    assumeTrue(Files.isExecutable(pt), "skipped: no promtool 2.53.3 at " + pt);
    Path src = TestData.path("fixtures/" + fixture + "/data");
    Path theirs = copy(src, "fixture");
    Run want = exec(List.of(pt.toString(), "tsdb", "list", theirs.toString()), tmp);
    CliFixtureTest.Result got = CliFixtureTest.run("tsdb", "list", src.toString());
    assertThat(got.out()).isEqualTo(want.out());
  }
}
