package io.promtsdb.conformance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Capability {@code list-blocks}: what {@code promtool tsdb list} shows of a data directory. */
@FunctionalInterface
public interface ListBlocks {
  List<BlockInfo> list(Path dataDir) throws IOException;
}
