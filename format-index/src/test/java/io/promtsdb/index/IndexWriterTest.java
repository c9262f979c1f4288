package io.promtsdb.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.Labels;
import io.promtsdb.core.MappedFileSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's contract: Prometheus' ordering rules, rejected calls leave it usable. */
class IndexWriterTest {
  @TempDir Path dir;

  private IndexWriter writer(String... symbols) throws Exception {
    IndexWriter w = IndexWriter.create(dir.resolve("index"));
    w.addSymbols(List.of(symbols));
    return w;
  }

  @Test
  void symbolsMustAscendByUtf8Bytes() throws Exception {
    try (IndexWriter w = writer("a", "b")) {
      assertThatThrownBy(() -> w.addSymbol("b")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("out of order");
      assertThatThrownBy(() -> w.addSymbol("a")).isInstanceOf(IllegalArgumentException.class);
      // U+FFFD (EF BF BD) sorts before U+1F600 (F0 ...) in UTF-8, after it in UTF-16.
      w.addSymbol("\uFFFD");
      w.addSymbol("\uD83D\uDE00");
      assertThatThrownBy(() -> w.addSymbol("\uFFFF")).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void seriesMustAscendAndNotBeEmpty() throws Exception {
    try (IndexWriter w = writer("1", "2", "a", "b")) {
      assertThatThrownBy(() -> w.addSeries(Labels.EMPTY)).isInstanceOf(IllegalArgumentException.class);
      assertThat(w.addSeries(Labels.of("a", "1"))).isEqualTo(2); // 16-byte aligned: offset 32
      assertThatThrownBy(() -> w.addSeries(Labels.of("a", "1")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("out-of-order series added with label set {a=\"1\"}");
      assertThatThrownBy(() -> w.addSeries(Labels.of("1", "2"))).isInstanceOf(IllegalArgumentException.class);
      assertThat(w.addSeries(Labels.of("a", "1", "b", "2"))).isGreaterThan(2);
      assertThat(w.seriesCount()).isEqualTo(2);
    }
  }

  @Test
  void labelsNeedTheirSymbols() throws Exception {
    Path p = dir.resolve("index");
    try (IndexWriter w = writer("a", "b")) {
      assertThatThrownBy(() -> w.addSeries(Labels.of("a", "c")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("symbol entry for \"c\" does not exist");
      // The rejected call wrote nothing.
      w.addSeries(Labels.of("a", "b"));
    }
    try (IndexReader r = IndexReader.open(p)) {
      assertThat(r.checkIntegrity().series()).isEqualTo(1);
    }
  }

  @Test
  void chunkMetasFollowPrometheusWriterRules() throws Exception {
    try (IndexWriter w = writer("a", "b", "c", "d")) {
      assertThatThrownBy(() -> w.addSeries(Labels.of("a", "b"), new ChunkMeta(8, 10, 5)))
          .hasMessage("chunk maxT 5 is less than minT 10");
      assertThatThrownBy(() -> w.addSeries(Labels.of("a", "b"), new ChunkMeta(8, 0, 10), new ChunkMeta(9, 10, 20)))
          .hasMessage("chunk minT 10 is not higher than previous chunk maxT 10");
      assertThatThrownBy(() -> w.addSeries(Labels.of("a", "b"), new ChunkMeta(8, 0, 10), new ChunkMeta(7, 11, 20)))
          .hasMessage("unsorted chunk reference: 7, previous: 8");
      w.addSeries(Labels.of("a", "b"), new ChunkMeta(8, 0, 10), new ChunkMeta(8, 11, 20));
      // References never decrease across series either.
      assertThatThrownBy(() -> w.addSeries(Labels.of("a", "c"), new ChunkMeta(7, 0, 1)))
          .isInstanceOf(IllegalArgumentException.class);
      // Unsigned comparison, as Go's uint64 ChunkRef.
      w.addSeries(Labels.of("a", "c"), new ChunkMeta(-1L, 0, 1));
    }
  }

  @Test
  void stagesOnlyMoveForward() throws Exception {
    try (IndexWriter w = writer("a")) {
      w.addSeries(Labels.of("a", "a"));
      assertThatThrownBy(() -> w.addSymbol("b")).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void closeIsIdempotentAndLeavesNoTemporaryFiles() throws Exception {
    IndexWriter w = writer("a", "b");
    w.addSeries(Labels.of("a", "b"));
    w.close();
    w.close();
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("index");
    }
  }

  @Test
  void seriesEntriesAndPostingsMayStraddleMappingChunks() throws Exception {
    // Read a written index through 64-byte mapping chunks: entries and lists cross them.
    List<IndexSeries> series = RoundTripProperties.seriesSet(99, 200);
    Path p = dir.resolve("index");
    RoundTripProperties.write(p, RoundTripProperties.symbolsOf(series, false), series, IndexWriter.Options.DEFAULT);
    try (MappedFileSource small = MappedFileSource.open(p, 6);
        IndexReader chunked = IndexReader.open(small);
        IndexReader whole = IndexReader.open(p)) {
      assertThat(chunked.checkIntegrity()).isEqualTo(whole.checkIntegrity());
      for (String n : whole.labelNames()) {
        assertThat(chunked.labelValues(n)).isEqualTo(whole.labelValues(n));
        for (String v : whole.labelValues(n)) {
          long[] refs = Postings.expand(whole.postings(n, v));
          assertThat(Postings.expand(chunked.postings(n, v))).isEqualTo(refs);
          for (long ref : refs) {
            assertThat(chunked.series(ref)).isEqualTo(whole.series(ref));
          }
        }
      }
    }
  }
}
