package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.Labels;
import io.promtsdb.core.testing.TestData;
import io.promtsdb.engine.Appender;
import io.promtsdb.engine.Head;
import io.promtsdb.engine.ReadOnlyDb;
import io.promtsdb.engine.Tsdb;
import io.promtsdb.engine.TsdbOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reverse proof: the engine opens copies of the real Prometheus data dirs of the fixtures
 * (clean shutdown and crash copies, torn WAL tails included), keeps appending to existing and
 * new series, and closes; then every sample promtool printed for the original is still there,
 * the new ones too, and the real promtool 3.5.3 dumps the result exactly as promtsdb does.
 */
class FixtureContinueTest {
  @TempDir Path tmp;

  static List<Arguments> dirs() {
    List<Arguments> out = new ArrayList<>();
    for (String f : TestData.FIXTURES) {
      out.add(Arguments.of(f, false));
      out.add(Arguments.of(f, true));
    }
    return out;
  }

  static Path copy(Path src, Path dst) throws IOException {
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

  @ParameterizedTest(name = "{0} crash={1}")
  @MethodSource("dirs")
  void engineContinuesAFixtureDir(String fixture, boolean crash) throws Exception {
    Path root = TestData.path("fixtures/" + fixture);
    Path dir = copy(root.resolve(crash ? "crash" : "data"), tmp.resolve("db"));
    List<String> before;
    try (InputStream in = new GZIPInputStream(
        Files.newInputStream(root.resolve(crash ? "expected-crash" : "expected").resolve("dump.txt.gz")))) {
      before = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    long headMax;
    Labels existing;
    try (ReadOnlyDb ro = ReadOnlyDb.open(dir)) {
      Head h = ro.head();
      headMax = Math.max(h.maxTime(), ro.blocks().isEmpty() ? Long.MIN_VALUE : ro.blocks().get(ro.blocks().size() - 1).meta().maxTime());
      existing = null;
      var q = ro.querier(Long.MIN_VALUE, Long.MAX_VALUE);
      var ss = q.select(true, io.promtsdb.engine.MetricSelectors.parse("up"));
      if (ss.next()) {
        existing = ss.at().labels();
      }
      q.close();
    }
    assertThat(existing).as("an 'up' series in %s", fixture).isNotNull();
    List<String> added = new ArrayList<>();
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults().withNativeHistograms(true))) {
      for (int i = 1; i <= 200; i++) {
        long t = headMax + i * 15_000L;
        try (Appender app = db.appender()) {
          app.append(existing, t, i % 2);
          app.append(Labels.of("__name__", "promtsdb_continued", "fixture", fixture), t, i * 0.5);
          app.commit();
        }
      }
      added.add("promtsdb_continued");
    }
    CliFixtureTest.Result ours = CliFixtureTest.run("tsdb", "dump", dir.toString());
    assertThat(ours.code()).as(ours.err()).isZero();
    Set<String> after = new HashSet<>(ours.out().lines().toList());
    List<String> lost = before.stream().filter(l -> !after.contains(l)).limit(5).toList();
    assertThat(lost).as("samples of the original dump missing after appending").isEmpty();
    assertThat(after.size()).isEqualTo(new HashSet<>(before).size() + 400);
    assertThat(ours.out()).contains("promtsdb_continued");

    // The real promtool reads what we wrote the same way (on a copy: it writes into the dir).
    // Once per fixture (the clean copy): a dump of a fixture is half a million lines.
    Assumptions.assumeFalse(crash, "promtool comparison runs on the clean copy of " + fixture + " only");
    Path pt = RealPromtoolTest.promtool("3.5.3");
    Assumptions.assumeTrue(Files.isExecutable(pt), "skipped: no promtool 3.5.3 at " + pt
        + " (run scripts/install-prometheus.sh, or set PROMTSDB_PROMETHEUS_HOME)");
    Path theirs = copy(dir, tmp.resolve("promtool"));
    RealPromtoolTest.Run want = RealPromtoolTest.exec(List.of(pt.toString(), "tsdb", "dump", theirs.toString()), tmp);
    assertThat(want.code()).as(want.err()).isZero();
    assertThat(ours.out()).isEqualTo(want.out());
  }
}
