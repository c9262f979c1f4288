package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Sample;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Go-emitted vector decodes to its samples and encodes back to exactly its bytes: the
 * 2.42 vectors with the 2.x writer, the upstream-main ones with the 3.x writer.
 */
class GoVectorsTest {

  @TestFactory
  Stream<DynamicTest> xorGo242() throws IOException {
    return tests(GoVectors.load("xor-go2.42.json"), WriterFlavor.PROMETHEUS_2);
  }

  @TestFactory
  Stream<DynamicTest> histogramGo242() throws IOException {
    return tests(GoVectors.load("histogram-go2.42.json"), WriterFlavor.PROMETHEUS_2);
  }

  @TestFactory
  Stream<DynamicTest> upstreamMain() throws IOException {
    return tests(GoVectors.load("upstream-main.json"), WriterFlavor.PROMETHEUS_3);
  }

  private static Stream<DynamicTest> tests(List<GoVectors.Vector> vectors, WriterFlavor flavor) {
    assertThat(vectors).isNotEmpty();
    return vectors.stream().flatMap(v -> Stream.of(
        DynamicTest.dynamicTest("encode " + v, () -> {
          CounterResetHeader header = v.header() != null ? v.header() : CounterResetHeader.UNKNOWN;
          Chunk c = ChunkEncoder.encode(v.encoding(), v.samples(), header, flavor);
          assertThat(Hex.encode(c)).isEqualTo(Hex.encode(v.chunk()));
        }),
        DynamicTest.dynamicTest("decode " + v, () -> {
          Chunk c = Chunk.wrap(v.encoding(), v.chunk());
          assertThat(c.numSamples()).isEqualTo(v.samples().size());
          assertThat(c.samples()).containsExactlyElementsOf(expectedDecoded(c, v.samples()));
        })));
  }

  /**
   * What a decoder reports for appended samples: Go gives the chunk's first sample an UNKNOWN
   * hint and later ones NOT_COUNTER_RESET (GAUGE throughout a gauge chunk), whatever hint they
   * were appended with; a stale histogram is just its sum.
   */
  static List<Sample> expectedDecoded(Chunk c, List<Sample> appended) {
    List<Sample> out = new ArrayList<>();
    for (int i = 0; i < appended.size(); i++) {
      Sample s = appended.get(i);
      if (s instanceof Sample.HistogramSample h) {
        Histogram x = h.histogram().isStale()
            ? Histogram.builder().sum(h.histogram().sum()).build()
            : h.histogram().withCounterResetHint(c.counterResetHeader().hintAt(i + 1));
        out.add(new Sample.HistogramSample(h.timestamp(), h.startTimestamp(), x));
      } else if (s instanceof Sample.FloatHistogramSample h) {
        FloatHistogram x = h.histogram().isStale()
            ? FloatHistogram.builder().sum(h.histogram().sum()).build()
            : h.histogram().withCounterResetHint(c.counterResetHeader().hintAt(i + 1));
        out.add(new Sample.FloatHistogramSample(h.timestamp(), h.startTimestamp(), x));
      } else {
        out.add(s);
      }
    }
    return out;
  }
}
