package io.promtsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.ByteSource;
import io.promtsdb.wal.Fixtures.Kind;
import io.promtsdb.wal.Fixtures.Segment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every WAL, WBL, checkpoint and memory snapshot segment written by Prometheus 3.5.3 and
 * 2.53.3 in the fixtures: read record by record, every record decoded and re-encoded to the
 * same bytes, uncompressed segments rewritten to identical files.
 */
class FixtureTest {

  static Stream<Segment> segments() {
    List<Segment> all = Fixtures.all();
    assertThat(all).hasSizeGreaterThan(30);
    return all.stream();
  }

  @ParameterizedTest
  @MethodSource("segments")
  void everyRecordDecodesAndReEncodesToTheSameBytes(Segment seg) throws IOException {
    int records = 0;
    try (SegmentReader r = SegmentReader.open(seg.path())) {
      while (r.next()) {
        records++;
        byte[] rec = r.copyRecord();
        if (seg.kind() == Kind.SNAPSHOT) {
          SnapshotRecord d = SnapshotCodec.decode(r.record());
          assertThat(SnapshotCodec.encode(d)).as("%s record at %d", seg, r.recordOffset()).isEqualTo(rec);
        } else {
          WalRecord d = RecordCodec.decode(r.record());
          assertThat(RecordCodec.encode(d)).as("%s record at %d", seg, r.recordOffset()).isEqualTo(rec);
          assertThat(d.size()).isPositive();
        }
        if (r.recordCompression() != Compression.NONE) {
          // Our compressor's output decompresses to the same record (Go's bytes differ).
          RecordCompressor c = new RecordCompressor(r.recordCompression());
          int n = c.compress(rec, 0, rec.length);
          RecordDecompressor dec = new RecordDecompressor();
          int m = dec.decompress(r.recordCompression(), c.buffer(), 0, n);
          assertThat(java.util.Arrays.copyOf(dec.buffer(), m)).isEqualTo(rec);
        }
      }
      assertThat(r.offset()).isEqualTo(Files.size(seg.path()));
    } catch (RecordDecompressor.DecompressionException e) {
      throw new AssertionError(e);
    }
    assertThat(records).as(seg.name()).isPositive();
  }

  /** What the fixtures contain, so that a change of fixtures cannot silently drop coverage. */
  @Test
  void fixturesCoverTheExpectedRecordKinds() throws IOException {
    Map<String, Integer> counts = new TreeMap<>();
    Map<Compression, Integer> byCompression = new EnumMap<>(Compression.class);
    for (Segment seg : Fixtures.all()) {
      try (SegmentReader r = SegmentReader.open(seg.path())) {
        while (r.next()) {
          String k =
              seg.kind() == Kind.SNAPSHOT
                  ? "snapshot-" + SnapshotCodec.decode(r.record()).typeByte()
                  : seg.kind() + "-" + RecordCodec.decode(r.record()).type().goName();
          counts.merge(k, 1, Integer::sum);
          byCompression.merge(r.recordCompression(), 1, Integer::sum);
        }
      }
    }
    assertThat(counts)
        .containsKeys(
            "WAL-series", "WAL-samples", "WAL-exemplars", "WAL-histogram_samples",
            "WBL-samples", "WBL-mmapmarkers", "CHECKPOINT-series",
            "snapshot-1", "snapshot-2", "snapshot-3");
    assertThat(byCompression).containsKeys(Compression.NONE, Compression.SNAPPY, Compression.ZSTD);
    assertThat(counts.get("snapshot-2")).isEqualTo(4);
  }

  /**
   * Uncompressed segments (the p3-none WAL, every WBL, the p3-none snapshot) rebuilt from
   * their records with our writer are identical files. Go writes each Log() batch's partial
   * page and zero-pads the last page when a segment is finished or the log closed; batching
   * never changes the bytes, only where a file may end. So: one record per batch, then close
   * (finished segments) or stop without closing (the last segment of a crash copy, which
   * ends mid-page).
   */
  @ParameterizedTest
  @MethodSource("segments")
  void uncompressedSegmentsRewriteToIdenticalFiles(Segment seg, @TempDir Path tmp) throws IOException {
    List<byte[]> records = new ArrayList<>();
    boolean allRaw = true;
    try (SegmentReader r = SegmentReader.open(seg.path())) {
      while (r.next()) {
        records.add(r.copyRecord());
        allRaw &= r.recordCompression() == Compression.NONE;
      }
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(
        allRaw && seg.fixture().equals("p3-none") || seg.kind() == Kind.WBL,
        "compressed segments are not byte-reproducible (Go's snappy/zstd output differs)");
    byte[] golden = Files.readAllBytes(seg.path());
    int index = Segments.parseIndex(seg.path().getFileName().toString());
    // WBLs of compressed fixtures hold only records compression does not shrink.
    Compression c = seg.fixture().equals("p3-zstd") ? Compression.ZSTD
        : seg.fixture().endsWith("snappy") ? Compression.SNAPPY : Compression.NONE;
    WalWriter w = WalWriter.openAt(tmp, index, WalWriter.Options.defaults(c));
    for (byte[] rec : records) {
      w.log(rec);
    }
    boolean finished = golden.length % WalFormat.PAGE_SIZE == 0;
    if (finished) {
      w.close();
    }
    byte[] mine = Files.readAllBytes(Segments.path(tmp, index));
    w.close();
    assertThat(mine).as(seg.name()).hasSize(golden.length).isEqualTo(golden);
  }

  @Test
  void recordSourcesNameTheSegment() throws IOException {
    Segment seg = Fixtures.all().get(0);
    try (SegmentReader r = SegmentReader.open(seg.path())) {
      assertThat(r.next()).isTrue();
      ByteSource rec = r.record();
      assertThat(rec.description()).endsWith(seg.path().getFileName().toString());
    }
  }
}
