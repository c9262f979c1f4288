package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.promtsdb.engine.BlockMeta;
import io.promtsdb.engine.Compactor;
import io.promtsdb.engine.DataDirMaintenance;
import io.promtsdb.engine.Matcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Blocks written and compacted by PromTSDB, read by the real promtool: backfilled 2h blocks
 * plus an overlapping batch, compacted (leveled and vertical), with a deletion cleaned; then
 * {@code promtool tsdb list} and {@code dump} (3.5.3 and 2.53.3) must agree
 * with ours. Skipped with a message without the binaries.
 */
class CompactedBlocksPromtoolTest {
  @TempDir static Path tmp;
  private static Path dataDir;
  private static List<BlockMeta> compacted;

  @BeforeAll
  static void build() throws Exception {
    dataDir = tmp.resolve("data");
    Path om = tmp.resolve("a.om");
    Files.writeString(om, CreateBlocksFromTest.input(11), StandardCharsets.UTF_8);
    assertThat(CliFixtureTest.run("tsdb", "create-blocks-from", "-q", "openmetrics", om.toString(), dataDir.toString()).code()).isZero();
    // A second batch overlapping the first in time, partly the same series with other samples.
    Path om2 = tmp.resolve("b.om");
    Files.writeString(om2, CreateBlocksFromTest.input(12, 1_700_005_000L), StandardCharsets.UTF_8);
    assertThat(CliFixtureTest.run("tsdb", "create-blocks-from", "-q", "openmetrics", om2.toString(), dataDir.toString()).code()).isZero();
    DataDirMaintenance m = new DataDirMaintenance(dataDir, new DataDirMaintenance.Options(Compactor.Options.defaults(), 0, 0));
    compacted = new ArrayList<>(m.compact(0));
    m.delete(1_700_005_000_000L, 1_700_006_000_000L, List.of(Matcher.regex("__name__", "noisy|fast_seconds")));
    compacted.addAll(m.cleanTombstones(0));
    Files.createDirectories(dataDir.resolve("wal"));
  }

  private static Path copy(Path src) throws Exception {
    Path dst = tmp.resolve("copy" + System.nanoTime());
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return dst;
  }

  private void compare(String version, List<String> args) throws Exception {
    Path pt = RealPromtoolTest.promtool(version);
    assumeTrue(Files.isExecutable(pt), "skipped: no promtool " + version + " at " + pt
        + " (run scripts/install-prometheus.sh, or set PROMTSDB_PROMETHEUS_HOME)");
    List<String> cmd = new ArrayList<>(List.of(pt.toString(), "tsdb"));
    cmd.addAll(args);
    cmd.add(copy(dataDir).toString());
    RealPromtoolTest.Run want = RealPromtoolTest.exec(cmd, tmp);
    List<String> ours = new ArrayList<>(List.of("tsdb"));
    ours.addAll(args);
    ours.add(dataDir.toString());
    CliFixtureTest.Result got = CliFixtureTest.run(ours.toArray(new String[0]));
    assertThat(got.code()).as("ours: %s; promtool: %s", got.err(), want.err()).isEqualTo(want.code()).isZero();
    assertThat(got.out()).isEqualTo(want.out());
  }

  @ParameterizedTest(name = "promtool {0}")
  @ValueSource(strings = {"3.5.3", "2.53.3"})
  void listDumpAnalyzeAgree(String version) throws Exception {
    // The compactions happened: leveled 6h blocks, the overlap merged, tombstones cleaned.
    assertThat(compacted.stream().anyMatch(b -> b.compaction().level() >= 2)).isTrue();
    assertThat(compacted.stream().anyMatch(b -> b.compaction().parents().size() == 1)).isTrue();
    compare(version, List.of("list"));
    compare(version, List.of("dump"));
    compare(version, List.of("dump", "--match", "{__name__=~\"noisy|odd.*\"}"));
    // analyze is left out: its churn section breaks ties of 0 in Go map order, so promtool
    // itself does not print the same list twice for this data.
  }
}
