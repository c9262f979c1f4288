package io.promtsdb.conformance;

import io.promtsdb.tombstones.TombstoneEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Capability {@code read-tombstones}: the deleted intervals of a tombstones file as Prometheus'
 * reader holds them: merged per series (overlapping and adjacent intervals joined, as {@code
 * AddInterval} does), series ascending by reference (unsigned), intervals ascending.
 */
@FunctionalInterface
public interface ReadTombstones {
  List<TombstoneEntry> read(Path file) throws IOException;
}
