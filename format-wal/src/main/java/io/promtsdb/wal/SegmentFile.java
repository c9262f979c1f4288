package io.promtsdb.wal;

import java.io.Closeable;
import java.io.IOException;

/** A segment file open for appending, as the writer sees it through {@link FileOps}. */
public interface SegmentFile extends Closeable {
  /** Appends {@code len} bytes; all of them, or throws. */
  void write(byte[] b, int off, int len) throws IOException;

  /** Forces written bytes to stable storage (fsync). */
  void sync() throws IOException;

  /** Current size of the file. */
  long size() throws IOException;
}
