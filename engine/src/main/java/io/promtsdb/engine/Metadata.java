package io.promtsdb.engine;

import java.util.Objects;

/**
 * Metric metadata of a series (Go's {@code metadata.Metadata}).
 *
 * @param type one of Prometheus' metric types: {@code counter, gauge, histogram,
 *     gaugehistogram, summary, info, stateset, unknown}
 * @param unit the unit, possibly empty
 * @param help the help text, possibly empty
 */
public record Metadata(String type, String unit, String help) {
  public Metadata {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(help, "help");
  }

  /** The WAL's metric type byte ({@code record.GetMetricType}): unknown names are 0. */
  int typeCode() {
    return switch (type) {
      case "counter" -> 1;
      case "gauge" -> 2;
      case "histogram" -> 3;
      case "gaugehistogram" -> 4;
      case "summary" -> 5;
      case "info" -> 6;
      case "stateset" -> 7;
      default -> 0;
    };
  }
}
