package io.promtsdb.wal;

/** When the writer forces segment data to stable storage (fsync). */
public enum SyncPolicy {
  /**
   * Prometheus' behaviour: a segment is synced when it is finished (the writer moves to the
   * next one) and when the writer is closed, never per write. Data of the active segment
   * survives a process crash (it is in the page cache) but not a machine crash unless the
   * caller calls {@link WalWriter#sync()}.
   */
  ON_SEGMENT_END,
  /** Also sync after every {@link WalWriter#log} batch: no acknowledged batch is lost. */
  EVERY_BATCH
}
