package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Sample;
import io.promtsdb.core.Span;
import io.promtsdb.core.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The chunks of Prometheus' own remote-read test ({@code TestStreamReadEndpoint}): what a
 * remote-read client receives. Samples are rebuilt from the test's generators, not from the
 * bytes: {@code test_metric1 0+100x...} at one-minute steps (value = t / 600), and
 * {@code tsdbutil.GenerateTestFloatHistograms(25)} at one-minute steps.
 */
class RemoteReadVectorsTest {

  @TestFactory
  Stream<DynamicTest> goldenChunks() throws Exception {
    Path dir = TestData.path("vectors/remote-read-go");
    JsonNode golden = new ObjectMapper().readTree(dir.resolve("golden.json").toFile());
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode g : golden) {
      String file = g.get("file").asText();
      byte[] bytes = Files.readAllBytes(dir.resolve(file));
      assertThat(Hex.encode(bytes)).isEqualTo(g.get("hex").asText());
      long mint = g.get("mint").asLong();
      long maxt = g.get("maxt").asLong();
      boolean v2 = file.startsWith("golden_v2_");
      ChunkEncoding enc = g.get("encoding").asText().equals("XOR")
          ? ChunkEncoding.XOR : ChunkEncoding.FLOAT_HISTOGRAM;
      List<Sample> expected = new ArrayList<>();
      for (long t = mint, i = 0; t <= maxt; t += 60000, i++) {
        expected.add(enc == ChunkEncoding.XOR
            ? new Sample.FloatSample(t, 0, t / 600.0)
            : new Sample.FloatHistogramSample(t, 0, floatHistogram(i)));
      }
      tests.add(DynamicTest.dynamicTest("decode " + file, () -> {
        Chunk c = Chunk.wrap(enc, bytes, 0, bytes.length, file, 0);
        assertThat(c.samples()).containsExactlyElementsOf(GoVectorsTest.expectedDecoded(c, expected));
      }));
      tests.add(DynamicTest.dynamicTest("encode " + file, () -> {
        Chunk c = ChunkEncoder.encode(enc, expected, CounterResetHeader.UNKNOWN,
            v2 ? WriterFlavor.PROMETHEUS_2 : WriterFlavor.PROMETHEUS_3);
        assertThat(Hex.encode(c)).isEqualTo(Hex.encode(bytes));
      }));
    }
    assertThat(tests).hasSize(14);
    return tests.stream();
  }

  /** Go's {@code tsdbutil.GenerateTestFloatHistogram(i)}, NotCounterReset after the first. */
  static FloatHistogram floatHistogram(long i) {
    Span[] spans = {new Span(0, 2), new Span(1, 2)};
    double[] buckets = {i + 1, i + 2, i + 1, i + 1};
    return FloatHistogram.builder()
        .counterResetHint(i > 0 ? CounterResetHint.NOT_COUNTER_RESET : CounterResetHint.UNKNOWN)
        .count(12 + (double) (i * 9))
        .zeroCount(2 + (double) i)
        .zeroThreshold(0.001)
        .sum(18.4 * (double) (i + 1))
        .schema(1)
        .positiveSpans(spans)
        .positiveBuckets(buckets)
        .negativeSpans(spans)
        .negativeBuckets(buckets)
        .build();
  }
}
