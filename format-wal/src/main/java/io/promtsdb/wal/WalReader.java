package io.promtsdb.wal;

import io.promtsdb.core.ByteSource;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the records of a sequence of segments, one segment after the other, as Prometheus
 * replays a log: optionally the newest checkpoint first, then the WAL segments after it.
 * Records never span segments, so each segment is read on its own and a record torn at the
 * end of a segment is reported in that segment ({@link WalCorruptionException} names
 * directory, segment and offset: hand it to {@link WalWriter#repair}).
 */
public final class WalReader implements Closeable {
  private final List<Segments.SegmentRef> segments;
  private int next;
  private SegmentReader current;

  private WalReader(List<Segments.SegmentRef> segments) {
    this.segments = segments;
  }

  /** All segments of {@code dir}. */
  public static WalReader open(Path dir) throws IOException {
    return open(dir, -1, -1);
  }

  /** Segments {@code first..last} of {@code dir}; -1 leaves that end open. */
  public static WalReader open(Path dir, int first, int last) throws IOException {
    return new WalReader(select(dir, first, last));
  }

  /**
   * What Prometheus replays from a WAL directory: the segments of the newest checkpoint
   * (if any), then the WAL segments numbered after it.
   */
  public static WalReader openForReplay(Path walDir) throws IOException {
    List<Segments.SegmentRef> all = new ArrayList<>();
    Optional<Checkpoints.CheckpointRef> cp = Checkpoints.last(walDir);
    int from = -1;
    if (cp.isPresent()) {
      all.addAll(Segments.list(cp.get().path()));
      from = cp.get().index() + 1;
    }
    all.addAll(select(walDir, from, -1));
    return new WalReader(all);
  }

  static List<Segments.SegmentRef> select(Path dir, int first, int last) throws IOException {
    List<Segments.SegmentRef> out = new ArrayList<>();
    for (Segments.SegmentRef r : Segments.list(dir)) {
      if (first >= 0 && r.index() < first) {
        continue;
      }
      if (last >= 0 && r.index() > last) {
        break;
      }
      out.add(r);
    }
    return out;
  }

  /** The segments this reader visits, in order. */
  public List<Segments.SegmentRef> segments() {
    return List.copyOf(segments);
  }

  /** Advances to the next record; false after the last record of the last segment. */
  public boolean next() throws IOException {
    while (true) {
      if (current != null && current.next()) {
        return true;
      }
      if (current != null) {
        current.close();
        current = null;
      }
      if (next >= segments.size()) {
        return false;
      }
      current = SegmentReader.open(segments.get(next++).path());
    }
  }

  public ByteSource record() {
    return current.record();
  }

  public byte[] copyRecord() {
    return current.copyRecord();
  }

  /** Number of the segment holding the current record. */
  public int segment() {
    return current.segment();
  }

  /** Directory of the segment holding the current record. */
  public String dir() {
    return current.dir();
  }

  public long recordOffset() {
    return current.recordOffset();
  }

  @Override
  public void close() throws IOException {
    if (current != null) {
      current.close();
      current = null;
    }
  }
}
