package io.promtsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.ByteSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Our writer against Prometheus' own Go writer (2.42 and upstream main) on a generated
 * series set with unicode, outside-BMP and U+E000..U+FFFF labels: same input, same bytes.
 */
class GoWrittenIndexTest {
  private static final GoWrittenInput INPUT = GoWrittenInput.load();

  @ParameterizedTest
  @CsvSource({"WITH_LABEL_INDICES, index-go2.42", "WITHOUT_LABEL_INDICES, index-upstream"})
  void writerProducesTheGoBytes(IndexWriter.Layout layout, String golden, @TempDir Path dir)
      throws Exception {
    Path out = dir.resolve("index");
    // A tiny sort buffer forces spilled runs and a multi-pass merge.
    for (int buffer : new int[] {1 << 21, 100}) {
      IndexWriter.Options opts =
          IndexWriter.Options.DEFAULT.withLayout(layout).withSortBufferEntries(buffer);
      try (IndexWriter w = IndexWriter.create(out, opts)) {
        w.addSymbols(INPUT.symbols());
        for (IndexSeries s : INPUT.series()) {
          w.addSeries(s.labels(), s.chunks());
        }
      }
      assertThat(Files.readAllBytes(out)).as("sort buffer %d", buffer).isEqualTo(GoWrittenInput.bytes(golden));
      try (var files = Files.list(dir)) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("index");
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"index-go2.42, true", "index-upstream, false"})
  void readerDecodesTheGoFiles(String golden, boolean labelIndices) throws Exception {
    try (IndexReader r = IndexReader.open(ByteSource.of(golden, GoWrittenInput.bytes(golden)))) {
      assertThat(r.version()).isEqualTo(2);
      assertThat(r.toc().hasLabelOffsetTable()).isEqualTo(labelIndices);
      List<String> symbols = new ArrayList<>();
      r.symbols().forEachRemaining(symbols::add);
      assertThat(symbols).isEqualTo(INPUT.symbols());
      Postings all = r.allPostings();
      int i = 0;
      for (long ref = all.next(); ref != Postings.END; ref = all.next(), i++) {
        IndexSeries expected = INPUT.series().get(i);
        IndexSeries actual = r.series(ref);
        assertThat(actual.labels()).isEqualTo(expected.labels());
        assertThat(actual.chunks()).isEqualTo(expected.chunks());
      }
      assertThat(i).isEqualTo(INPUT.series().size());
      IntegrityReport report = r.checkIntegrity();
      assertThat(report.series()).isEqualTo(INPUT.series().size());
      assertThat(report.labelIndices()).isEqualTo(labelIndices ? r.labelNames().size() : 0);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "empty, WITH_LABEL_INDICES, go242", "empty, WITHOUT_LABEL_INDICES, upstream",
    "symbols-only, WITH_LABEL_INDICES, go242", "symbols-only, WITHOUT_LABEL_INDICES, upstream",
    "one-series, WITH_LABEL_INDICES, go242", "one-series, WITHOUT_LABEL_INDICES, upstream",
    "empty-value, WITH_LABEL_INDICES, go242", "empty-value, WITHOUT_LABEL_INDICES, upstream"
  })
  void edgeCasesMatchTheGoBytes(String name, IndexWriter.Layout layout, String writer, @TempDir Path dir)
      throws Exception {
    String base = "/go-written/edge-cases/" + name;
    GoWrittenInput in = GoWrittenInput.load(base + ".txt");
    byte[] golden = GoWrittenInput.bytes(base + "." + writer);
    Path out = dir.resolve("index");
    try (IndexWriter w = IndexWriter.create(out, IndexWriter.Options.DEFAULT.withLayout(layout))) {
      w.addSymbols(in.symbols());
      for (IndexSeries s : in.series()) {
        w.addSeries(s.labels(), s.chunks());
      }
    }
    assertThat(Files.readAllBytes(out)).isEqualTo(golden);
    try (IndexReader r = IndexReader.open(ByteSource.of(name, golden))) {
      assertThat(r.checkIntegrity().series()).isEqualTo(in.series().size());
      assertThat(Postings.count(r.allPostings())).isEqualTo(in.series().size());
      Rewrite.copy(r, dir.resolve("again"), IndexWriter.Options.DEFAULT.withLayout(layout));
      assertThat(Files.readAllBytes(dir.resolve("again"))).isEqualTo(golden);
    }
  }

  @Test
  void labelValuesFollowUtf8ByteOrderNotUtf16() throws Exception {
    try (IndexReader r =
        IndexReader.open(ByteSource.of("go", GoWrittenInput.bytes("index-go2.42")))) {
      List<String> metrics = r.labelValues("__name__");
      // U+FFFD sorts before U+1F600 in UTF-8 (EF.. < F0..) but after it in UTF-16.
      assertThat(metrics.indexOf("m\uFFFD")).isLessThan(metrics.indexOf("m\uD800\uDC00"));
      assertThat(metrics).isSortedAccordingTo(io.promtsdb.core.Utf8Order.COMPARATOR);
      assertThat(metrics).isNotEqualTo(metrics.stream().sorted().toList());
    }
  }
}
