package io.promtsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.Labels;
import io.promtsdb.wal.Refs.RefExemplar;
import io.promtsdb.wal.Refs.RefHistogramSample;
import io.promtsdb.wal.Refs.RefMetadata;
import io.promtsdb.wal.Refs.RefMmapMarker;
import io.promtsdb.wal.Refs.RefSample;
import io.promtsdb.wal.Refs.RefSeries;
import io.promtsdb.wal.Refs.RefTombstone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointAndSnapshotTest {

  static List<WalRecord> readAll(Path dir) throws IOException {
    List<WalRecord> out = new ArrayList<>();
    try (WalReader r = WalReader.open(dir)) {
      while (r.next()) {
        out.add(RecordCodec.decode(r.record()));
      }
    }
    return out;
  }

  @Test
  void checkpointKeepsWhatPrometheusKeeps(@TempDir Path wal) throws IOException {
    WalWriter.Options opts = WalWriter.Options.defaults(Compression.SNAPPY);
    try (WalWriter w = WalWriter.open(wal, opts)) {
      w.log(RecordCodec.encode(new WalRecord.Series(List.of(
          new RefSeries(1, Labels.of("a", "1")), new RefSeries(2, Labels.of("a", "2"))))));
      w.log(RecordCodec.encode(WalRecord.Samples.of(List.of(
          new RefSample(1, 100, 1.0), new RefSample(2, 200, 2.0), new RefSample(1, 300, 3.0)))));
      w.log(RecordCodec.encode(new WalRecord.Metadata(List.of(new RefMetadata(1, 1, "s", "old")))));
      w.nextSegment();
      w.log(RecordCodec.encode(new WalRecord.Tombstones(List.of(
          new RefTombstone(1, 0, 150), new RefTombstone(1, 0, 250), new RefTombstone(2, 0, 999)))));
      w.log(RecordCodec.encode(WalRecord.Exemplars.of(List.of(
          new RefExemplar(1, 199, 1, Labels.EMPTY), new RefExemplar(1, 201, 2, Labels.EMPTY)))));
      w.log(RecordCodec.encode(new WalRecord.MmapMarkers(List.of(new RefMmapMarker(1, 5)))));
      w.log(RecordCodec.encode(new WalRecord.Metadata(List.of(new RefMetadata(1, 1, "s", "new"), new RefMetadata(2, 2, "", "")))));
      w.log(RecordCodec.encode(new WalRecord.HistogramSamplesV2(List.of(
          new RefHistogramSample(1, 50, 250, RecordVectorsTest.expH(io.promtsdb.core.CounterResetHint.UNKNOWN, 0)),
          new RefHistogramSample(1, 50, 260, RecordVectorsTest.customH(0))))));
      w.log(new byte[] {(byte) 200, 1, 2});
      w.nextSegment();
    }
    Checkpoints.Stats stats = Checkpoints.create(wal, 0, 1, ref -> ref == 1, 200, false, opts);
    assertThat(Checkpoints.last(wal)).get().extracting(Checkpoints.CheckpointRef::index).isEqualTo(1);
    List<WalRecord> cp = readAll(wal.resolve("checkpoint.00000001"));
    assertThat(cp).containsExactly(
        new WalRecord.Series(List.of(new RefSeries(1, Labels.of("a", "1")))),
        WalRecord.Samples.of(List.of(new RefSample(2, 200, 2.0), new RefSample(1, 300, 3.0))),
        new WalRecord.Tombstones(List.of(new RefTombstone(1, 0, 250))),
        WalRecord.Exemplars.of(List.of(new RefExemplar(1, 201, 2, Labels.EMPTY))),
        WalRecord.HistogramSamples.of(false, List.of(new RefHistogramSample(1, 250, RecordVectorsTest.expH(io.promtsdb.core.CounterResetHint.UNKNOWN, 0)))),
        WalRecord.HistogramSamples.of(true, List.of(new RefHistogramSample(1, 260, RecordVectorsTest.customH(0)))),
        new WalRecord.Metadata(List.of(new RefMetadata(1, 1, "s", "new"))));
    assertThat(stats.droppedSeries()).isEqualTo(1);
    assertThat(stats.droppedSamples()).isEqualTo(1);
    assertThat(stats.droppedTombstones()).isEqualTo(2);
    assertThat(stats.totalMetadata()).isEqualTo(3);

    // Replay: the checkpoint, then the segments after it.
    try (WalReader r = WalReader.openForReplay(wal)) {
      assertThat(r.segments()).hasSize(2);
    }
    // A later checkpoint builds on the previous one and replaces it.
    Checkpoints.create(wal, 0, 2, ref -> true, 0, true, opts);
    Checkpoints.deleteBefore(wal, 2, FileOps.DEFAULT);
    assertThat(Checkpoints.list(wal)).extracting(Checkpoints.CheckpointRef::index).containsExactly(2);
    assertThat(readAll(wal.resolve("checkpoint.00000002")).get(1)).isInstanceOf(WalRecord.SamplesV2.class);
  }

  @Test
  void fixtureCheckpointIsFound() throws IOException {
    Path wal = io.promtsdb.core.testing.TestData.fixture("p3-snappy", false).resolve("wal");
    assertThat(Checkpoints.last(wal)).get().extracting(Checkpoints.CheckpointRef::index).isEqualTo(3);
    int n = 0;
    try (WalReader r = WalReader.openForReplay(wal)) {
      assertThat(r.segments()).hasSize(5);
      while (r.next()) {
        RecordCodec.decode(r.record());
        n++;
      }
    }
    assertThat(n).isGreaterThan(2500);
  }

  @Test
  void snapshotWrittenAndReadBack(@TempDir Path data) throws IOException {
    var series = List.of(
        new SnapshotRecord.Series(1, Labels.of("__name__", "up"),
            new SnapshotRecord.HeadChunk(0, 10, 1, new byte[] {0, 1, 2}, SnapshotRecord.SampleBuf.ofLastValue(1))),
        new SnapshotRecord.Series(2, Labels.of("__name__", "x"), null));
    var tombs = new SnapshotRecord.Tombstones(List.of(new RefTombstone(1, 0, 5)));
    var ex = List.of(SnapshotRecord.Exemplars.of(List.of(new RefExemplar(1, 3, 1, Labels.of("t", "1")))));
    Files.createDirectories(data.resolve("chunk_snapshot.000001.0000000100"));
    Path dir = ChunkSnapshots.write(data, 3, 393216, series, tombs, ex, WalWriter.Options.defaults(Compression.ZSTD));
    assertThat(dir.getFileName().toString()).isEqualTo("chunk_snapshot.000003.0000393216");
    assertThat(ChunkSnapshots.list(data)).hasSize(1);
    List<SnapshotRecord> got = new ArrayList<>();
    try (WalReader r = WalReader.open(dir)) {
      while (r.next()) {
        got.add(SnapshotCodec.decode(r.record()));
      }
    }
    List<SnapshotRecord> expected = new ArrayList<>(series);
    expected.add(tombs);
    expected.addAll(ex);
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void fixtureSnapshotsAreFound() throws IOException {
    var last = ChunkSnapshots.last(io.promtsdb.core.testing.TestData.fixture("p3-none", false));
    assertThat(last).get().extracting(ChunkSnapshots.SnapshotRef::segment, ChunkSnapshots.SnapshotRef::offset)
        .containsExactly(2, 229376L);
  }
}
