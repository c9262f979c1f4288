package io.promtsdb.benchmarks.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.index.IndexWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The index benchmarks run on the same data as the Go side: the 1M-series set written here
 * has the size and SHA-256 of the file Prometheus 2.42's writer produced from the Go
 * generator (benchmarks/go/index, TestWrite1M).
 */
class IndexSameDataAsGoTest {
  @Test
  void oneMillionSeriesIndexIsTheGoWrittenFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("index");
    try (IndexWriter w = IndexWriter.create(file)) {
      SyntheticIndex.oneMillion().write(w);
    }
    assertThat(Files.size(file)).isEqualTo(67_060_784L);
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(Files.readAllBytes(file));
    assertThat(HexFormat.of().formatHex(md.digest()))
        .isEqualTo("17cf4a7518404751ca38d2411cfb8d684bb1cde68e82bd8cece41cf726674d65");
  }

  @Test
  void postingsStatsDataHasGosShape() {
    assertThat(PostingsStatsBenchmark.pairs()).hasSize(999 + 20 * 10 * 999);
  }
}
