package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Sample;
import io.promtsdb.core.Span;
import io.promtsdb.core.Values;
import io.promtsdb.core.testing.TestData;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The worked examples of the spec's chunks chapter ({@code examples/chunks/}) are files; this
 * test holds each against the codec: the samples encode to the bytes, the bytes decode to the
 * samples, and the field-by-field bit breakdown adds up to exactly those bytes. The file
 * examples are checked against the real fixture files they quote.
 */
class ChunksSpecExamplesTest {

  static final String[] CHUNK_EXAMPLES = {
    "xor.txt", "xor2.txt", "xor2-st.txt", "xor2-stale.txt", "histogram.txt", "floathistogram.txt",
    "histogram-st.txt", "histogram-custom.txt"
  };

  @TestFactory
  Stream<DynamicTest> chunkExamples() {
    return Stream.of(CHUNK_EXAMPLES).map(name -> DynamicTest.dynamicTest(name, () -> {
      List<String> lines = Files.readAllLines(TestData.spec("examples/chunks/" + name));
      ChunkEncoding enc = null;
      List<Sample> samples = new ArrayList<>();
      byte[] hex = null;
      StringBuilder bits = new StringBuilder();
      for (String l : lines) {
        if (l.startsWith("encoding ")) {
          enc = ChunkEncoding.valueOf(l.substring(9).trim());
        } else if (l.startsWith("sample ")) {
          samples.add(sample(l.substring(7).trim(), enc));
        } else if (l.startsWith("hex ")) {
          hex = TestData.hex(l.substring(4));
        } else if (l.startsWith("bits ")) {
          String b = l.substring(5).trim().split("\\s{2,}")[0].replace(" ", "");
          assertThat(b).as(l).matches("[01]+");
          bits.append(b);
        }
      }
      assertThat(enc).isNotNull();
      assertThat(samples).isNotEmpty();
      // The breakdown is the bytes, bit for bit.
      assertThat(bits.length() % 8).as("breakdown ends on a byte boundary").isZero();
      byte[] fromBits = new byte[bits.length() / 8];
      for (int i = 0; i < fromBits.length; i++) {
        fromBits[i] = (byte) Integer.parseInt(bits.substring(8 * i, 8 * i + 8), 2);
      }
      assertThat(Hex.encode(fromBits)).isEqualTo(Hex.encode(hex));
      // Encoding the samples gives the bytes, decoding the bytes gives the samples.
      assertThat(Hex.encode(ChunkEncoder.encode(enc, samples))).isEqualTo(Hex.encode(hex));
      Chunk c = Chunk.wrap(enc, hex);
      assertThat(c.samples()).containsExactlyElementsOf(GoVectorsTest.expectedDecoded(c, samples));
    }));
  }

  /** Parses {@code t=.. [st=..] v=..} or a histogram {@code t=.. schema=.. zt=.. ...}. */
  static Sample sample(String s, ChunkEncoding enc) {
    Map<String, String> f = new HashMap<>();
    boolean isFloat = false;
    for (String kv : s.split("\\s+")) {
      if (kv.equals("float")) {
        isFloat = true;
        continue;
      }
      String[] p = kv.split("=", 2);
      f.put(p[0], p.length > 1 ? p[1] : "");
    }
    long t = Long.parseLong(f.get("t"));
    long st = f.containsKey("st") ? Long.parseLong(f.get("st")) : 0;
    if (f.containsKey("v")) {
      double v = f.get("v").equals("stale") ? Values.STALE_NAN : Double.parseDouble(f.get("v"));
      return new Sample.FloatSample(t, st, v);
    }
    String zt = f.get("zt");
    double threshold = zt.startsWith("2^") ? Math.scalb(1.0, Integer.parseInt(zt.substring(2))) : Double.parseDouble(zt);
    Histogram h = Histogram.builder()
        .counterResetHint(CounterResetHint.UNKNOWN)
        .schema(Integer.parseInt(f.get("schema")))
        .zeroThreshold(threshold)
        .zeroCount(Long.parseLong(f.get("zc")))
        .count(Long.parseLong(f.get("count")))
        .sum(Double.parseDouble(f.get("sum")))
        .positiveSpans(spans(f.get("pos")))
        .positiveBuckets(longs(f.get("pb")))
        .negativeSpans(spans(f.get("neg")))
        .negativeBuckets(longs(f.get("nb")))
        .customValues(doubles(f.getOrDefault("custom", "")))
        .build();
    if (isFloat || enc.valueType() == ValueType.FLOAT_HISTOGRAM) {
      FloatHistogram fh = h.toFloatHistogram();
      return new Sample.FloatHistogramSample(t, st, fh);
    }
    return new Sample.HistogramSample(t, st, h);
  }

  private static Span[] spans(String s) {
    if (s == null || s.isEmpty()) {
      return new Span[0];
    }
    String[] p = s.split(",");
    Span[] out = new Span[p.length];
    for (int i = 0; i < p.length; i++) {
      String[] ol = p[i].split(":");
      out[i] = new Span(Integer.parseInt(ol[0]), Integer.parseInt(ol[1]));
    }
    return out;
  }

  private static long[] longs(String s) {
    return s == null || s.isEmpty() ? new long[0] : Stream.of(s.split(",")).mapToLong(Long::parseLong).toArray();
  }

  private static double[] doubles(String s) {
    return s.isEmpty() ? new double[0] : Stream.of(s.split(",")).mapToDouble(Double::parseDouble).toArray();
  }

  /** Checks "field OFFSET HEX meaning" rows against the fixture and returns the file bytes. */
  private static byte[] checkFields(List<String> lines) throws Exception {
    String file = null;
    for (String l : lines) {
      if (l.startsWith("file ")) {
        file = l.substring(5).trim();
      }
    }
    byte[] b = Files.readAllBytes(TestData.path(file));
    int expectedOffset = 0;
    int fields = 0;
    for (String l : lines) {
      if (!l.startsWith("field ")) {
        continue;
      }
      String[] p = l.substring(6).trim().split("\\s{2,}");
      int off = Integer.parseInt(p[0]);
      byte[] bytes = TestData.hex(p[1]);
      assertThat(off).as("fields are contiguous: %s", l).isEqualTo(expectedOffset);
      assertThat(Hex.encode(java.util.Arrays.copyOfRange(b, off, off + bytes.length))).as(l).isEqualTo(Hex.encode(bytes));
      expectedOffset = off + bytes.length;
      fields++;
    }
    assertThat(fields).isGreaterThan(5);
    return b;
  }

  @Test
  void segmentExamples() throws Exception {
    for (String name : new String[] {"segment.txt", "segment-v2.txt"}) {
      List<String> lines = Files.readAllLines(TestData.spec("examples/chunks/" + name));
      byte[] b = checkFields(lines);
      ChunkSegmentReader r = ChunkSegmentReader.of(List.of(ByteSource.of(name, b)));
      int checked = 0;
      for (String l : lines) {
        if (l.startsWith("chunk ")) {
          String[] p = l.substring(6).trim().split("\\s+");
          Chunk c = r.chunk(BlockChunkRef.of(0, Long.parseLong(p[0])));
          assertThat(c.encoding()).isEqualTo(ChunkEncoding.valueOf(p[1]));
          assertThat(c.samples()).containsExactly(sample(p[2] + " " + p[3], c.encoding()));
          checked++;
        }
      }
      assertThat(checked).isPositive();
    }
  }

  @Test
  void headChunkExample() throws Exception {
    List<String> lines = Files.readAllLines(TestData.spec("examples/chunks/head-chunks.txt"));
    byte[] b = checkFields(lines);
    SortedMap<Long, ByteSource> files = new TreeMap<>();
    files.put(4L, ByteSource.of("000004", b));
    HeadChunkReader r = HeadChunkReader.of(files);
    List<HeadChunkReader.HeadChunkMeta> recs = r.records();
    int checked = 0;
    for (String l : lines) {
      if (!l.startsWith("record ")) {
        continue;
      }
      String[] p = l.substring(7).trim().split("\\s+");
      long off = Long.parseLong(p[0]);
      HeadChunkReader.HeadChunkMeta m = recs.get(checked);
      assertThat(m.ref()).isEqualTo(ChunkDiskMapperRef.of(4, off));
      assertThat(m.seriesRef()).isEqualTo(Long.parseLong(p[1].substring("series=".length())));
      assertThat(m.mint()).isEqualTo(Long.parseLong(p[2].substring("mint=".length())));
      assertThat(m.maxt()).isEqualTo(Long.parseLong(p[3].substring("maxt=".length())));
      assertThat(m.outOfOrder()).isEqualTo(Boolean.parseBoolean(p[4].substring("ooo=".length())));
      assertThat(m.encoding()).isEqualTo(ChunkEncoding.valueOf(p[5]));
      assertThat(r.chunk(m.ref()).samples()).containsExactly(sample(p[6] + " " + p[7], m.encoding()));
      checked++;
    }
    assertThat(checked).isEqualTo(2);
    assertThat(b).hasSize(131072);
  }
}
