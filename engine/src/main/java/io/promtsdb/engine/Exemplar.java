package io.promtsdb.engine;

import io.promtsdb.core.Labels;
import java.util.Objects;

/**
 * An exemplar (Go's {@code exemplar.Exemplar}): labels such as a trace ID, a value and a time.
 *
 * @param labels the exemplar's own labels (at most 128 UTF-8 characters in names and values)
 * @param value the exemplar value
 * @param t the timestamp in milliseconds
 */
public record Exemplar(Labels labels, double value, long t) {
  public Exemplar {
    Objects.requireNonNull(labels, "labels");
  }

  /** Equal as Prometheus compares exemplars: labels, value bits and time. */
  boolean sameAs(Exemplar o) {
    return t == o.t && Double.doubleToRawLongBits(value) == Double.doubleToRawLongBits(o.value) && labels.equals(o.labels);
  }
}
