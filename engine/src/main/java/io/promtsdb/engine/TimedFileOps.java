package io.promtsdb.engine;

import io.promtsdb.wal.FileOps;
import io.promtsdb.wal.ForwardingFileOps;
import io.promtsdb.wal.SegmentFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * File operations that count WAL segment fsyncs and their time (Prometheus' {@code
 * prometheus_tsdb_wal_fsync_duration_seconds}); everything else is passed through.
 */
final class TimedFileOps extends ForwardingFileOps {
  final AtomicLong syncs = new AtomicLong();
  final AtomicLong syncNanos = new AtomicLong();

  TimedFileOps(FileOps in) {
    super(in);
  }

  @Override
  public SegmentFile openAppend(Path file, boolean create) throws IOException {
    return new ForwardingSegmentFile(delegate.openAppend(file, create)) {
      @Override
      public void sync() throws IOException {
        long t0 = System.nanoTime();
        try {
          delegate.sync();
        } finally {
          syncNanos.addAndGet(System.nanoTime() - t0);
          syncs.incrementAndGet();
        }
      }
    };
  }
}
