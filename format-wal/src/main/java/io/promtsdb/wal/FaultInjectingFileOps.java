package io.promtsdb.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link FileOps} that makes the N-th call of an operation fail with an {@link
 * IOException}, for crash and fault tests of the writer, repair, checkpoints and the engine
 * above them. A failing write can first write part of its bytes (a torn write, as a crash
 * in the middle of {@code write(2)} leaves). Thread-safe.
 */
public final class FaultInjectingFileOps implements FileOps {
  /** The operations that can be made to fail. */
  public enum Op {
    OPEN,
    WRITE,
    SYNC,
    RENAME,
    DELETE,
    MKDIR,
    LIST
  }

  private final FileOps delegate;
  private final Map<Op, Long> calls = new EnumMap<>(Op.class);
  private final Map<Op, Long> failAt = new EnumMap<>(Op.class);
  private int tornWriteBytes = -1;

  public FaultInjectingFileOps(FileOps delegate) {
    this.delegate = delegate;
  }

  public FaultInjectingFileOps() {
    this(FileOps.DEFAULT);
  }

  /** Makes the {@code n}-th call (1-based, counted from now on) of {@code op} fail. */
  public synchronized FaultInjectingFileOps failAt(Op op, long n) {
    failAt.put(op, calls.getOrDefault(op, 0L) + n);
    return this;
  }

  /** A failing write first writes this many bytes of its buffer (at most all but one). */
  public synchronized FaultInjectingFileOps tornWrites(int bytes) {
    tornWriteBytes = bytes;
    return this;
  }

  /** Stops injecting faults. */
  public synchronized FaultInjectingFileOps heal() {
    failAt.clear();
    return this;
  }

  /** How often {@code op} was called so far. */
  public synchronized long calls(Op op) {
    return calls.getOrDefault(op, 0L);
  }

  private synchronized boolean tick(Op op) {
    long n = calls.merge(op, 1L, Long::sum);
    Long at = failAt.get(op);
    return at != null && at == n;
  }

  private void check(Op op, Object what) throws IOException {
    if (tick(op)) {
      throw new IOException("injected failure of " + op + " #" + calls(op) + " on " + what);
    }
  }

  @Override
  public SegmentFile openAppend(Path file, boolean create) throws IOException {
    check(Op.OPEN, file);
    SegmentFile f = delegate.openAppend(file, create);
    return new SegmentFile() {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (tick(Op.WRITE)) {
          int torn;
          synchronized (FaultInjectingFileOps.this) {
            torn = Math.min(tornWriteBytes, len - 1);
          }
          if (torn > 0) {
            f.write(b, off, torn);
          }
          throw new IOException("injected failure of WRITE #" + calls(Op.WRITE) + " on " + file);
        }
        f.write(b, off, len);
      }

      @Override
      public void sync() throws IOException {
        check(Op.SYNC, file);
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

  @Override
  public List<Path> list(Path dir) throws IOException {
    check(Op.LIST, dir);
    return delegate.list(dir);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    check(Op.MKDIR, dir);
    delegate.createDirectories(dir);
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    check(Op.RENAME, from + " -> " + to);
    delegate.rename(from, to);
  }

  @Override
  public void delete(Path path) throws IOException {
    check(Op.DELETE, path);
    delegate.delete(path);
  }

  @Override
  public void deleteRecursively(Path path) throws IOException {
    check(Op.DELETE, path);
    delegate.deleteRecursively(path);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    check(Op.SYNC, dir);
    delegate.syncDirectory(dir);
  }

  @Override
  public boolean exists(Path path) {
    return delegate.exists(path);
  }

  @Override
  public boolean isDirectory(Path path) {
    return delegate.isDirectory(path);
  }
}
