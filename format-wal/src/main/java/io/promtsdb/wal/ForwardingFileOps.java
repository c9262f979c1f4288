package io.promtsdb.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * File operations that pass every call to another {@link FileOps}: the base of decorators that
 * observe or alter a few calls (timing fsyncs, recording them, failing them) and must forward
 * the rest unchanged.
 */
public abstract class ForwardingFileOps implements FileOps {
  /** The operations every call not overridden goes to. */
  protected final FileOps delegate;

  protected ForwardingFileOps(FileOps delegate) {
    this.delegate = delegate;
  }

  @Override
  public SegmentFile openAppend(Path file, boolean create) throws IOException {
    return delegate.openAppend(file, create);
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    return delegate.list(dir);
  }

  @Override
  public void createDirectories(Path dir) throws IOException {
    delegate.createDirectories(dir);
  }

  @Override
  public void rename(Path from, Path to) throws IOException {
    delegate.rename(from, to);
  }

  @Override
  public void delete(Path path) throws IOException {
    delegate.delete(path);
  }

  @Override
  public void deleteRecursively(Path path) throws IOException {
    delegate.deleteRecursively(path);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
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

  /** A segment file passing every call to another; override what to observe. */
  public abstract static class ForwardingSegmentFile implements SegmentFile {
    protected final SegmentFile delegate;

    protected ForwardingSegmentFile(SegmentFile delegate) {
      this.delegate = delegate;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      delegate.write(b, off, len);
    }

    @Override
    public void write(ByteBuffer src) throws IOException {
      delegate.write(src);
    }

    @Override
    public void sync() throws IOException {
      delegate.sync();
    }

    @Override
    public long size() throws IOException {
      return delegate.size();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}
