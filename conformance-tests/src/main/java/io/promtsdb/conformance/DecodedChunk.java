package io.promtsdb.conformance;

import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.Sample;
import java.util.List;

/**
 * The content of a chunk.
 *
 * @param samples every sample in order; histogram hints are not compared (the header is)
 * @param header the counter-reset header of a histogram chunk (encodings 2, 3, 5, 6), null for
 *     float chunks
 */
public record DecodedChunk(List<Sample> samples, CounterResetHint header) {
  public DecodedChunk {
    samples = List.copyOf(samples);
  }
}
