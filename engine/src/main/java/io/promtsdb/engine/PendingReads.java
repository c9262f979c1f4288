package io.promtsdb.engine;

import java.io.InterruptedIOException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The time ranges of the head queriers still open, so that head truncation can wait for those
 * reading what it is about to drop (Go's {@code Head.WaitForPendingReadersInTimeRange}, which
 * looks at the open isolation states' {@code mint} and {@code maxt}). Thread-safe.
 */
final class PendingReads {
  /** One open querier's closed interval {@code [mint, maxt]}. */
  static final class Read {
    final long mint;
    final long maxt;

    private Read(long mint, long maxt) {
      this.mint = mint;
      this.maxt = maxt;
    }
  }

  private final Map<Read, Boolean> open = new IdentityHashMap<>();

  /** Registers a querier over {@code [mint, maxt]}; {@link #close} it when the querier closes. */
  synchronized Read open(long mint, long maxt) {
    Read r = new Read(mint, maxt);
    open.put(r, Boolean.TRUE);
    return r;
  }

  /** Ends a read; a second call for the same read does nothing. */
  synchronized void close(Read r) {
    if (open.remove(r) != null) {
      notifyAll();
    }
  }

  synchronized int size() {
    return open.size();
  }

  /**
   * Waits until no open read overlaps {@code [mint, maxt]} (a closed interval). Like Go's, it
   * waits as long as it takes: a thread that keeps such a querier open while it compacts waits
   * for itself.
   */
  synchronized void awaitNoneOverlapping(long mint, long maxt) throws InterruptedIOException {
    while (overlapping(mint, maxt)) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for queriers of [" + mint + ", " + maxt + "]");
      }
    }
  }

  private boolean overlapping(long mint, long maxt) {
    for (Read r : open.keySet()) {
      if (r.mint <= maxt && mint <= r.maxt) {
        return true;
      }
    }
    return false;
  }
}
