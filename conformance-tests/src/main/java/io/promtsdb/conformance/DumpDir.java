package io.promtsdb.conformance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Capability {@code dump-dir}: what {@code promtool tsdb dump} prints for a data directory
 * (blocks, head from WAL and head chunks, out-of-order data, tombstones applied), as series
 * sorted by labels with samples in time order, without modifying the directory.
 */
@FunctionalInterface
public interface DumpDir {
  List<SeriesSamples> dump(Path dataDir, long minTime, long maxTime) throws IOException;
}
