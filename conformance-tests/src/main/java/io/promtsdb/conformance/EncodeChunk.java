package io.promtsdb.conformance;

import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.Sample;
import java.io.IOException;
import java.util.List;

/**
 * Capability {@code encode-chunk}: the bytes Prometheus' appender writes for the samples, in
 * one chunk, appended in order.
 */
@FunctionalInterface
public interface EncodeChunk {
  /**
   * @param header counter-reset header set on a histogram chunk before the first append (as
   *     Go's {@code SetCounterResetHeader}); a first sample hinting gauge or counter reset
   *     overrides it, as in Go. Null for float encodings.
   * @param target the Prometheus version whose bytes are wanted (2.x chunks may end with a
   *     spare zero byte)
   */
  byte[] encode(int encoding, CounterResetHint header, List<Sample> samples, PrometheusVersion target)
      throws IOException;
}
