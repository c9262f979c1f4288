package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.XorAppender;
import io.promtsdb.core.Labels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockWriterTest {
  @TempDir Path dir;

  /** Seeded series of 0..3 chunks of up to 120 samples, with their samples as text per series. */
  static List<ChunkSeries> randomSeries(long seed, int n, long mint, Map<String, String> expected) {
    SplittableRandom r = new SplittableRandom(seed);
    List<ChunkSeries> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Labels l = Labels.of("__name__", "m" + (i % 7), "i", String.format("%05d", i), "u", "ü" + r.nextInt(3));
      List<BlockChunk> chunks = new ArrayList<>();
      StringBuilder b = new StringBuilder();
      long t = mint + r.nextInt(1000);
      int nChunks = r.nextInt(4);
      for (int c = 0; c < nChunks; c++) {
        XorAppender a = XorAppender.create();
        int samples = 1 + r.nextInt(120);
        long first = t;
        long last = t;
        for (int s = 0; s < samples; s++) {
          double v = r.nextInt(10) == 0 ? r.nextDouble() : r.nextInt(1000);
          a.append(t, v);
          b.append('(').append(t).append(',').append(v).append(')');
          last = t;
          t += 1 + r.nextInt(30_000);
        }
        chunks.add(new BlockChunk(first, last, a.chunk()));
      }
      if (!chunks.isEmpty()) {
        expected.put(l.toString(), b.toString());
      }
      out.add(new ChunkSeries(l, chunks));
    }
    out.sort((x, y) -> x.labels().compareTo(y.labels()));
    return out;
  }

  @Test
  void writesABlockTheReaderReads() throws IOException {
    Map<String, String> expected = new LinkedHashMap<>();
    List<ChunkSeries> series = randomSeries(7, 300, 1_000_000, expected);
    Ulid ulid = Ulid.generate(System.currentTimeMillis());
    BlockMeta meta = BlockWriter.newMeta(ulid, 1_000_000, 1_000_000 + 7_200_000, BlockWriter.level1(ulid));
    BlockMeta written = BlockWriter.write(dir, meta, series).orElseThrow();

    long samples = 0;
    long chunks = 0;
    long nonEmpty = 0;
    for (ChunkSeries s : series) {
      for (BlockChunk c : s.chunks()) {
        samples += c.chunk().numSamples();
      }
      chunks += s.chunks().size();
      nonEmpty += s.chunks().isEmpty() ? 0 : 1;
    }
    assertThat(written.stats()).isEqualTo(new BlockMeta.Stats(samples, 0, 0, nonEmpty, chunks, 0));
    assertThat(listNames(dir)).containsExactly(ulid.toString());
    assertThat(listNames(dir.resolve(ulid.toString()))).containsExactly("chunks", "index", "meta.json", "tombstones");
    try (Block b = Block.open(dir.resolve(ulid.toString()))) {
      assertThat(b.meta()).isEqualTo(written);
      assertThat(Files.readAllBytes(dir.resolve(ulid + "/meta.json"))).isEqualTo(written.toJson());
      try (Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        assertThat(BlockTest.query(q, List.of(Matcher.regex("__name__", ".+")))).isEqualTo(expected);
      }
    }
  }

  @Test
  void splitsChunkSegmentsAtTheConfiguredSize() throws IOException {
    Map<String, String> expected = new LinkedHashMap<>();
    List<ChunkSeries> series = randomSeries(8, 200, 0, expected);
    Ulid ulid = Ulid.generate(1);
    BlockMeta meta = BlockWriter.newMeta(ulid, 0, 7_200_000, BlockWriter.level1(ulid));
    BlockWriter.Options small = new BlockWriter.Options(4096, BlockWriter.Options.DEFAULT.index());
    BlockWriter.write(dir, meta, BlockWriter.symbolsOf(series), ChunkSeriesSet.of(series), small).orElseThrow();
    assertThat(listNames(dir.resolve(ulid + "/chunks")).size()).isGreaterThan(3);
    try (Block b = Block.open(dir.resolve(ulid.toString()));
        Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertThat(BlockTest.query(q, List.of(Matcher.regex("__name__", ".+")))).isEqualTo(expected);
    }
  }

  @Test
  void noSamplesNoBlock() throws IOException {
    Ulid ulid = Ulid.generate(1);
    List<ChunkSeries> series = List.of(new ChunkSeries(Labels.of("a", "b"), List.of()));
    assertThat(BlockWriter.write(dir, BlockWriter.newMeta(ulid, 0, 10, BlockWriter.level1(ulid)), series)).isEmpty();
    assertThat(listNames(dir)).isEmpty();
  }

  @Test
  void aFailureLeavesNoBlockAndNoTemporaryDirectory() throws IOException {
    Chunk c = XorAppender.create().chunk();
    XorAppender a = XorAppender.create();
    a.append(5, 1);
    c = a.chunk();
    // Out of label order: the index writer refuses the second series.
    List<ChunkSeries> series = List.of(
        new ChunkSeries(Labels.of("a", "2"), List.of(new BlockChunk(5, 5, c))),
        new ChunkSeries(Labels.of("a", "1"), List.of(new BlockChunk(5, 5, c))));
    Ulid ulid = Ulid.generate(1);
    assertThatThrownBy(() -> BlockWriter.write(dir, BlockWriter.newMeta(ulid, 0, 10, BlockWriter.level1(ulid)), series))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("out-of-order series");
    assertThat(listNames(dir)).isEmpty();
  }

  /** A source failing after {@code n} series, as a disk error or a corrupt input would. */
  static ChunkSeriesSet failingAfter(List<ChunkSeries> series, int n) {
    ChunkSeriesSet in = ChunkSeriesSet.of(series);
    return new ChunkSeriesSet() {
      int i;

      @Override
      public boolean next() throws IOException {
        if (i++ == n) {
          throw new IOException("injected failure after " + n + " series");
        }
        return in.next();
      }

      @Override
      public ChunkSeries at() {
        return in.at();
      }
    };
  }

  @Test
  void anIoFailureMidwayLeavesNothingVisible() throws IOException {
    Map<String, String> expected = new LinkedHashMap<>();
    List<ChunkSeries> series = randomSeries(10, 200, 0, expected);
    Ulid ulid = Ulid.generate(1);
    BlockMeta meta = BlockWriter.newMeta(ulid, 0, 7_200_000, BlockWriter.level1(ulid));
    // Small segments so that several chunk files exist when the failure comes.
    BlockWriter.Options small = new BlockWriter.Options(4096, BlockWriter.Options.DEFAULT.index());
    assertThatThrownBy(() -> BlockWriter.write(dir, meta, BlockWriter.symbolsOf(series), failingAfter(series, 150), small))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("injected failure");
    assertThat(listNames(dir)).isEmpty();
  }

  @Test
  void aFailedCompactionMarksItsInputsAndLeavesNoBlock() throws IOException {
    List<Path> in = CompactionScenarios.write("leveled", dir.resolve("data"));
    CompactionScenarios.block(dir.resolve("data"), 99, 6 * CompactionScenarios.H, 8 * CompactionScenarios.H, 0, 3, 60_000, 9);
    Compactor c = new Compactor(Compactor.Options.defaults());
    assertThat(c.plan(dir.resolve("data"))).isEqualTo(in);
    // Corrupt one chunk segment of one input: the compaction fails reading it.
    Path seg = in.get(1).resolve("chunks/000001");
    byte[] b = Files.readAllBytes(seg);
    b[b.length / 2] ^= 0x40;
    Files.write(seg, b);
    assertThatThrownBy(() -> c.compact(dir.resolve("data"), in)).isInstanceOf(io.promtsdb.core.CorruptFormatException.class);
    assertThat(listNames(dir.resolve("data"))).hasSize(4);
    for (Path p : in) {
      assertThat(BlockMeta.read(p).compaction().failed()).isTrue();
    }
    // Failed blocks are left out of later plans.
    assertThat(c.plan(dir.resolve("data"))).isEmpty();
  }

  @Test
  void replacesALeftoverTemporaryDirectory() throws IOException {
    Ulid ulid = Ulid.generate(1);
    Path leftover = dir.resolve(ulid + BlockFiles.TMP_FOR_CREATION);
    Files.createDirectories(leftover.resolve("chunks"));
    Files.writeString(leftover.resolve("chunks/000007"), "junk");
    Map<String, String> expected = new LinkedHashMap<>();
    List<ChunkSeries> series = randomSeries(9, 20, 0, expected);
    BlockWriter.write(dir, BlockWriter.newMeta(ulid, 0, 7_200_000, BlockWriter.level1(ulid)), series).orElseThrow();
    assertThat(listNames(dir)).containsExactly(ulid.toString());
    assertThat(listNames(dir.resolve(ulid + "/chunks"))).containsExactly("000001");
  }

  static List<String> listNames(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
