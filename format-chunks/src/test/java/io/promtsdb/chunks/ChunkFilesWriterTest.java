package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File rotation of both writers, Go's rules, read back by the readers. */
class ChunkFilesWriterTest {

  @TempDir Path dir;

  private static Chunk chunk(int n) {
    XorAppender a = XorAppender.create();
    for (int i = 0; i < n; i++) {
      a.append(i * 15000L, i);
    }
    return a.chunk();
  }

  @Test
  void segmentsAreCutAsGoCutsThem() throws Exception {
    Chunk c = chunk(20); // 5 + 1 + len + 4 counted per chunk.
    long counted = 5 + 1 + c.length() + 4;
    long segmentSize = 8 + 3 * counted; // Three chunks fit, as counted.
    List<long[]> refs = new ArrayList<>();
    try (ChunkSegmentWriter w = ChunkSegmentWriter.create(dir, segmentSize)) {
      refs.add(w.writeChunks(List.of(c, c, c, c, c)));
      // Existing data: the first chunk of a call counts the bytes already in the segment.
      refs.add(w.writeChunks(List.of(c)));
      refs.add(w.writeChunks(List.of(chunk(2000))));
    }
    assertThat(refs.get(0)).containsExactly(
        BlockChunkRef.of(0, 8), BlockChunkRef.of(0, 8 + (c.length() + 6)), BlockChunkRef.of(0, 8 + 2L * (c.length() + 6)),
        BlockChunkRef.of(1, 8), BlockChunkRef.of(1, 8 + (c.length() + 6)));
    assertThat(refs.get(1)).containsExactly(BlockChunkRef.of(1, 8 + 2L * (c.length() + 6)));
    // A chunk bigger than a segment still gets written, in a segment of its own.
    assertThat(refs.get(2)).containsExactly(BlockChunkRef.of(2, 8));
    assertThat(ChunkSegmentReader.sequenceFiles(dir)).extracting(p -> p.getFileName().toString())
        .containsExactly("000001", "000002", "000003");
    try (ChunkSegmentReader r = ChunkSegmentReader.open(dir)) {
      r.checkIntegrity(true);
      assertThat(r.chunk(refs.get(1)[0])).isEqualTo(c);
      assertThat(r.chunk(refs.get(2)[0]).numSamples()).isEqualTo(2000);
      assertThat(r.refs()).hasSize(7);
    }
  }

  @Test
  void headFilesRotateAndPreallocate() throws Exception {
    Chunk c = chunk(10);
    long record = 8 + 16 + 1 + 1 + c.length() + 4;
    List<Long> refs = new ArrayList<>();
    try (HeadChunkWriter w = HeadChunkWriter.open(dir, 4096, 8 + 2 * record)) {
      for (int i = 0; i < 5; i++) {
        refs.add(w.writeChunk(i + 1, 0, 9 * 15000, c, i == 4));
      }
      w.cutNewFile();
      refs.add(w.writeChunk(9, 0, 9 * 15000, c, false));
    }
    assertThat(refs).extracting(ChunkDiskMapperRef::fileNumber).containsExactly(1L, 1L, 2L, 2L, 3L, 4L);
    assertThat(Files.size(dir.resolve("000001"))).isEqualTo(4096);
    try (HeadChunkReader r = HeadChunkReader.open(dir)) {
      r.checkIntegrity(true);
      assertThat(r.records()).extracting(HeadChunkReader.HeadChunkMeta::ref).containsExactlyElementsOf(refs);
      assertThat(r.meta(refs.get(4)).outOfOrder()).isTrue();
      assertThat(r.chunk(refs.get(4))).isEqualTo(c);
    }
    // Reopening continues after the last file, and a crash-left empty last file is dropped.
    Files.write(dir.resolve("000005"), new byte[0]);
    try (HeadChunkWriter w = HeadChunkWriter.open(dir)) {
      assertThat(ChunkDiskMapperRef.fileNumber(w.writeChunk(10, 0, 0, chunk(1), false))).isEqualTo(5);
    }
    assertThat(Files.size(dir.resolve("000005"))).isEqualTo(HeadChunkWriter.DEFAULT_PREALLOCATION);
    try (HeadChunkReader r = HeadChunkReader.open(dir)) {
      assertThat(r.records()).hasSize(7);
    }
  }
}
