package io.promtsdb.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Standard output for large results: UTF-8 through a 1 MiB buffer, flushed when done (promtool
 * writes each dump line with its own system call, which is most of its dump time).
 */
final class Output implements AutoCloseable {
  private final Writer w;

  Output(OutputStream out) {
    this.w = new OutputStreamWriter(new BufferedOutputStream(out, 1 << 20), StandardCharsets.UTF_8);
  }

  void write(CharSequence s) throws IOException {
    w.append(s);
  }

  void flush() throws IOException {
    w.flush();
  }

  @Override
  public void close() throws IOException {
    w.flush();
  }
}
