package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.Sample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every chunk of every block chunk file and head chunk file of the four real data dirs (clean
 * and crash copies) decodes, and re-encoding its samples gives the same bytes: with the raw
 * encoder, and with the full histogram appender logic (appendability checks, recoding,
 * cutting) that Prometheus ran when it wrote them.
 */
class FixtureChunksTest {

  @TempDir Path tmp;

  @TestFactory
  Stream<DynamicTest> blockChunks() {
    return Fixtures.dataDirs().stream().map(d -> DynamicTest.dynamicTest("blocks of " + d, () -> {
      Map<ChunkEncoding, Integer> counts = new EnumMap<>(ChunkEncoding.class);
      List<Path> dirs = Fixtures.blockChunkDirs(d);
      assertThat(dirs).isNotEmpty();
      for (Path dir : dirs) {
        try (ChunkSegmentReader r = ChunkSegmentReader.open(dir)) {
          assertThat(r.segmentCount()).isEqualTo(1);
          r.checkIntegrity(true);
          r.forEachChunk((ref, c) -> {
            checkRoundTrip(c, d.flavor());
            counts.merge(c.encoding(), 1, Integer::sum);
          });
        }
      }
      assertThat(counts.get(ChunkEncoding.XOR)).isGreaterThan(10);
      assertThat(counts.get(ChunkEncoding.HISTOGRAM)).isGreaterThan(0);
    }));
  }

  @TestFactory
  Stream<DynamicTest> headChunks() {
    return Fixtures.dataDirs().stream().map(d -> DynamicTest.dynamicTest("chunks_head of " + d, () -> {
      int[] n = new int[3];
      try (HeadChunkReader r = HeadChunkReader.open(Fixtures.headChunkDir(d))) {
        assertThat(r.ignoredFiles()).isEmpty();
        r.checkIntegrity(true);
        r.iterateAllChunks(m -> {
          Chunk c = r.chunk(m.ref());
          assertThat(c.encoding()).isEqualTo(m.encoding());
          assertThat(c.numSamples()).isEqualTo(m.numSamples());
          checkRoundTrip(c, d.flavor());
          List<Sample> s = c.samples();
          assertThat(s.get(0).timestamp()).isEqualTo(m.mint());
          assertThat(s.get(s.size() - 1).timestamp()).isEqualTo(m.maxt());
          n[0]++;
          if (m.outOfOrder()) {
            n[1]++;
          }
          if (m.encoding() == ChunkEncoding.HISTOGRAM) {
            n[2]++;
          }
        });
      }
      assertThat(n[0]).as("chunks").isGreaterThan(100);
      assertThat(n[2]).as("histogram chunks").isGreaterThan(0);
      if (!d.crash()) {
        assertThat(n[1]).as("out-of-order chunks").isGreaterThan(0);
      }
    }));
  }

  /**
   * Rewriting the records of each fixture file with our writers gives identical files: segment
   * files exactly, head chunk files including the preallocated zero tail.
   */
  @TestFactory
  Stream<DynamicTest> rewriteFiles() {
    return Fixtures.dataDirs().stream().map(d -> DynamicTest.dynamicTest("rewrite " + d, () -> {
      int blocks = 0;
      for (Path dir : Fixtures.blockChunkDirs(d)) {
        Path out = tmp.resolve(d.fixture() + (d.crash() ? "-crash-" : "-data-") + blocks++);
        List<Chunk> chunks = new ArrayList<>();
        List<Long> refs = new ArrayList<>();
        try (ChunkSegmentReader r = ChunkSegmentReader.open(dir)) {
          r.forEachChunk((ref, c) -> {
            chunks.add(c);
            refs.add(ref);
          });
        }
        long[] written;
        try (ChunkSegmentWriter w = ChunkSegmentWriter.create(out)) {
          written = w.writeChunks(chunks);
        }
        assertThat(written).containsExactly(refs.stream().mapToLong(Long::longValue).toArray());
        assertThat(Files.readAllBytes(out.resolve("000001")))
            .isEqualTo(Files.readAllBytes(dir.resolve("000001")));
      }
      Path headOut = tmp.resolve(d.fixture() + (d.crash() ? "-crash-head" : "-data-head"));
      List<Path> compared = new ArrayList<>();
      try (HeadChunkReader r = HeadChunkReader.open(Fixtures.headChunkDir(d));
          HeadChunkWriter w = HeadChunkWriter.open(headOut)) {
        long lastFile = -1;
        for (HeadChunkReader.HeadChunkMeta m : r.records()) {
          long file = ChunkDiskMapperRef.fileNumber(m.ref());
          if (lastFile >= 0 && file != lastFile) {
            w.cutNewFile();
          }
          if (file != lastFile) {
            compared.add(Fixtures.headChunkDir(d).resolve(String.format("%06d", file)));
          }
          lastFile = file;
          long ref = w.writeChunk(m.seriesRef(), m.mint(), m.maxt(), r.chunk(m.ref()), m.outOfOrder());
          assertThat(ChunkDiskMapperRef.offset(ref)).isEqualTo(ChunkDiskMapperRef.offset(m.ref()));
        }
      }
      assertThat(compared).isNotEmpty();
      List<Path> outFiles = ChunkSegmentReader.sequenceFiles(headOut);
      assertThat(outFiles).hasSameSizeAs(compared);
      for (int i = 0; i < compared.size(); i++) {
        assertThat(Files.readAllBytes(outFiles.get(i)))
            .as("%s vs %s", outFiles.get(i), compared.get(i))
            .isEqualTo(Files.readAllBytes(compared.get(i)));
      }
    }));
  }

  /**
   * Histogram chunks that Prometheus recoded while writing them round-trip too. A bucket that is
   * empty in the first sample and used later is the mark of a recode (a new bucket forces the
   * whole chunk to be re-encoded with the wider layout, the earlier samples getting zeros), though
   * client libraries also send some empty buckets. Comparing the head chunks of p3-none with the
   * histograms in its (uncompressed) WAL confirms it: 34 of the 42 histogram chunks of the crash
   * copy have a layout wider than their first sample as appended.
   */
  @TestFactory
  Stream<DynamicTest> recodedHistogramChunksRoundTrip() {
    return Fixtures.dataDirs().stream().filter(d -> !d.crash()).map(d -> DynamicTest.dynamicTest("recoded in " + d, () -> {
      int[] seen = new int[2];
      for (Path dir : Fixtures.blockChunkDirs(d)) {
        try (ChunkSegmentReader r = ChunkSegmentReader.open(dir)) {
          r.forEachChunk((ref, c) -> count(c, seen, d.flavor()));
        }
      }
      try (HeadChunkReader r = HeadChunkReader.open(Fixtures.headChunkDir(d))) {
        r.iterateAllChunks(m -> count(r.chunk(m.ref()), seen, d.flavor()));
      }
      assertThat(seen[1]).as("recoded histogram chunks in %s", d).isGreaterThan(0);
    }));
  }

  private static void count(Chunk c, int[] seen, WriterFlavor flavor) throws IOException {
    if (c.encoding() != ChunkEncoding.HISTOGRAM) {
      return;
    }
    seen[0]++;
    HistogramIterator it = c.histogramIterator(null);
    boolean[] emptyAtStart = null;
    boolean recoded = false;
    while (it.next() != ValueType.NONE) {
      if (it.isStale()) {
        continue;
      }
      int n = it.positiveBucketCount();
      long v = 0;
      if (emptyAtStart == null) {
        emptyAtStart = new boolean[n];
        for (int i = 0; i < n; i++) {
          v += it.positiveBucket(i);
          emptyAtStart[i] = v == 0;
        }
      } else {
        for (int i = 0; i < n; i++) {
          v += it.positiveBucket(i);
          if (emptyAtStart[i] && v != 0) {
            recoded = true;
          }
        }
      }
    }
    if (recoded) {
      seen[1]++;
      checkRoundTrip(c, flavor);
    }
  }

  /** Decodes, re-encodes raw and through the appenders' full logic; all three must agree. */
  static void checkRoundTrip(Chunk c, WriterFlavor flavor) throws IOException {
    List<Sample> samples = c.samples();
    assertThat(samples).hasSize(c.numSamples());
    CounterResetHeader header = c.encoding().valueType() == ValueType.FLOAT
        ? CounterResetHeader.UNKNOWN : c.counterResetHeader();
    Chunk raw = ChunkEncoder.encode(c.encoding(), samples, header, flavor);
    assertThat(raw.copyBytes()).as("re-encoded %s", c).isEqualTo(c.copyBytes());
    if (c.encoding() == ChunkEncoding.HISTOGRAM) {
      HistogramAppender a = HistogramAppender.create(c.encoding(), flavor);
      a.setCounterResetHeader(header);
      for (Sample s : samples) {
        Sample.HistogramSample h = (Sample.HistogramSample) s;
        AppendResult<HistogramAppender> res =
            a.appendHistogram(null, h.startTimestamp(), h.timestamp(), h.histogram(), false);
        assertThat(res.outcome()).as("%s at %d", c, h.timestamp()).isEqualTo(AppendResult.Outcome.APPENDED);
      }
      assertThat(a.chunk().copyBytes()).as("appended %s", c).isEqualTo(c.copyBytes());
    }
  }
}
