package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.engine.ReadOnlyDb;
import io.promtsdb.engine.Querier;
import io.promtsdb.engine.SeriesSet;
import io.promtsdb.engine.Matcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tsdb bench write}: promtool's stages and totals, and the data it wrote. */
class BenchWriteTest {
  @TempDir Path tmp;

  @Test
  void smallRunPrintsPromtoolsStagesAndWritesTheSamples() throws Exception {
    Path out = tmp.resolve("benchout");
    CliFixtureTest.Result r = CliFixtureTest.run("tsdb", "bench", "write", "--out=" + out, "--metrics=1500", "--scrapes=150");
    assertThat(r.code()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo(">> start stage=readData");
    assertThat(lines.get(1)).startsWith(">> completed stage=readData duration=");
    assertThat(lines).contains("ingestion completed", " > total samples: " + (200 * 1500));
    assertThat(lines).anySatisfy(l -> assertThat(l).matches(" > samples/sec: [0-9.e+]+"));
    assertThat(lines.get(lines.size() - 1)).startsWith(">> completed stage=stopStorage duration=");
    Path series = tmp.resolve("20kseries.json");
    assertThat(Files.readAllLines(series)).hasSize(20_000);
    // The same file gives the same label sets (the generator is seeded).
    assertThat(BenchWriteCommand.readPrometheusLabels(series, 1500)).hasSize(1500);
    long n = 0;
    try (ReadOnlyDb db = ReadOnlyDb.open(out.resolve("storage"));
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(false, List.of(Matcher.regex("__name__", ".+")));
      while (ss.next()) {
        n++;
      }
    }
    assertThat(n).isEqualTo(1500);
  }
}
