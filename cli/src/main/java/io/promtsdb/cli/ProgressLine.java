package io.promtsdb.cli;

import io.promtsdb.engine.Progress;
import java.io.PrintStream;

/** A one-line progress display on a terminal's stderr, redrawn at most ten times a second. */
final class ProgressLine implements Progress {
  private final PrintStream err;
  private long lastDraw;

  ProgressLine(PrintStream err) {
    this.err = err;
  }

  @Override
  public void update(String what, long done, long total) {
    long now = System.nanoTime();
    if (now - lastDraw < 100_000_000L && done != total) {
      return;
    }
    lastDraw = now;
    String line = total > 0 ? String.format("%s: %d/%d (%d%%)", what, done, total, done * 100 / total) : what + ": " + done;
    err.print("\r" + line + "\u001b[K");
    err.flush();
  }

  @Override
  public void done(String what) {
    err.print("\r\u001b[K");
    err.flush();
  }
}
