package io.promtsdb.conformance;

import java.io.IOException;
import java.nio.file.Path;

/** Capability {@code read-block}: a block directory ({@code meta.json, index, chunks/, tombstones}). */
@FunctionalInterface
public interface ReadBlock {
  BlockContent read(Path blockDir) throws IOException;
}
