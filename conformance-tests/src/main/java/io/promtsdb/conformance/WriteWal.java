package io.promtsdb.conformance;

import io.promtsdb.wal.WalRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Capability {@code write-wal}: a fresh WAL directory holding {@code records}, each logged
 * with its own call as Prometheus' {@code WL.Log(rec)}, then closed.
 */
@FunctionalInterface
public interface WriteWal {
  /**
   * @param compression {@code none}, {@code snappy} or {@code zstd}
   * @param segmentSize the segment size in bytes (a multiple of 32 KiB)
   */
  void write(Path dir, List<WalRecord> records, String compression, int segmentSize) throws IOException;
}
