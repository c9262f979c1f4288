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
  /** Standard output went away (a reader such as {@code head} closed the pipe). */
  static final class Closed extends IOException {
    Closed(IOException cause) {
      super("writing standard output: " + cause.getMessage(), cause);
    }
  }

  private final BufferedOutputStream out;
  private boolean closed;

  Output(OutputStream out) {
    this.out = new BufferedOutputStream(out, 1 << 20);
  }

  void write(CharSequence s) throws IOException {
    byte[] b = s.toString().getBytes(StandardCharsets.UTF_8);
    write(b, 0, b.length);
  }

  void write(byte[] b, int off, int len) throws IOException {
    try {
      out.write(b, off, len);
    } catch (IOException e) {
      throw failed(e);
    }
  }

  void flush() throws IOException {
    if (closed) {
      return;
    }
    try {
      out.flush();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  private IOException failed(IOException e) {
    String m = e.getMessage();
    if (m != null && m.contains("Broken pipe")) {
      closed = true;
      return new Closed(e);
    }
    return new IOException("writing standard output: " + m, e);
  }

  @Override
  public void close() throws IOException {
    flush();
  }
}
