package io.promtsdb.wal;

import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import java.util.Objects;

/**
 * The entries of WAL records, Prometheus' {@code record.Ref*} types. Series references are
 * unsigned 64-bit values held in a {@code long}. Float values compare by raw bits, so NaN
 * payloads and stale markers count.
 */
public final class Refs {
  private Refs() {}

  /** A series and its labels (record type 1). */
  public record RefSeries(long ref, Labels labels) {
    public RefSeries {
      Objects.requireNonNull(labels);
    }
  }

  /**
   * A float sample of a series. {@code st} is the start timestamp (0 = none), kept only by
   * SamplesV2 records; V1 records carry none.
   */
  public record RefSample(long ref, long st, long t, double v) {
    public RefSample(long ref, long t, double v) {
      this(ref, 0, t, v);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RefSample s
          && s.ref == ref
          && s.st == st
          && s.t == t
          && Double.doubleToRawLongBits(s.v) == Double.doubleToRawLongBits(v);
    }

    @Override
    public int hashCode() {
      return Objects.hash(ref, st, t, Double.doubleToRawLongBits(v));
    }
  }

  /** An integer histogram sample. */
  public record RefHistogramSample(long ref, long st, long t, Histogram h) {
    public RefHistogramSample(long ref, long t, Histogram h) {
      this(ref, 0, t, h);
    }

    public RefHistogramSample {
      Objects.requireNonNull(h);
    }
  }

  /** A float histogram sample. */
  public record RefFloatHistogramSample(long ref, long st, long t, FloatHistogram fh) {
    public RefFloatHistogramSample(long ref, long t, FloatHistogram fh) {
      this(ref, 0, t, fh);
    }

    public RefFloatHistogramSample {
      Objects.requireNonNull(fh);
    }
  }

  /** One deleted interval of a series (record type 3 stores one entry per interval). */
  public record RefTombstone(long ref, long mint, long maxt) {}

  /** An exemplar attached to a series. */
  public record RefExemplar(long ref, long t, double v, Labels labels) {
    public RefExemplar {
      Objects.requireNonNull(labels);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof RefExemplar e
          && e.ref == ref
          && e.t == t
          && Double.doubleToRawLongBits(e.v) == Double.doubleToRawLongBits(v)
          && e.labels.equals(labels);
    }

    @Override
    public int hashCode() {
      return Objects.hash(ref, t, Double.doubleToRawLongBits(v), labels);
    }
  }

  /**
   * Says that the out-of-order samples of series {@code ref} logged so far are m-mapped in
   * the head chunk at {@code mmapRef} ({@code fileNumber << 32 | offset}, WBL only).
   */
  public record RefMmapMarker(long ref, long mmapRef) {}

  /**
   * Metadata of a series. {@code type} is the metric type byte (see {@link MetricType});
   * any byte is kept as read.
   */
  public record RefMetadata(long ref, int type, String unit, String help) {
    public RefMetadata {
      Objects.requireNonNull(unit);
      Objects.requireNonNull(help);
      if (type < 0 || type > 255) {
        throw new IllegalArgumentException("metric type must be a byte: " + type);
      }
    }
  }

  /** The metric type byte of {@link RefMetadata} ({@code record.MetricType}). */
  public enum MetricType {
    UNKNOWN(0),
    COUNTER(1),
    GAUGE(2),
    HISTOGRAM(3),
    GAUGE_HISTOGRAM(4),
    SUMMARY(5),
    INFO(6),
    STATESET(7);

    private final int code;

    MetricType(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }

    /** The type for a byte; Prometheus reads every other byte as unknown. */
    public static MetricType fromCode(int code) {
      for (MetricType t : values()) {
        if (t.code == code) {
          return t;
        }
      }
      return UNKNOWN;
    }
  }
}
