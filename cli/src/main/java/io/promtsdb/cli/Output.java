package io.promtsdb.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output for large results: UTF-8 bytes through a 1 MiB buffer, flushed when done
 * (promtool writes each dump line with its own system call, which is most of its dump time).
 */
final class Output implements AutoCloseable {
  private final BufferedOutputStream out;

  Output(OutputStream out) {
    this.out = new BufferedOutputStream(out, 1 << 20);
  }

  void write(CharSequence s) throws IOException {
    byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
    out.write(b, 0, b.length);
  }

  void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
  }

  void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.flush();
  }
}
