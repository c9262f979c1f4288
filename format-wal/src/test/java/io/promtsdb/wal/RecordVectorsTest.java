package io.promtsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Span;
import io.promtsdb.wal.Refs.RefExemplar;
import io.promtsdb.wal.Refs.RefFloatHistogramSample;
import io.promtsdb.wal.Refs.RefHistogramSample;
import io.promtsdb.wal.Refs.RefMetadata;
import io.promtsdb.wal.Refs.RefMmapMarker;
import io.promtsdb.wal.Refs.RefSample;
import io.promtsdb.wal.Refs.RefSeries;
import io.promtsdb.wal.Refs.RefTombstone;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The records of {@code go-records/} (upstream main's Go encoder, see its README): our
 * encoder produces the same bytes from the same inputs, and our decoder returns the inputs.
 */
class RecordVectorsTest {
  static final double STALE = Double.longBitsToDouble(0x7ff0000000000002L);
  static final double NAN = Double.longBitsToDouble(0x7ff8000000000001L);

  static byte[] golden(String name) throws IOException {
    try (InputStream in = RecordVectorsTest.class.getResourceAsStream("/go-records/" + name + ".bin")) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  static void check(String name, WalRecord rec) throws IOException {
    byte[] g = golden(name);
    assertThat(RecordCodec.encode(rec)).as(name).isEqualTo(g);
    assertThat(RecordCodec.decode(g)).as(name).isEqualTo(rec);
  }

  static final List<RefSample> SAMPLES =
      List.of(
          new RefSample(1, 0, 1000, 1.0),
          new RefSample(1, 0, 16000, 2.0),
          new RefSample(2, 500, 1000, 5.0),
          new RefSample(3, 500, 1000, 6.0),
          new RefSample(2, 700, 900, STALE),
          new RefSample(9, 700, 1L << 41, Double.NEGATIVE_INFINITY),
          new RefSample(4, 0, -5, NAN),
          // Go's constant -0.0 is +0 (constant arithmetic is exact), so the vector has +0.
          new RefSample(4, -100, 0, 0.0));

  static Histogram expH(CounterResetHint hint, long k) {
    return Histogram.builder()
        .counterResetHint(hint)
        .schema(1)
        .zeroThreshold(0.001)
        .zeroCount(2 + k)
        .count(12 + 9 * k)
        .sum(18.4 * (k + 1))
        .positiveSpans(new Span(0, 2), new Span(1, 2))
        .positiveBuckets(k + 1, 1, -1, 0)
        .negativeSpans(new Span(-2, 1))
        .negativeBuckets(k + 2)
        .build();
  }

  static Histogram customH(long k) {
    return Histogram.builder()
        .schema(-53)
        .count(5 + k)
        .sum(12.5 + k)
        .positiveSpans(new Span(0, 3))
        .positiveBuckets(1 + k, 2, -1)
        .customValues(1, 2.5, 10)
        .build();
  }

  static final List<RefHistogramSample> HISTOGRAMS =
      List.of(
          new RefHistogramSample(10, 0, 1000, expH(CounterResetHint.NOT_COUNTER_RESET, 0)),
          new RefHistogramSample(11, 100, 1000, customH(0)),
          new RefHistogramSample(10, 100, 2000, expH(CounterResetHint.COUNTER_RESET, 1)),
          new RefHistogramSample(12, 50, 1500, customH(1)),
          new RefHistogramSample(9, 50, 3000, expH(CounterResetHint.GAUGE, 2)));

  static List<RefHistogramSample> v1(List<RefHistogramSample> l, boolean custom) {
    List<RefHistogramSample> out = new ArrayList<>();
    for (RefHistogramSample h : l) {
      if (h.h().usesCustomBuckets() == custom) {
        out.add(new RefHistogramSample(h.ref(), 0, h.t(), h.h()));
      }
    }
    return out;
  }

  @Test
  void series() throws IOException {
    check(
        "series",
        new WalRecord.Series(
            List.of(
                new RefSeries(1, Labels.of("__name__", "up", "job", "a")),
                new RefSeries(1L << 40, Labels.of("__name__", "http_requests_total", "path", "/ü", "le", "+Inf")),
                new RefSeries(3, Labels.EMPTY))));
  }

  @Test
  void samples() throws IOException {
    List<RefSample> noSt = new ArrayList<>();
    for (RefSample s : SAMPLES) {
      noSt.add(new RefSample(s.ref(), 0, s.t(), s.v()));
    }
    check("samples_v1", WalRecord.Samples.of(noSt));
    check("samples_v2", new WalRecord.SamplesV2(SAMPLES));
    check("samples_v1_empty", WalRecord.Samples.of(List.of()));
    check("samples_v2_empty", new WalRecord.SamplesV2(List.of()));
    check("samples_v2_one", new WalRecord.SamplesV2(SAMPLES.subList(2, 3)));
    // Stale marker and NaN payloads survive by bits.
    WalRecord.SamplesV2 d = (WalRecord.SamplesV2) RecordCodec.decode(golden("samples_v2"));
    assertThat(Double.doubleToRawLongBits(d.samples().get(4).v())).isEqualTo(0x7ff0000000000002L);
    assertThat(Double.doubleToRawLongBits(d.samples().get(6).v())).isEqualTo(0x7ff8000000000001L);
  }

  @Test
  void samplesV2LayoutMatchesTheNotes() throws IOException {
    // formats.md §11.4: 0b | 02 d00f 00 3ff0... | 00 b0ea01 00 4000... | 02 00 02e807 4014... | 02 00 01 4018...
    byte[] g = golden("samples_v2");
    assertThat(java.util.HexFormat.of().formatHex(g, 0, 50))
        .isEqualTo("0b02d00f003ff0000000000000" + "00b0ea01004000000000000000"
            + "020002e8074014000000000000" + "0200014018000000000000");
  }

  @Test
  void tombstones() throws IOException {
    check(
        "tombstones",
        new WalRecord.Tombstones(
            List.of(
                new RefTombstone(1, 0, 100),
                new RefTombstone(1, 200, 300),
                new RefTombstone(7, Long.MIN_VALUE, Long.MAX_VALUE))));
  }

  @Test
  void exemplars() throws IOException {
    check(
        "exemplars",
        WalRecord.Exemplars.of(
            List.of(
                new RefExemplar(5, 1000, 0.25, Labels.of("trace_id", "abc123")),
                new RefExemplar(3, 999, 1e308, Labels.EMPTY),
                new RefExemplar(5, 2000, -1, Labels.of("trace_id", "def", "span_id", "1")))));
    check("exemplars_empty", WalRecord.Exemplars.of(List.of()));
  }

  @Test
  void mmapMarkers() throws IOException {
    check(
        "mmap_markers",
        new WalRecord.MmapMarkers(
            List.of(new RefMmapMarker(1, 1L << 32 | 8), new RefMmapMarker(42, 3L << 32 | 123456))));
  }

  @Test
  void metadata() throws IOException {
    check(
        "metadata",
        new WalRecord.Metadata(
            List.of(
                new RefMetadata(1, Refs.MetricType.COUNTER.code(), "seconds", "Total time."),
                new RefMetadata(300, Refs.MetricType.GAUGE_HISTOGRAM.code(), "", ""),
                new RefMetadata(2, Refs.MetricType.STATESET.code(), "bytes", "A \"quoted\" help\ntext."))));
  }

  @Test
  void histograms() throws IOException {
    check("histograms_v1_exp", WalRecord.HistogramSamples.of(false, v1(HISTOGRAMS, false)));
    check("histograms_v1_custom", WalRecord.HistogramSamples.of(true, v1(HISTOGRAMS, true)));
    check("histograms_v2", new WalRecord.HistogramSamplesV2(HISTOGRAMS));
    check("histograms_v2_custom_only", new WalRecord.HistogramSamplesV2(HISTOGRAMS.subList(1, 2)));
    check(
        "histograms_v1_custom_of_only_custom",
        WalRecord.HistogramSamples.of(true, v1(List.of(HISTOGRAMS.get(1), HISTOGRAMS.get(3)), true)));
    // Go returns no bytes at all for an exponential record of custom-bucket histograms only.
    assertThat(golden("histograms_v1_exp_of_only_custom")).isEmpty();
    assertThatThrownBy(() -> RecordCodec.decode(golden("histograms_v1_exp_of_only_custom")))
        .isInstanceOf(UnknownRecordTypeException.class);
    // The base of a type-7 record comes from the first histogram of the batch, even a custom one.
    List<RefHistogramSample> batch = List.of(HISTOGRAMS.get(1), HISTOGRAMS.get(0), HISTOGRAMS.get(2));
    check(
        "histograms_v1_exp_base_from_custom",
        new WalRecord.HistogramSamples(false, 11, 1000, v1(batch, false)));
    check("histograms_v1_custom_after_base_from_custom", WalRecord.HistogramSamples.of(true, v1(batch, true)));
    // Our Go-compatible batch encoder reproduces the split.
    List<byte[]> split = RecordEncoder.v1().histogramSamples(batch);
    assertThat(split).hasSize(2);
    assertThat(split.get(0)).isEqualTo(golden("histograms_v1_exp_base_from_custom"));
    assertThat(split.get(1)).isEqualTo(golden("histograms_v1_custom_after_base_from_custom"));
  }

  @Test
  void floatHistograms() throws IOException {
    List<RefFloatHistogramSample> fhs = new ArrayList<>();
    for (RefHistogramSample h : HISTOGRAMS) {
      fhs.add(new RefFloatHistogramSample(h.ref(), h.st(), h.t(), h.h().toFloatHistogram()));
    }
    FloatHistogram first = fhs.get(0).fh().toBuilder().sum(STALE).build();
    fhs.set(0, new RefFloatHistogramSample(10, 0, 1000, first));
    List<RefFloatHistogramSample> exp = new ArrayList<>();
    List<RefFloatHistogramSample> custom = new ArrayList<>();
    for (RefFloatHistogramSample f : fhs) {
      (f.fh().usesCustomBuckets() ? custom : exp).add(new RefFloatHistogramSample(f.ref(), 0, f.t(), f.fh()));
    }
    check("float_histograms_v1_exp", WalRecord.FloatHistogramSamples.of(false, exp));
    check("float_histograms_v1_custom", WalRecord.FloatHistogramSamples.of(true, custom));
    check("float_histograms_v2", new WalRecord.FloatHistogramSamplesV2(fhs));
    List<byte[]> split = RecordEncoder.v1().floatHistogramSamples(fhs);
    assertThat(split.get(0)).isEqualTo(golden("float_histograms_v1_exp"));
    assertThat(split.get(1)).isEqualTo(golden("float_histograms_v1_custom"));
    assertThat(RecordEncoder.v2().floatHistogramSamples(fhs)).singleElement()
        .isEqualTo(golden("float_histograms_v2"));
  }

  @Test
  void samplesThroughTheBatchEncoder() throws IOException {
    assertThat(RecordEncoder.v2().samples(SAMPLES)).isEqualTo(golden("samples_v2"));
    assertThat(RecordEncoder.v1().samples(SAMPLES)).isEqualTo(golden("samples_v1"));
    assertThat(RecordEncoder.v2().histogramSamples(HISTOGRAMS)).singleElement()
        .isEqualTo(golden("histograms_v2"));
  }
}
