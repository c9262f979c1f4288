package io.promtsdb.engine;

import java.util.function.Consumer;

/**
 * Named points between the steps of the engine's multi-step file changes (a block written but
 * not yet renamed into place, a checkpoint created but the WAL not yet truncated, ...), where a
 * crash leaves the data dir in an intermediate state that opening must handle. Crash tests
 * install a listener that stops the process at one of them (RocksDB's sync points, reduced to a
 * callback); without a listener a point costs one volatile read.
 *
 * <p>The names are stable: tests choose among {@link #ALL}.
 */
final class CrashPoints {
  /** A block's files are complete in {@code <ulid>.tmp-for-creation}; the rename is next. */
  static final String BLOCK_WRITTEN = "block-written";
  /** A block was renamed into place; the parent directory's fsync is next. */
  static final String BLOCK_RENAMED = "block-renamed";
  /** A block was renamed to {@code <ulid>.tmp-for-deletion}; its files are still there. */
  static final String BLOCK_DELETE_RENAMED = "block-delete-renamed";
  /** A head compaction wrote its block; the head, chunk files and WAL still hold the samples. */
  static final String HEAD_BLOCK_WRITTEN = "head-block-written";
  /** A WAL checkpoint is in place; the segments it covers are not yet deleted. */
  static final String CHECKPOINT_CREATED = "checkpoint-created";
  /** The WAL segments a checkpoint covers are deleted; older checkpoints are not yet. */
  static final String WAL_TRUNCATED = "wal-truncated";

  static final java.util.List<String> ALL = java.util.List.of(BLOCK_WRITTEN, BLOCK_RENAMED, BLOCK_DELETE_RENAMED,
      HEAD_BLOCK_WRITTEN, CHECKPOINT_CREATED, WAL_TRUNCATED);

  private static volatile Consumer<String> listener;

  private CrashPoints() {}

  /** Installs the listener every point reports to (null removes it). Tests only. */
  static void listen(Consumer<String> l) {
    listener = l;
  }

  static void reach(String point) {
    Consumer<String> l = listener;
    if (l != null) {
      l.accept(point);
    }
  }
}
