package io.promtsdb.conformance;

import io.promtsdb.wal.WalRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Capability {@code read-wal}: every record of a WAL directory's segments, in order. On
 * corruption the implementation throws (naming segment and offset); records before it are not
 * compared.
 */
@FunctionalInterface
public interface ReadWal {
  /**
   * One record.
   *
   * @param segment the number of the segment the record starts in
   * @param type the record type byte
   * @param record the decoded record, or null for a type the implementation does not know
   *     (Prometheus skips those)
   */
  record Entry(int segment, int type, WalRecord record) {}

  List<Entry> read(Path dir) throws IOException;
}
