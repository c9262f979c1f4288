package io.promtsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer's page buffer (several pages per {@code write(2)}) and its background syncs of
 * finished segments (Go's {@code nextSegment(async=true)}).
 */
class WriterBufferingAndSyncTest {
  static final int PAGE = WalFormat.PAGE_SIZE;

  /** Records that fill many pages, some crossing pages, one larger than a page. */
  static List<byte[]> records(int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int size = i % 17 == 3 ? PAGE + 1000 : 300 + (i * 7919) % 9000;
      out.add(FramingProperties.record(size, i, i % 3 == 0));
    }
    return out;
  }

  static List<byte[]> readAll(Path dir) throws IOException {
    List<byte[]> got = new ArrayList<>();
    try (WalReader r = WalReader.open(dir)) {
      while (r.next()) {
        got.add(r.copyRecord());
      }
    }
    return got;
  }

  static List<byte[]> files(Path dir) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (Segments.SegmentRef r : Segments.list(dir, FileOps.DEFAULT)) {
      out.add(Files.readAllBytes(r.path()));
    }
    return out;
  }

  /**
   * A batch spanning many times the buffer and several segments gives the same files as one
   * record per batch: batching changes when bytes are written, never which.
   */
  @Test
  void batchesLargerThanTheBufferWriteTheSameFiles(@TempDir Path tmp) throws IOException {
    List<byte[]> recs = records(700);
    for (Compression c : Compression.values()) {
      WalWriter.Options opts =
          WalWriter.Options.defaults(c).withSegmentSize(3 * WalWriter.BUFFER_PAGES * PAGE / 2);
      Path one = tmp.resolve(c + "-one");
      Path all = tmp.resolve(c + "-all");
      try (WalWriter w = WalWriter.open(one, opts)) {
        for (byte[] r : recs) {
          w.log(r);
        }
      }
      try (WalWriter w = WalWriter.open(all, opts)) {
        w.log(recs);
      }
      List<byte[]> a = files(one);
      List<byte[]> b = files(all);
      assertThat(a).hasSizeGreaterThan(2);
      assertThat(b).hasSameSizeAs(a);
      for (int i = 0; i < a.size(); i++) {
        assertThat(b.get(i)).as(c + " segment " + i).isEqualTo(a.get(i));
        assertThat(a.get(i).length % PAGE).isZero();
      }
      List<byte[]> got = readAll(all);
      assertThat(got).hasSameSizeAs(recs);
      for (int i = 0; i < recs.size(); i++) {
        assertThat(got.get(i)).isEqualTo(recs.get(i));
      }
    }
  }

  /** Every batch reaches the file when log returns, even mid-page and mid-buffer. */
  @Test
  void everyBatchIsInTheFileWhenLogReturns(@TempDir Path tmp) throws IOException {
    List<byte[]> recs = records(120);
    try (WalWriter w = WalWriter.open(tmp, WalWriter.Options.defaults(Compression.NONE))) {
      for (int i = 0; i < recs.size(); i += 7) {
        List<byte[]> batch = recs.subList(i, Math.min(recs.size(), i + 7));
        w.log(batch);
        List<byte[]> got = new ArrayList<>();
        // The segment as another process sees it now: ends mid-page, reads as complete.
        SegmentReader r =
            SegmentReader.of("live", Files.readAllBytes(Segments.path(tmp, w.segment())));
        while (r.next()) {
          got.add(r.copyRecord());
        }
        assertThat(got).hasSize(Math.min(recs.size(), i + 7));
        assertThat(got.get(got.size() - 1)).isEqualTo(batch.get(batch.size() - 1));
      }
    }
  }

  /** Records every sync with the thread that ran it. */
  static class RecordingFileOps extends ForwardingFileOps {
    final List<String> syncs = Collections.synchronizedList(new ArrayList<>());

    RecordingFileOps(FileOps delegate) {
      super(delegate);
    }

    @Override
    public SegmentFile openAppend(Path file, boolean create) throws IOException {
      String name = file.getFileName().toString();
      return new ForwardingSegmentFile(delegate.openAppend(file, create)) {
        @Override
        public void sync() throws IOException {
          syncs.add(name + "@" + Thread.currentThread().getName());
          delegate.sync();
        }
      };
    }
  }

  @Test
  void finishedSegmentsAreSyncedInTheBackgroundAndCloseWaitsForThem(@TempDir Path tmp)
      throws IOException {
    RecordingFileOps files = new RecordingFileOps(FileOps.DEFAULT);
    WalWriter.Options opts =
        WalWriter.Options.defaults(Compression.NONE).withSegmentSize(4 * PAGE).withFiles(files);
    String me = Thread.currentThread().getName();
    int segments;
    try (WalWriter w = WalWriter.open(tmp, opts)) {
      for (byte[] r : records(60)) {
        w.log(r);
      }
      segments = w.segment() + 1;
    }
    assertThat(segments).isGreaterThan(3);
    // Each finished segment once, off the writing thread; the last one by close().
    assertThat(files.syncs).hasSize(segments);
    for (int i = 0; i < segments - 1; i++) {
      assertThat(files.syncs).contains(Segments.name(i) + "@promtsdb-wal-sync " + tmp);
    }
    assertThat(files.syncs).contains(Segments.name(segments - 1) + "@" + me);
  }

  @Test
  void syncWaitsForBackgroundSyncs(@TempDir Path tmp) throws IOException {
    RecordingFileOps files = new RecordingFileOps(FileOps.DEFAULT);
    WalWriter.Options opts =
        WalWriter.Options.defaults(Compression.NONE).withSegmentSize(2 * PAGE).withFiles(files);
    try (WalWriter w = WalWriter.open(tmp, opts)) {
      for (byte[] r : records(30)) {
        w.log(r);
      }
      int active = w.segment();
      w.sync();
      // Every finished segment and the active one are synced when sync() returns.
      for (int i = 0; i <= active; i++) {
        String name = Segments.name(i);
        assertThat(files.syncs).anyMatch(s -> s.startsWith(name + "@"));
      }
    }
  }

  @Test
  void aFailedBackgroundSyncFailsTheNextCallsAndClose(@TempDir Path tmp) throws IOException {
    FaultInjectingFileOps files = new FaultInjectingFileOps();
    WalWriter.Options opts =
        WalWriter.Options.defaults(Compression.NONE).withSegmentSize(2 * PAGE).withFiles(files);
    WalWriter w = WalWriter.open(tmp, opts);
    files.failAt(FaultInjectingFileOps.Op.SYNC, 1);
    List<byte[]> recs = records(30);
    int logged = 0;
    while (w.segment() == 0) {
      w.log(recs.get(logged++));
    }
    assertThatThrownBy(w::sync)
        .hasMessageContaining("could not be synced")
        .hasRootCauseMessage("injected failure of SYNC #1 on " + Segments.path(tmp, 0));
    assertThatThrownBy(() -> w.log(recs.get(0))).hasMessageContaining("could not be synced");
    assertThatThrownBy(w::close).hasMessageContaining("00000000: sync of finished segment failed");
    // Everything logged is still in the files.
    List<byte[]> got = readAll(tmp);
    assertThat(got).hasSize(logged);
  }

  @Test
  void everyBatchSyncsAFinishedSegmentBeforeLogReturns(@TempDir Path tmp) throws IOException {
    FaultInjectingFileOps files = new FaultInjectingFileOps();
    WalWriter.Options opts =
        WalWriter.Options.defaults(Compression.NONE)
            .withSegmentSize(2 * PAGE)
            .withFiles(files)
            .withSyncPolicy(SyncPolicy.EVERY_BATCH);
    try (WalWriter w = WalWriter.open(tmp, opts)) {
      files.failAt(FaultInjectingFileOps.Op.SYNC, 1);
      // One batch that fills segment 0 and goes on in segment 1: the sync of 0 fails in log.
      assertThatThrownBy(() -> w.log(records(30)))
          .hasMessage("injected failure of SYNC #1 on " + Segments.path(tmp, 0));
    }
  }

  /** A SegmentFile with only the array write (the interface's default buffer write copies). */
  @Test
  void segmentFilesWithoutABufferWriteGetTheSameBytes(@TempDir Path tmp) throws IOException {
    FileOps arrayOnly =
        new RecordingFileOps(FileOps.DEFAULT) {
          @Override
          public SegmentFile openAppend(Path file, boolean create) throws IOException {
            SegmentFile f = FileOps.DEFAULT.openAppend(file, create);
            return new SegmentFile() {
              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                f.write(b, off, len);
              }

              @Override
              public void sync() throws IOException {
                f.sync();
              }

              @Override
              public long size() throws IOException {
                return f.size();
              }

              @Override
              public void close() throws IOException {
                f.close();
              }
            };
          }
        };
    List<byte[]> recs = records(200);
    for (Compression c : Compression.values()) {
      WalWriter.Options opts = WalWriter.Options.defaults(c).withSegmentSize(8 * PAGE);
      try (WalWriter w = WalWriter.open(tmp.resolve(c + "-nio"), opts)) {
        w.log(recs);
      }
      try (WalWriter w = WalWriter.open(tmp.resolve(c + "-array"), opts.withFiles(arrayOnly))) {
        w.log(recs);
      }
      List<byte[]> a = files(tmp.resolve(c + "-nio"));
      List<byte[]> b = files(tmp.resolve(c + "-array"));
      assertThat(b).hasSameSizeAs(a);
      for (int i = 0; i < a.size(); i++) {
        assertThat(b.get(i)).isEqualTo(a.get(i));
      }
    }
  }

  @Test
  void nextSegmentSyncsTheFinishedSegmentItself(@TempDir Path tmp) throws IOException {
    RecordingFileOps files = new RecordingFileOps(FileOps.DEFAULT);
    WalWriter.Options opts = WalWriter.Options.defaults(Compression.SNAPPY).withFiles(files);
    try (WalWriter w = WalWriter.open(tmp, opts)) {
      w.log(records(3));
      assertThat(w.nextSegment()).isEqualTo(1);
      assertThat(files.syncs).containsExactly("00000000@" + Thread.currentThread().getName());
      assertThat(Files.size(Segments.path(tmp, 0)) % PAGE).isZero();
    }
  }
}
