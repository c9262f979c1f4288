package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.chunks.WriterFlavor;
import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compaction compared with Prometheus' own compactor: testdata/compaction/&lt;scenario&gt;/expected
 * is what {@code tsdb.NewLeveledCompactor(...).Compact} (Prometheus 2.42) wrote for the input
 * blocks {@link CompactionScenarios} makes (see testdata/compaction/README.md). Ours must write
 * the same index and chunk bytes and the same meta.json but for the new block's ULID; 2.42
 * re-encodes XOR chunks with the 2.x spare byte, so the comparison compacts with that flavor.
 */
class CompactorGoldenTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"leveled", "vertical", "tombstones"})
  void sameBytesAsPrometheus(String scenario) throws IOException {
    List<Path> in = CompactionScenarios.write(scenario, tmp.resolve("in"));
    Compactor c = new Compactor(new Compactor.Options(
        Compactor.blockRanges(Compactor.DEFAULT_BLOCK_DURATION, Long.MAX_VALUE), true, BlockWriter.Options.DEFAULT,
        WriterFlavor.PROMETHEUS_2));
    BlockMeta got = c.compact(tmp.resolve("out"), in).orElseThrow();
    Path want = TestData.path("compaction/" + scenario + "/expected");
    Path dir = tmp.resolve("out").resolve(got.ulid().toString());
    assertThat(files(dir)).isEqualTo(files(want));
    for (String f : files(want)) {
      if (f.equals("meta.json")) {
        String w = Files.readString(want.resolve(f), StandardCharsets.UTF_8);
        String wantUlid = w.replaceAll("(?s).*?\"ulid\": \"([0-9A-Z]{26})\".*", "$1");
        assertThat(Files.readString(dir.resolve(f)).replace(got.ulid().toString(), "ULID"))
            .isEqualTo(w.replace(wantUlid, "ULID"));
      } else {
        assertThat(Files.readAllBytes(dir.resolve(f))).as(f).isEqualTo(Files.readAllBytes(want.resolve(f)));
      }
    }
  }

  static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }
}
