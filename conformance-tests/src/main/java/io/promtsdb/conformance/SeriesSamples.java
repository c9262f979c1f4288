package io.promtsdb.conformance;

import io.promtsdb.core.Labels;
import io.promtsdb.core.Sample;
import java.util.List;

/** A series and its samples in time order: the unit of dumps and of block writing. */
public record SeriesSamples(Labels labels, List<Sample> samples) {
  public SeriesSamples {
    samples = List.copyOf(samples);
  }
}
