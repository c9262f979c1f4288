package io.promtsdb.chunks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Sample;
import io.promtsdb.core.Span;
import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The Go-emitted chunk vectors under {@code testdata/vectors}, parsed. */
final class GoVectors {
  private GoVectors() {}

  /** One vector: the samples Go appended and the chunk bytes it produced. */
  record Vector(
      String file,
      String name,
      ChunkEncoding encoding,
      CounterResetHeader header,
      List<Sample> samples,
      byte[] chunk) {
    @Override
    public String toString() {
      return file + ": " + name;
    }
  }

  static List<Vector> load(String file) throws IOException {
    Path p = TestData.path("vectors/" + file);
    JsonNode root = new ObjectMapper().readTree(p.toFile());
    int defaultEncoding = root.has("encoding") ? root.get("encoding").asInt() : 0;
    List<Vector> out = new ArrayList<>();
    for (JsonNode v : root.get("vectors")) {
      int enc = v.has("encoding") ? v.get("encoding").asInt() : defaultEncoding;
      ChunkEncoding e = ChunkEncoding.forWireByte(enc);
      CounterResetHeader header = v.has("counter_reset_header")
          ? CounterResetHeader.fromByte(v.get("counter_reset_header").asInt()) : null;
      List<Sample> samples = new ArrayList<>();
      for (JsonNode s : v.get("samples")) {
        long t = s.get("t").asLong();
        long st = s.has("st") ? s.get("st").asLong() : 0;
        if (s.has("value_bits")) {
          long bits = Long.parseUnsignedLong(s.get("value_bits").asText(), 16);
          samples.add(new Sample.FloatSample(t, st, Double.longBitsToDouble(bits)));
        } else if (s.has("histogram")) {
          samples.add(new Sample.HistogramSample(t, st, histogram(s.get("histogram"))));
        } else {
          samples.add(new Sample.FloatHistogramSample(t, st, floatHistogram(s.get("float_histogram"))));
        }
      }
      out.add(new Vector(file, v.get("name").asText(), e, header, samples,
          Hex.decode(v.get("chunk_hex").asText())));
    }
    return out;
  }

  static Histogram histogram(JsonNode h) {
    return Histogram.builder()
        .counterResetHint(CounterResetHint.fromCode(h.get("CounterResetHint").asInt()))
        .schema(h.get("Schema").asInt())
        .zeroThreshold(h.get("ZeroThreshold").asDouble())
        .zeroCount(h.get("ZeroCount").bigIntegerValue().longValue())
        .count(h.get("Count").bigIntegerValue().longValue())
        .sum(h.get("Sum").asDouble())
        .positiveSpans(spans(h.get("PositiveSpans")))
        .negativeSpans(spans(h.get("NegativeSpans")))
        .positiveBuckets(longs(h.get("PositiveBuckets")))
        .negativeBuckets(longs(h.get("NegativeBuckets")))
        .customValues(doubles(h.get("CustomValues")))
        .build();
  }

  static FloatHistogram floatHistogram(JsonNode h) {
    return FloatHistogram.builder()
        .counterResetHint(CounterResetHint.fromCode(h.get("CounterResetHint").asInt()))
        .schema(h.get("Schema").asInt())
        .zeroThreshold(h.get("ZeroThreshold").asDouble())
        .zeroCount(h.get("ZeroCount").asDouble())
        .count(h.get("Count").asDouble())
        .sum(h.get("Sum").asDouble())
        .positiveSpans(spans(h.get("PositiveSpans")))
        .negativeSpans(spans(h.get("NegativeSpans")))
        .positiveBuckets(doubles(h.get("PositiveBuckets")))
        .negativeBuckets(doubles(h.get("NegativeBuckets")))
        .customValues(doubles(h.get("CustomValues")))
        .build();
  }

  private static Span[] spans(JsonNode n) {
    if (n == null || n.isNull()) {
      return new Span[0];
    }
    Span[] out = new Span[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new Span(n.get(i).get("Offset").asInt(), n.get(i).get("Length").asInt());
    }
    return out;
  }

  private static long[] longs(JsonNode n) {
    if (n == null || n.isNull()) {
      return new long[0];
    }
    long[] out = new long[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asLong();
    }
    return out;
  }

  private static double[] doubles(JsonNode n) {
    if (n == null || n.isNull()) {
      return new double[0];
    }
    double[] out = new double[n.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = n.get(i).asDouble();
    }
    return out;
  }
}
