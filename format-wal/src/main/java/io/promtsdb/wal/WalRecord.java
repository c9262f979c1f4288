package io.promtsdb.wal;

import io.promtsdb.wal.Refs.RefExemplar;
import io.promtsdb.wal.Refs.RefFloatHistogramSample;
import io.promtsdb.wal.Refs.RefHistogramSample;
import io.promtsdb.wal.Refs.RefMetadata;
import io.promtsdb.wal.Refs.RefMmapMarker;
import io.promtsdb.wal.Refs.RefSample;
import io.promtsdb.wal.Refs.RefSeries;
import io.promtsdb.wal.Refs.RefTombstone;
import java.util.List;

/**
 * A decoded WAL or WBL record, one variant per {@link RecordType}. {@link RecordCodec}
 * decodes and encodes them byte for byte.
 *
 * <p>The V1 record kinds with a base (samples, exemplars, histograms) keep it explicitly:
 * Prometheus takes it from the first entry of the batch it was given, which for an
 * exponential histogram record may be a custom-bucket histogram that went into the separate
 * custom-bucket record instead. {@code of(...)} factories take the first entry, as Go does
 * for a batch of one kind.
 */
public sealed interface WalRecord {
  RecordType type();

  /** Number of entries (series, samples, intervals, ...). */
  int size();

  /** Type 1: series and their labels. */
  record Series(List<RefSeries> series) implements WalRecord {
    public Series {
      series = List.copyOf(series);
    }

    @Override
    public RecordType type() {
      return RecordType.SERIES;
    }

    @Override
    public int size() {
      return series.size();
    }
  }

  /** Type 2: float samples, ref and time as deltas to a base. Start timestamps are not kept. */
  record Samples(long baseRef, long baseTime, List<RefSample> samples) implements WalRecord {
    public Samples {
      samples = List.copyOf(samples);
    }

    /** Samples based on the first sample, as Prometheus writes them. */
    public static Samples of(List<RefSample> samples) {
      return samples.isEmpty()
          ? new Samples(0, 0, samples)
          : new Samples(samples.get(0).ref(), samples.get(0).t(), samples);
    }

    @Override
    public RecordType type() {
      return RecordType.SAMPLES;
    }

    @Override
    public int size() {
      return samples.size();
    }
  }

  /** Type 11 (3.11+): float samples with start timestamps. */
  record SamplesV2(List<RefSample> samples) implements WalRecord {
    public SamplesV2 {
      samples = List.copyOf(samples);
    }

    @Override
    public RecordType type() {
      return RecordType.SAMPLES_V2;
    }

    @Override
    public int size() {
      return samples.size();
    }
  }

  /** Type 3: deleted intervals, one entry per interval. */
  record Tombstones(List<RefTombstone> tombstones) implements WalRecord {
    public Tombstones {
      tombstones = List.copyOf(tombstones);
    }

    @Override
    public RecordType type() {
      return RecordType.TOMBSTONES;
    }

    @Override
    public int size() {
      return tombstones.size();
    }
  }

  /** Type 4: exemplars, ref and time as deltas to a base. */
  record Exemplars(long baseRef, long baseTime, List<RefExemplar> exemplars) implements WalRecord {
    public Exemplars {
      exemplars = List.copyOf(exemplars);
    }

    public static Exemplars of(List<RefExemplar> exemplars) {
      return exemplars.isEmpty()
          ? new Exemplars(0, 0, exemplars)
          : new Exemplars(exemplars.get(0).ref(), exemplars.get(0).t(), exemplars);
    }

    @Override
    public RecordType type() {
      return RecordType.EXEMPLARS;
    }

    @Override
    public int size() {
      return exemplars.size();
    }
  }

  /** Type 5 (WBL only): m-map markers. */
  record MmapMarkers(List<RefMmapMarker> markers) implements WalRecord {
    public MmapMarkers {
      markers = List.copyOf(markers);
    }

    @Override
    public RecordType type() {
      return RecordType.MMAP_MARKERS;
    }

    @Override
    public int size() {
      return markers.size();
    }
  }

  /** Type 6: series metadata (type, unit, help). */
  record Metadata(List<RefMetadata> metadata) implements WalRecord {
    public Metadata {
      metadata = List.copyOf(metadata);
    }

    @Override
    public RecordType type() {
      return RecordType.METADATA;
    }

    @Override
    public int size() {
      return metadata.size();
    }
  }

  /**
   * Types 7 (exponential schemas) and 9 ({@code customBuckets}: schema -53, 3.2+): integer
   * histogram samples with deltas to a base. Start timestamps are not kept.
   */
  record HistogramSamples(
      boolean customBuckets, long baseRef, long baseTime, List<RefHistogramSample> histograms)
      implements WalRecord {
    public HistogramSamples {
      histograms = List.copyOf(histograms);
    }

    public static HistogramSamples of(boolean customBuckets, List<RefHistogramSample> hs) {
      return hs.isEmpty()
          ? new HistogramSamples(customBuckets, 0, 0, hs)
          : new HistogramSamples(customBuckets, hs.get(0).ref(), hs.get(0).t(), hs);
    }

    @Override
    public RecordType type() {
      return customBuckets
          ? RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES
          : RecordType.HISTOGRAM_SAMPLES;
    }

    @Override
    public int size() {
      return histograms.size();
    }
  }

  /** Types 8 and 10: float histogram samples; see {@link HistogramSamples}. */
  record FloatHistogramSamples(
      boolean customBuckets,
      long baseRef,
      long baseTime,
      List<RefFloatHistogramSample> histograms)
      implements WalRecord {
    public FloatHistogramSamples {
      histograms = List.copyOf(histograms);
    }

    public static FloatHistogramSamples of(
        boolean customBuckets, List<RefFloatHistogramSample> hs) {
      return hs.isEmpty()
          ? new FloatHistogramSamples(customBuckets, 0, 0, hs)
          : new FloatHistogramSamples(customBuckets, hs.get(0).ref(), hs.get(0).t(), hs);
    }

    @Override
    public RecordType type() {
      return customBuckets
          ? RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES
          : RecordType.FLOAT_HISTOGRAM_SAMPLES;
    }

    @Override
    public int size() {
      return histograms.size();
    }
  }

  /** Type 12 (3.12+): integer histogram samples with start timestamps, any schema. */
  record HistogramSamplesV2(List<RefHistogramSample> histograms) implements WalRecord {
    public HistogramSamplesV2 {
      histograms = List.copyOf(histograms);
    }

    @Override
    public RecordType type() {
      return RecordType.HISTOGRAM_SAMPLES_V2;
    }

    @Override
    public int size() {
      return histograms.size();
    }
  }

  /** Type 13 (3.12+): float histogram samples with start timestamps, any schema. */
  record FloatHistogramSamplesV2(List<RefFloatHistogramSample> histograms) implements WalRecord {
    public FloatHistogramSamplesV2 {
      histograms = List.copyOf(histograms);
    }

    @Override
    public RecordType type() {
      return RecordType.FLOAT_HISTOGRAM_SAMPLES_V2;
    }

    @Override
    public int size() {
      return histograms.size();
    }
  }
}
