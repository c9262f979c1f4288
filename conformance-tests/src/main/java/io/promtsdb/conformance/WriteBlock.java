package io.promtsdb.conformance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Capability {@code write-block}: one block holding exactly these series and samples, written
 * into {@code outputDir/<ULID>/} with {@code meta.json}, {@code index}, {@code chunks/} and an
 * empty {@code tombstones} file. How samples are cut into chunks is the implementation's
 * choice (Prometheus cuts float chunks at 120 samples).
 */
@FunctionalInterface
public interface WriteBlock {
  /** Returns the ULID of the block written. */
  String write(Path outputDir, List<SeriesSamples> series, PrometheusVersion target) throws IOException;
}
