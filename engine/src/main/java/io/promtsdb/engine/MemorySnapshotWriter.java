package io.promtsdb.engine;

import io.promtsdb.chunks.HeadChunkWriter;
import io.promtsdb.chunks.ValueType;
import io.promtsdb.wal.Refs;
import io.promtsdb.wal.WalWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes the head's memory snapshot ({@code chunk_snapshot.N.M}) on shutdown. */
final class MemorySnapshotWriter {
  private MemorySnapshotWriter() {}

  /**
   * Go's {@code Head.ChunkSnapshot} on shutdown: every series with its open head chunk (and the
   * chunk's last value), the tombstones and the exemplars, named after the WAL position it
   * covers; a restart loads it and replays only the WAL after that position. The m-mapped chunks
   * are in the head chunk files already, out-of-order data in the WBL.
   */
  static void write(Path dir, Head head, HeadChunkWriter chunkWriter, ExemplarStorage exemplars, WalWriter wal,
      WalWriter.Options walOptions) throws IOException {
    chunkWriter.flush();
    List<io.promtsdb.wal.SnapshotRecord.Series> series = new ArrayList<>();
    List<MemSeries> all = new ArrayList<>();
    head.series.forEachValue(all::add);
    for (MemSeries s : all) {
      MemChunk c = s.headChunk();
      io.promtsdb.wal.SnapshotRecord.HeadChunk hc = null;
      if (c != null && c.numSamples() > 0) {
        io.promtsdb.chunks.Chunk ch = c.chunk();
        SampleIterator it = ChunkSampleIterator.of(ch, null);
        ValueType last = ValueType.NONE;
        for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
          last = vt;
        }
        io.promtsdb.wal.SnapshotRecord.LastValue lv = switch (last) {
          case HISTOGRAM -> new io.promtsdb.wal.SnapshotRecord.LastHistogram(it.atHistogram());
          case FLOAT_HISTOGRAM -> new io.promtsdb.wal.SnapshotRecord.LastFloatHistogram(it.atFloatHistogram());
          default -> io.promtsdb.wal.SnapshotRecord.SampleBuf.ofLastValue(it.atValue());
        };
        hc = new io.promtsdb.wal.SnapshotRecord.HeadChunk(
            c.minTime, c.maxTime, ch.encoding().wireByte(), ch.copyBytes(), lv);
      }
      series.add(new io.promtsdb.wal.SnapshotRecord.Series(s.ref, s.labels, hc));
    }
    List<Refs.RefTombstone> stones = new ArrayList<>();
    head.tombstones.forEach((ref, iv) -> {
      for (int i = 0; i < iv.size(); i++) {
        stones.add(new Refs.RefTombstone(ref, iv.mint(i), iv.maxt(i)));
      }
    });
    List<io.promtsdb.wal.SnapshotRecord.Exemplars> ex = new ArrayList<>();
    if (exemplars != null) {
      List<Refs.RefExemplar> buf = new ArrayList<>();
      exemplars.select(Long.MIN_VALUE, Long.MAX_VALUE, List.of()).forEach((l, es) -> {
        MemSeries s = head.byLabels.get(l);
        if (s != null) {
          for (Exemplar e : es) {
            buf.add(new Refs.RefExemplar(s.ref, e.t(), e.value(), e.labels()));
          }
        }
      });
      for (int i = 0; i < buf.size(); i += io.promtsdb.wal.ChunkSnapshots.MAX_EXEMPLARS_PER_RECORD) {
        ex.add(io.promtsdb.wal.SnapshotRecord.Exemplars.of(
            buf.subList(i, Math.min(buf.size(), i + io.promtsdb.wal.ChunkSnapshots.MAX_EXEMPLARS_PER_RECORD))));
      }
    }
    long[] pos = wal.lastSegmentAndOffset();
    io.promtsdb.wal.ChunkSnapshots.write(dir, (int) pos[0], pos[1], series,
        new io.promtsdb.wal.SnapshotRecord.Tombstones(stones), ex, walOptions);
  }
}
