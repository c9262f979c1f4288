package io.promtsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.Labels;
import io.promtsdb.core.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked examples of the index chapter of the spec are the Go-written files, our writer
 * writes them, and the offsets the chapter walks through are what the reader finds.
 */
class SpecExamplesTest {

  static byte[] example(String name) throws Exception {
    String p = System.getProperty("promtsdb.spec");
    Path dir = p != null ? Paths.get(p) : TestData.root().resolveSibling("spec/src/docs/asciidoc");
    StringBuilder sb = new StringBuilder();
    for (String line : Files.readAllLines(dir.resolve("examples/index/" + name))) {
      sb.append(line.substring(line.indexOf(':') + 1).replace(" ", ""));
    }
    return HexFormat.of().parseHex(sb.toString());
  }

  @ParameterizedTest
  @CsvSource({
    "one-series-3.6.hex, one-series.go242, WITH_LABEL_INDICES, 0x1d, 0x29, 0x60, 0x40, 0x77",
    "one-series-3.7.hex, one-series.upstream, WITHOUT_LABEL_INDICES, 0x1d, 0x29, 0x4c, 0x29, 0x4c"
  })
  void examplesAreTheGoFilesAndOurWriterWritesThem(
      String hex, String golden, IndexWriter.Layout layout, String series, String labelIndices,
      String labelOffsetTable, String postings, String postingsOffsetTable, @TempDir Path dir)
      throws Exception {
    byte[] ex = example(hex);
    assertThat(ex).isEqualTo(GoWrittenInput.bytes("/go-written/edge-cases/" + golden));
    Path out = dir.resolve("index");
    try (IndexWriter w = IndexWriter.create(out, IndexWriter.Options.DEFAULT.withLayout(layout))) {
      w.addSymbol("__name__");
      w.addSymbol("up");
      assertThat(w.addSeries(Labels.of("__name__", "up"))).isEqualTo(2);
    }
    assertThat(Files.readAllBytes(out)).isEqualTo(ex);
    try (IndexReader r = IndexReader.open(ByteSource.of(hex, ex))) {
      assertThat(r.toc())
          .isEqualTo(new Toc(5, Long.decode(series), Long.decode(labelIndices),
              Long.decode(labelOffsetTable), Long.decode(postings), Long.decode(postingsOffsetTable)));
      assertThat(Postings.expand(r.allPostings())).containsExactly(2);
      assertThat(Postings.expand(r.postings("__name__", "up"))).containsExactly(2);
      assertThat(r.series(2).labels()).isEqualTo(Labels.of("__name__", "up"));
      assertThat(r.symbol(0)).isEqualTo("__name__");
      assertThat(r.symbol(1)).isEqualTo("up");
      assertThat(r.checkIntegrity().postingsLists()).isEqualTo(2);
    }
  }
}
