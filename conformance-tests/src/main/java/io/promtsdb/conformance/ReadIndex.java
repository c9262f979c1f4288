package io.promtsdb.conformance;

import java.io.IOException;
import java.nio.file.Path;

/** Capability {@code read-index}: everything a block index holds. */
@FunctionalInterface
public interface ReadIndex {
  IndexContent read(Path index) throws IOException;
}
