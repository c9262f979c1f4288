package io.promtsdb.wal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/** A segment file open for appending, as the writer sees it through {@link FileOps}. */
public interface SegmentFile extends Closeable {
  /** Appends {@code len} bytes; all of them, or throws. */
  void write(byte[] b, int off, int len) throws IOException;

  /**
   * Appends the remaining bytes of {@code src} (all of them, or throws), advancing its
   * position. The writer hands its page buffer (direct memory) here; implementations on a
   * {@code FileChannel} write it without a copy. This default copies into an array.
   */
  default void write(ByteBuffer src) throws IOException {
    byte[] b = new byte[src.remaining()];
    src.get(b);
    write(b, 0, b.length);
  }

  /** Forces written bytes to stable storage (fsync). */
  void sync() throws IOException;

  /** Current size of the file. */
  long size() throws IOException;
}
