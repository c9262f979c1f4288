package io.promtsdb.conformance;

import io.promtsdb.core.Labels;
import io.promtsdb.index.ChunkMeta;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Capability {@code write-index}: the index Prometheus' {@code index.Writer} writes after
 * {@code AddSymbol} of every symbol and {@code AddSeries} of every series, in the order given.
 */
@FunctionalInterface
public interface WriteIndex {
  /** A series to add: its labels and chunk metas. */
  record Series(Labels labels, List<ChunkMeta> chunks) {
    public Series {
      chunks = List.copyOf(chunks);
    }
  }

  /**
   * @param target 3.7.0 and later write no label index sections; earlier versions do
   */
  void write(Path output, List<String> symbols, List<Series> series, PrometheusVersion target)
      throws IOException;
}
