package io.promtsdb.index;

import io.promtsdb.core.BigEndian;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A buffered, append-mostly file writer that knows its position and can patch bytes already
 * written (a length or count only known at the end of a section): in the buffer when they are
 * still there, with a positional write otherwise. Not thread-safe.
 */
final class FileSink implements Closeable {
  private final Path path;
  private final FileChannel channel;
  private final byte[] buf;
  private int n;
  // File position of buf[0].
  private long flushed;
  private final long maxSize;

  FileSink(Path path, int bufferSize, long maxSize) throws IOException {
    this.path = path;
    this.channel =
        FileChannel.open(
            path,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    this.buf = new byte[bufferSize];
    this.maxSize = maxSize;
  }

  Path path() {
    return path;
  }

  long position() {
    return flushed + n;
  }

  void write(byte[] b, int off, int len) throws IOException {
    checkSize(len);
    if (len > buf.length - n) {
      flush();
      if (len > buf.length) {
        writeFully(ByteBuffer.wrap(b, off, len), flushed);
        flushed += len;
        return;
      }
    }
    System.arraycopy(b, off, buf, n, len);
    n += len;
  }

  void write(byte[] b) throws IOException {
    write(b, 0, b.length);
  }

  void writeByte(int v) throws IOException {
    checkSize(1);
    if (n == buf.length) {
      flush();
    }
    buf[n++] = (byte) v;
  }

  void writeBe32(int v) throws IOException {
    checkSize(4);
    if (buf.length - n < 4) {
      flush();
    }
    BigEndian.putInt(buf, n, v);
    n += 4;
  }

  /** Room for {@code len} bytes written directly into {@link #buffer()} at {@link #bufferPos()}. */
  void reserve(int len) throws IOException {
    checkSize(len);
    if (buf.length - n < len) {
      flush();
    }
  }

  byte[] buffer() {
    return buf;
  }

  int bufferPos() {
    return n;
  }

  void advance(int len) {
    n += len;
  }

  /** Zero bytes up to the next multiple of {@code alignment} (Go's {@code AddPadding}). */
  void pad(int alignment) throws IOException {
    int p = (int) Math.floorMod(-position(), (long) alignment);
    if (p > 0) {
      reserve(p);
      Arrays.fill(buf, n, n + p, (byte) 0);
      n += p;
    }
  }

  /** Overwrites bytes at file position {@code pos}, which must have been written already. */
  void patch(long pos, byte[] b) throws IOException {
    if (pos < 0 || pos + b.length > position()) {
      throw new IllegalArgumentException("patch of " + b.length + " bytes at " + pos + " beyond " + position());
    }
    long end = pos + b.length;
    if (pos < flushed) {
      writeFully(ByteBuffer.wrap(b, 0, (int) (Math.min(end, flushed) - pos)), pos);
    }
    if (end > flushed) {
      int from = (int) Math.max(0, flushed - pos);
      System.arraycopy(b, from, buf, (int) (pos + from - flushed), b.length - from);
    }
  }

  void flush() throws IOException {
    if (n > 0) {
      writeFully(ByteBuffer.wrap(buf, 0, n), flushed);
      flushed += n;
      n = 0;
    }
  }

  private void writeFully(ByteBuffer b, long at) throws IOException {
    while (b.hasRemaining()) {
      at += channel.write(b, at);
    }
  }

  private void checkSize(long more) throws IOException {
    if (position() + more > maxSize) {
      throw new IOException(path + ": exceeding the maximum index size of " + maxSize + " bytes");
    }
  }

  FileChannel channel() {
    return channel;
  }

  /** Flushes and forces the content to disk. */
  void sync() throws IOException {
    flush();
    channel.force(true);
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      channel.close();
    }
  }
}
