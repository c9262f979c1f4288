package io.promtsdb.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Sample;
import io.promtsdb.core.Span;
import io.promtsdb.core.Values;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The canonical JSON of the spec's conformance chapter, byte for byte. */
class JsonTest {
  @Test
  void canonicalSerialization() throws IOException {
    assertThat(Json.canonical(Json.parse("{ \"b\" : [1, -2, 18446744073709551615], \"a\": \"x\\u0001\\n\\\"\\\\/é😀\" }")))
        .isEqualTo("{\"b\":[1,-2,18446744073709551615],\"a\":\"x\\u0001\\n\\\"\\\\/é😀\"}");
    assertThat(Json.canonical(Json.parse("\"\\u001f\\b\\f\\r\\t\\u007f\""))).isEqualTo("\"\\u001f\\b\\f\\r\\t\u007f\"");
  }

  @Test
  void floatsAreBitsSoNaNPayloadsSurvive() {
    assertThat(Canonical.bits(Values.STALE_NAN)).isEqualTo("0x7ff0000000000002");
    assertThat(Canonical.bits(-0.0)).isEqualTo("0x8000000000000000");
    assertThat(Canonical.bits(1.0)).isEqualTo("0x3ff0000000000000");
    assertThat(Canonical.parseBits(Json.NODES.textNode("0x7ff8000000000001"), "$")).isEqualTo(Values.NORMAL_NAN_BITS);
    assertThatThrownBy(() -> Canonical.parseBits(Json.NODES.textNode("1.0"), "$.v")).hasMessageContaining("$.v");
  }

  @Test
  void samplesInCanonicalForm() {
    Sample f = new Sample.FloatSample(-1000, 500, Values.STALE_NAN);
    assertThat(Json.canonical(Canonical.sample(f, false))).isEqualTo("{\"t\":-1000,\"st\":500,\"v\":\"0x7ff0000000000002\"}");
    Histogram h = Histogram.builder().counterResetHint(io.promtsdb.core.CounterResetHint.GAUGE).schema(-53).count(3).sum(1.5)
        .positiveSpans(new Span(0, 2)).positiveBuckets(1, 1).customValues(0.5, Double.POSITIVE_INFINITY).build();
    assertThat(Json.canonical(Canonical.sample(new Sample.HistogramSample(7, h), true))).isEqualTo(
        "{\"t\":7,\"h\":{\"hint\":\"gauge\",\"schema\":-53,\"zero_threshold\":\"0x0000000000000000\",\"zero_count\":0,"
            + "\"count\":3,\"sum\":\"0x3ff8000000000000\",\"positive_spans\":[[0,2]],\"negative_spans\":[],"
            + "\"positive_buckets\":[1,1],\"negative_buckets\":[],\"custom_values\":[\"0x3fe0000000000000\",\"0x7ff0000000000000\"]}}");
    FloatHistogram fh = FloatHistogram.builder().schema(2).count(-0.0).build();
    Sample s = new Sample.FloatHistogramSample(1, fh);
    assertThat(Canonical.parseSample(Canonical.sample(s, false), "$")).isEqualTo(s);
    // Counts above 2^63 (uint64) round trip.
    Histogram big = Histogram.builder().count(-1L).build();
    assertThat(Json.canonical(Canonical.histogram(big, false))).contains("\"count\":18446744073709551615");
    assertThat(Canonical.parseHistogram(Canonical.histogram(big, false), "$").count()).isEqualTo(-1L);
  }

  @Test
  void labelsKeepTheirOrderAndAnyCharacter() {
    Labels l = Labels.of("__name__", "up", "é", "\"\n", "a", "");
    assertThat(Json.canonical(Canonical.labels(l))).isEqualTo("{\"__name__\":\"up\",\"a\":\"\",\"é\":\"\\\"\\n\"}");
    assertThat(Canonical.parseLabels(Canonical.labels(l), "$")).isEqualTo(l);
  }

  @Test
  void differencesNameThePath() throws IOException {
    assertThat(Json.difference(Json.parse("{\"a\":[1,{\"b\":\"x\"}]}"), Json.parse("{\"a\":[1,{\"b\":\"y\"}]}")))
        .isEqualTo("$.a[1].b: \"y\" vs expected \"x\"");
    assertThat(Json.difference(Json.parse("{\"a\":1,\"b\":2}"), Json.parse("{\"b\":2,\"a\":1}"))).isNull();
    assertThat(Json.difference(Json.parse("[1,2]"), Json.parse("[1]"))).contains("1 elements vs expected 2");
    assertThat(Json.difference(Json.parse("{\"n\":18446744073709551615}"), Json.parse("{\"n\":-1}"))).contains("$.n");
    assertThat(Json.difference(Json.parse("{}"), Json.parse("{\"x\":1}"))).contains("unexpected member(s) [x]");
  }

  @Test
  void versionRanges() {
    PrometheusVersion.Range r = PrometheusVersion.Range.parse(">=2.42.0 <3.7.0");
    assertThat(r.contains("2.42.0")).isTrue();
    assertThat(r.contains("3.6.9")).isTrue();
    assertThat(r.contains("3.7.0")).isFalse();
    assertThat(r.bestTarget(List.of("2.53.3", "3.5.3", "3.14.0"))).isEqualTo("3.5.3");
    assertThat(PrometheusVersion.Range.parse("*").contains("1.0.0")).isTrue();
    assertThat(PrometheusVersion.Range.parse("3.5.3").bestTarget(List.of("3.5.3"))).isEqualTo("3.5.3");
    assertThat(ErrorKind.CHECKSUM_MISMATCH.satisfies(ErrorKind.CORRUPT)).isTrue();
    assertThat(ErrorKind.CORRUPT.satisfies(ErrorKind.CHECKSUM_MISMATCH)).isFalse();
    assertThat(ErrorKind.CRASH.satisfies(ErrorKind.CORRUPT)).isFalse();
  }

  @Test
  void promtoolsDumpLoopsAreEmulated() {
    Sample f1 = new Sample.FloatSample(1, 1);
    Sample f2 = new Sample.FloatSample(2, 2);
    Sample h3 = new Sample.HistogramSample(3, Histogram.builder().build());
    Sample h4 = new Sample.HistogramSample(4, Histogram.builder().build());
    Sample h5 = new Sample.HistogramSample(5, Histogram.builder().build());
    Sample fh6 = new Sample.FloatHistogramSample(6, FloatHistogram.builder().build());
    Sample fh7 = new Sample.FloatHistogramSample(7, FloatHistogram.builder().build());
    // Integer histograms: the first two are consumed by the float and float-histogram loops.
    assertThat(DumpText.printedByPromtool(List.of(h3, h4, h5))).containsExactly(h5);
    // Float histograms: the first is consumed by the float loop.
    assertThat(DumpText.printedByPromtool(List.of(fh6, fh7))).containsExactly(fh7);
    // Floats, then integer histograms: the first histogram ends the float loop, the second the
    // float-histogram loop.
    assertThat(DumpText.printedByPromtool(List.of(f1, f2, h3, h4, h5))).containsExactly(f1, f2, h5);
    // Floats then float histograms: printed, except the one that ended the float loop.
    assertThat(DumpText.printedByPromtool(List.of(f1, fh6, fh7, f2))).containsExactly(f1, fh7);
  }
}
