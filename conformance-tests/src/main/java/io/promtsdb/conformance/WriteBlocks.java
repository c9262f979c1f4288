package io.promtsdb.conformance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Capability {@code write-blocks}: {@code promtool tsdb create-blocks-from openmetrics FILE
 * DIR}: blocks in {@code outputDir} holding the samples of an OpenMetrics text file, as the
 * promtool of {@code target} writes them (2.x: chunks with the spare trailing byte).
 */
@FunctionalInterface
public interface WriteBlocks {
  /** Returns the ULIDs of the blocks written. */
  List<String> write(Path openMetrics, Path outputDir, PrometheusVersion target) throws IOException;
}
