package io.promtsdb.conformance;

import io.promtsdb.tombstones.TombstoneEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Capability {@code write-tombstones}: a tombstones file with the entries in the order given. */
@FunctionalInterface
public interface WriteTombstones {
  void write(Path file, List<TombstoneEntry> entries) throws IOException;
}
