package io.promtsdb.engine;

/**
 * Receives progress of long-running work (WAL replay, integrity checks), e.g. to draw a
 * progress line on a terminal. Called from the working thread; must be quick.
 */
public interface Progress {

  /** Work on {@code what} has advanced to {@code done} of {@code total} units (total may be 0 if unknown). */
  void update(String what, long done, long total);

  /** Work on {@code what} is finished. */
  default void done(String what) {}

  /** Ignores everything. */
  Progress NONE = (what, done, total) -> {};
}
