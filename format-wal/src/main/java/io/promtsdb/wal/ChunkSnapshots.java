package io.promtsdb.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Memory snapshot directories, {@code chunk_snapshot.NNNNNN.OOOOOOOOOO} in the data
 * directory: N is the last WAL segment and O the byte offset in it up to which the snapshot
 * covers the WAL ({@link WalWriter#lastSegmentAndOffset()}). The content is one WAL-format
 * segment (or more) of {@link SnapshotRecord}s: all series, then one tombstones record, then
 * exemplar records of at most 10 000 exemplars each.
 */
public final class ChunkSnapshots {
  public static final String PREFIX = "chunk_snapshot.";
  /** Exemplars per record, as Prometheus writes them. */
  public static final int MAX_EXEMPLARS_PER_RECORD = 10_000;

  private ChunkSnapshots() {}

  /** A snapshot directory with the WAL position it covers. */
  public record SnapshotRef(int segment, long offset, Path path) {}

  /** {@code chunk_snapshot.000003.0000393216}. */
  public static String dirName(int segment, long offset) {
    return String.format("%s%06d.%010d", PREFIX, segment, offset);
  }

  /** Snapshots in {@code dataDir}, oldest first (by segment, then offset). */
  public static List<SnapshotRef> list(Path dataDir) throws IOException {
    List<SnapshotRef> out = new ArrayList<>();
    for (Path p : FileOps.DEFAULT.list(dataDir)) {
      String name = p.getFileName().toString();
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      if (!FileOps.DEFAULT.isDirectory(p)) {
        throw new IOException("chunk snapshot " + name + " is not a directory");
      }
      String[] parts = name.substring(PREFIX.length()).split("\\.", -1);
      if (parts.length != 2) {
        continue;
      }
      Integer seg = Segments.parseIndex(parts[0]);
      Integer off = Segments.parseIndex(parts[1]);
      if (seg != null && off != null) {
        out.add(new SnapshotRef(seg, off, p));
      }
    }
    out.sort(Comparator.comparingInt(SnapshotRef::segment).thenComparingLong(SnapshotRef::offset));
    return out;
  }

  /** The newest snapshot (Go's {@code LastChunkSnapshot}). */
  public static Optional<SnapshotRef> last(Path dataDir) throws IOException {
    List<SnapshotRef> all = list(dataDir);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** Deletes snapshots older than (segment, offset) (Go's {@code DeleteChunkSnapshots}). */
  public static void deleteBefore(Path dataDir, int segment, long offset, FileOps files)
      throws IOException {
    for (SnapshotRef s : list(dataDir)) {
      if (s.segment() < segment || (s.segment() == segment && s.offset() < offset)) {
        files.deleteRecursively(s.path());
      }
    }
  }

  /**
   * Writes a snapshot as Prometheus does: into {@code NAME.tmp} with a WAL writer (same
   * segment format and compression), then renamed into place; older snapshots are deleted.
   * {@code series} are written in one batch with {@code tombstones}, then each exemplars
   * record on its own.
   */
  public static Path write(
      Path dataDir,
      int walSegment,
      long walOffset,
      List<SnapshotRecord.Series> series,
      SnapshotRecord.Tombstones tombstones,
      List<SnapshotRecord.Exemplars> exemplars,
      WalWriter.Options options)
      throws IOException {
    FileOps files = options.files();
    Path dir = dataDir.resolve(dirName(walSegment, walOffset));
    Path tmp = dataDir.resolve(dirName(walSegment, walOffset) + ".tmp");
    files.createDirectories(tmp);
    boolean done = false;
    try (WalWriter w = WalWriter.open(tmp, options)) {
      List<byte[]> batch = new ArrayList<>(series.size() + 1);
      for (SnapshotRecord.Series s : series) {
        batch.add(SnapshotCodec.encode(s));
      }
      batch.add(SnapshotCodec.encode(tombstones));
      w.log(batch);
      for (SnapshotRecord.Exemplars e : exemplars) {
        w.log(SnapshotCodec.encode(e));
      }
      done = true;
    } finally {
      if (!done) {
        files.deleteRecursively(tmp);
      }
    }
    files.rename(tmp, dir);
    files.syncDirectory(dataDir);
    deleteBefore(dataDir, walSegment, walOffset, files);
    return dir;
  }
}
