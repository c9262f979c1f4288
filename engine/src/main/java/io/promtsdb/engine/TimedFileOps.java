package io.promtsdb.engine;

import io.promtsdb.wal.FileOps;
import io.promtsdb.wal.SegmentFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * File operations that count WAL segment fsyncs and their time (Prometheus' {@code
 * prometheus_tsdb_wal_fsync_duration_seconds}); everything else is passed through.
 */
final class TimedFileOps implements FileOps {
  private final FileOps in;
  final AtomicLong syncs = new AtomicLong();
  final AtomicLong syncNanos = new AtomicLong();

  TimedFileOps(FileOps in) {
    this.in = in;
  }

  @Override
  public SegmentFile openAppend(Path file, boolean create) throws IOException {
    SegmentFile f = in.openAppend(file, create);
    return new SegmentFile() {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        f.write(b, off, len);
      }

      @Override
      public void write(ByteBuffer src) throws IOException {
        f.write(src);
      }

      @Override
      public void sync() throws IOException {
        long t0 = System.nanoTime();
        try {
          f.sync();
        } finally {
          syncNanos.addAndGet(System.nanoTime() - t0);
          syncs.incrementAndGet();
        }
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

  @Override
  public List<Path> list(Path dir) throws IOException {
    return in.list(dir);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    in.createDirectories(dir);
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    in.rename(from, to);
  }

  @Override
  public void delete(Path path) throws IOException {
    in.delete(path);
  }

  @Override
  public void deleteRecursively(Path path) throws IOException {
    in.deleteRecursively(path);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    in.syncDirectory(dir);
  }

  @Override
  public boolean exists(Path path) {
    return in.exists(path);
  }

  @Override
  public boolean isDirectory(Path path) {
    return in.isDirectory(path);
  }
}
