package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Sample;
import io.promtsdb.core.Span;
import io.promtsdb.core.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code testdata/vectors/appender-main.json} (upstream main, {@code cmd/chunkvec}): histogram
 * sequences run through Go's {@code AppendHistogram}/{@code AppendFloatHistogram} with their
 * full logic. Our appenders must take the same decision at every sample (append, recode, cut,
 * reject) and produce the same chunks byte for byte. Also the stale-marker and start-timestamp
 * edge cases of XOR/XOR2, zero thresholds, custom bounds and reserved schemas.
 */
class AppenderVectorsTest {

  @TestFactory
  Stream<DynamicTest> vectors() throws Exception {
    JsonNode root = new ObjectMapper().readTree(TestData.path("vectors/appender-main.json").toFile());
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode v : root.get("vectors")) {
      String name = v.get("name").asText();
      ChunkEncoding enc = ChunkEncoding.forWireByte(v.get("encoding").asInt());
      if (v.has("steps")) {
        tests.add(DynamicTest.dynamicTest(name, () -> runSequence(v, enc)));
      } else if (v.has("decoded")) {
        tests.add(DynamicTest.dynamicTest(name, () -> {
          Chunk c = Chunk.wrap(enc, Hex.decode(v.get("chunk_hex").asText()));
          List<Sample> want = samples(v.get("decoded"));
          assertThat(c.samples()).containsExactlyElementsOf(want);
          // The stored (unreduced) samples encode back to the chunk.
          Chunk again = ChunkEncoder.encode(enc, samples(v.get("samples")));
          assertThat(Hex.encode(again)).isEqualTo(v.get("chunk_hex").asText());
        }));
      } else {
        tests.add(DynamicTest.dynamicTest(name, () -> {
          List<Sample> s = samples(v.get("samples"));
          Chunk c = ChunkEncoder.encode(enc, s);
          assertThat(Hex.encode(c)).isEqualTo(v.get("chunk_hex").asText());
          Chunk d = Chunk.wrap(enc, Hex.decode(v.get("chunk_hex").asText()));
          assertThat(d.samples()).containsExactlyElementsOf(GoVectorsTest.expectedDecoded(d, s));
        }));
      }
    }
    assertThat(tests).hasSizeGreaterThan(150);
    return tests.stream();
  }

  /** Go's harness in cmd/chunkvec, step for step. */
  private static void runSequence(JsonNode v, ChunkEncoding enc) throws Exception {
    boolean appendOnly = v.path("append_only").asBoolean(false);
    boolean isFloat = enc.valueType() == ValueType.FLOAT_HISTOGRAM;
    List<Chunk> done = new ArrayList<>();
    HistogramAppender ia = isFloat ? null : HistogramAppender.create(enc);
    FloatHistogramAppender fa = isFloat ? FloatHistogramAppender.create(enc) : null;
    HistogramAppender iprev = null;
    FloatHistogramAppender fprev = null;
    JsonNode steps = v.get("steps");
    int i = 0;
    for (JsonNode s : v.get("samples")) {
      long st = s.path("st").asLong(0);
      long t = s.get("t").asLong();
      if (s.path("cut_before").asBoolean(false)) {
        if (isFloat && fa.numSamples() > 0) {
          done.add(fa.chunk());
          fprev = fa;
          fa = FloatHistogramAppender.create(enc);
        } else if (!isFloat && ia.numSamples() > 0) {
          done.add(ia.chunk());
          iprev = ia;
          ia = HistogramAppender.create(enc);
        }
      }
      AppendResult.Outcome outcome;
      Chunk current;
      if (isFloat) {
        FloatHistogramAppender p = fa.numSamples() == 0 ? fprev : null;
        Chunk before = fa.chunk();
        AppendResult<FloatHistogramAppender> r =
            fa.appendFloatHistogram(p, st, t, floatHistogram(s.get("float_histogram")), appendOnly);
        outcome = r.outcome();
        if (outcome == AppendResult.Outcome.NEW_CHUNK) {
          done.add(before);
        }
        fa = r.appender();
        current = fa.chunk();
      } else {
        HistogramAppender p = ia.numSamples() == 0 ? iprev : null;
        Chunk before = ia.chunk();
        AppendResult<HistogramAppender> r =
            ia.appendHistogram(p, st, t, histogram(s.get("histogram")), appendOnly);
        outcome = r.outcome();
        if (outcome == AppendResult.Outcome.NEW_CHUNK) {
          done.add(before);
        }
        ia = r.appender();
        current = ia.chunk();
      }
      JsonNode step = steps.get(i);
      assertThat(outcome.name().toLowerCase()).as("outcome of sample %d", i).isEqualTo(step.get("outcome").asText());
      if (step.has("chunk_hex")) {
        assertThat(Hex.encode(current)).as("chunk after sample %d", i).isEqualTo(step.get("chunk_hex").asText());
      }
      i++;
    }
    done.add(isFloat ? fa.chunk() : ia.chunk());
    List<String> got = new ArrayList<>();
    for (Chunk c : done) {
      if (c.numSamples() > 0) {
        got.add(Hex.encode(c));
      }
    }
    List<String> want = new ArrayList<>();
    v.get("chunks").forEach(c -> want.add(c.asText()));
    assertThat(got).containsExactlyElementsOf(want);
  }

  static List<Sample> samples(JsonNode arr) {
    List<Sample> out = new ArrayList<>();
    for (JsonNode s : arr) {
      long st = s.path("st").asLong(0);
      long t = s.get("t").asLong();
      if (s.has("value_bits")) {
        out.add(new Sample.FloatSample(t, st, Double.longBitsToDouble(Long.parseUnsignedLong(s.get("value_bits").asText(), 16))));
      } else if (s.has("histogram")) {
        out.add(new Sample.HistogramSample(t, st, histogram(s.get("histogram"))));
      } else {
        out.add(new Sample.FloatHistogramSample(t, st, floatHistogram(s.get("float_histogram"))));
      }
    }
    return out;
  }

  private static double bits(JsonNode n) {
    return Double.longBitsToDouble(Long.parseUnsignedLong(n.asText(), 16));
  }

  private static Span[] spans(JsonNode n) {
    Span[] out = new Span[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new Span(n.get(i).get(0).asInt(), n.get(i).get(1).asInt());
    }
    return out;
  }

  private static double[] bitsArray(JsonNode n) {
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = bits(n.get(i));
    }
    return out;
  }

  private static long[] longs(JsonNode n) {
    long[] out = new long[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = Long.parseLong(n.get(i).asText());
    }
    return out;
  }

  static Histogram histogram(JsonNode h) {
    return Histogram.builder()
        .counterResetHint(CounterResetHint.fromCode(h.get("hint").asInt()))
        .schema(h.get("schema").asInt())
        .zeroThreshold(bits(h.get("zero_threshold_bits")))
        .zeroCount(Long.parseUnsignedLong(h.get("zero_count").asText()))
        .count(Long.parseUnsignedLong(h.get("count").asText()))
        .sum(bits(h.get("sum_bits")))
        .positiveSpans(spans(h.get("positive_spans")))
        .negativeSpans(spans(h.get("negative_spans")))
        .positiveBuckets(longs(h.get("positive_buckets")))
        .negativeBuckets(longs(h.get("negative_buckets")))
        .customValues(bitsArray(h.get("custom_values_bits")))
        .build();
  }

  static FloatHistogram floatHistogram(JsonNode h) {
    return FloatHistogram.builder()
        .counterResetHint(CounterResetHint.fromCode(h.get("hint").asInt()))
        .schema(h.get("schema").asInt())
        .zeroThreshold(bits(h.get("zero_threshold_bits")))
        .zeroCount(bits(h.get("zero_count")))
        .count(bits(h.get("count")))
        .sum(bits(h.get("sum_bits")))
        .positiveSpans(spans(h.get("positive_spans")))
        .negativeSpans(spans(h.get("negative_spans")))
        .positiveBuckets(bitsArray(h.get("positive_buckets")))
        .negativeBuckets(bitsArray(h.get("negative_buckets")))
        .customValues(bitsArray(h.get("custom_values_bits")))
        .build();
  }
}
