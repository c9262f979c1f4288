package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promtsdb.core.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Go's %g float formatting and histogram String(), against output of the Go code. */
class GoFormattingTest {

  @Test
  void floatsPrintLikeGoPercentG() throws Exception {
    JsonNode v = new ObjectMapper().readTree(TestData.path("vectors/floats-go.json").toFile());
    int n = 0;
    for (JsonNode f : v.get("values")) {
      double d = Double.longBitsToDouble(Long.parseUnsignedLong(f.get("bits").asText(), 16));
      assertThat(GoFloat.formatG(d)).as("bits %s", f.get("bits").asText()).isEqualTo(f.get("g").asText());
      n++;
    }
    assertThat(n).isGreaterThan(3000);
  }

  @Test
  void java17NonShortestCasesAreFixed() {
    // Double.toString on Java 17 prints 2e23 as 1.9999999999999998E23.
    assertThat(GoFloat.formatG(2e23)).isEqualTo("2e+23");
    assertThat(GoFloat.formatG(8.41e21)).isEqualTo("8.41e+21");
  }

  @Test
  void histogramsPrintLikeGoString() throws Exception {
    JsonNode v = new ObjectMapper().readTree(TestData.path("vectors/histogram-strings-go.json").toFile());
    int ints = 0;
    int floats = 0;
    for (JsonNode h : v.get("histograms")) {
      Span[] ps = spans(h.get("positive_spans"));
      Span[] ns = spans(h.get("negative_spans"));
      double sum = Double.longBitsToDouble(Long.parseUnsignedLong(h.get("sum_bits").asText(), 16));
      String actual;
      if (h.get("float").asBoolean()) {
        actual =
            FloatHistogram.builder().schema(h.get("schema").asInt())
                .zeroThreshold(h.get("zero_threshold").asDouble()).zeroCount(h.get("zero_count").asDouble())
                .count(h.get("count").asDouble()).sum(sum)
                .positiveSpans(ps).negativeSpans(ns)
                .positiveBuckets(doubles(h.get("positive_buckets"))).negativeBuckets(doubles(h.get("negative_buckets")))
                .customValues(doubles(h.get("custom_values"))).build().toString();
        floats++;
      } else {
        actual =
            Histogram.builder().schema(h.get("schema").asInt())
                .zeroThreshold(h.get("zero_threshold").asDouble()).zeroCount((long) h.get("zero_count").asDouble())
                .count((long) h.get("count").asDouble()).sum(sum)
                .positiveSpans(ps).negativeSpans(ns)
                .positiveBuckets(longs(h.get("positive_buckets"))).negativeBuckets(longs(h.get("negative_buckets")))
                .customValues(doubles(h.get("custom_values"))).build().toString();
        ints++;
      }
      assertThat(actual).isEqualTo(h.get("string").asText());
    }
    assertThat(ints).isGreaterThan(100);
    assertThat(floats).isGreaterThan(100);
  }

  private static Span[] spans(JsonNode a) {
    List<Span> out = new ArrayList<>();
    if (a != null && a.isArray()) {
      a.forEach(s -> out.add(new Span(s.get("Offset").asInt(), s.get("Length").asInt())));
    }
    return out.toArray(new Span[0]);
  }

  private static double[] doubles(JsonNode a) {
    if (a == null || !a.isArray()) {
      return new double[0];
    }
    double[] out = new double[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asDouble();
    }
    return out;
  }

  private static long[] longs(JsonNode a) {
    double[] d = doubles(a);
    long[] out = new long[d.length];
    for (int i = 0; i < d.length; i++) {
      out[i] = (long) d[i];
    }
    return out;
  }
}
