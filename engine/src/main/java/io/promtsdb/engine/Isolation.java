package io.promtsdb.engine;

import java.io.InterruptedIOException;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The head's isolation state (Go's {@code isolation}): commits get increasing sequence numbers
 * once their WAL records are written; those still applying are open. A querier sees the commits
 * up to the newest assigned at its creation except the open ones.
 *
 * <p>Invariant: every sequence number in {@code openApplies} is at most {@code lastAssigned};
 * a querier registered under key k sees every commit at or below k. Series may drop ring entries
 * at or below {@link #lowWatermark()}: no open querier and no open apply needs them.
 */
final class Isolation {
  /** Guards everything below; also waited on for applies to finish. */
  private final Object lock = new Object();
  private long lastAssigned;
  private final TreeSet<Long> openApplies = new TreeSet<>();
  /** Open queriers by the newest commit below which they see everything. */
  private final TreeMap<Long, Integer> openQueriers = new TreeMap<>();
  /** Threads in {@link #awaitApplies}: {@link #finish} notifies only when there are some. */
  private int waiters;

  /** What a querier created now sees: commits up to {@code seq} except {@code incomplete}. */
  record ReadState(long seq, long[] incomplete, Runnable release) {}

  /** The sequence number the next commit would take (taken by {@link #publish} once its WAL write succeeded). */
  long nextSeq() {
    synchronized (lock) {
      return lastAssigned + 1;
    }
  }

  /**
   * Assigns {@code seq} (from {@link #nextSeq}, under the commit lock) and marks it applying.
   * Returns the {@link #lowWatermark()} with {@code seq} open, for the commit's apply: the low
   * watermark only rises (applies finish, queriers close, new queriers see at least the
   * oldest open apply), so ring entries it lets the apply drop stay droppable.
   */
  long publish(long seq) {
    synchronized (lock) {
      lastAssigned = seq;
      openApplies.add(seq);
      return lowWatermarkLocked();
    }
  }

  /** Marks {@code seq} applied (also after a failed apply, so that no one waits forever). */
  void finish(long seq) {
    synchronized (lock) {
      openApplies.remove(seq);
      if (waiters > 0) {
        lock.notifyAll();
      }
    }
  }

  /** Waits until no commit is applying (callers hold the commit lock, so none starts). */
  void awaitApplies() throws InterruptedIOException {
    synchronized (lock) {
      while (!openApplies.isEmpty()) {
        waiters++;
        try {
          lock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for commits to apply");
        } finally {
          waiters--;
        }
      }
    }
  }

  /** The newest commit that every open querier and every commit still applying sees complete. */
  long lowWatermark() {
    synchronized (lock) {
      return lowWatermarkLocked();
    }
  }

  private long lowWatermarkLocked() {
    long minOpen = openApplies.isEmpty() ? lastAssigned : openApplies.first() - 1;
    synchronized (openQueriers) {
      return openQueriers.isEmpty() ? minOpen : Math.min(minOpen, openQueriers.firstKey());
    }
  }

  /** Registers a querier; run {@link ReadState#release()} when it closes. */
  ReadState openQuerier() {
    synchronized (lock) {
      long seq = lastAssigned;
      long[] incomplete = openApplies.stream().mapToLong(Long::longValue).toArray();
      long key = incomplete.length == 0 ? seq : incomplete[0] - 1;
      synchronized (openQueriers) {
        openQueriers.merge(key, 1, Integer::sum);
      }
      Runnable release = () -> {
        synchronized (openQueriers) {
          openQueriers.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
        }
      };
      return new ReadState(seq, incomplete, release);
    }
  }
}
