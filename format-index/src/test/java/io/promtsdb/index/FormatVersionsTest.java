package io.promtsdb.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Crc32c;
import io.promtsdb.core.DataReader;
import io.promtsdb.core.Labels;
import io.promtsdb.core.UnsupportedFormatVersionException;
import io.promtsdb.core.testing.TestData;
import io.promtsdb.core.testing.TrackingByteSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Index format versions 1, 2 (with the 2.1 bad-version files) and 3. */
class FormatVersionsTest {

  /**
   * Prometheus' TestReadIndexFormatV1 (tsdb/block_test.go): the 2.0 block holds {foo="bar"}
   * with sample (1, 2), {foo="baz"} with (3, 4), and bar="0".."99" with (0, 0); foo="meh"
   * was outside the block. Here the samples are decoded from the chunks the index points
   * at (one-sample XOR chunks: count, varint t, float64 bits).
   */
  @Test
  void readsTheVersion1Block() throws Exception {
    Path dir = TestData.path("prometheus-2.42.0/index_format_v1");
    byte[] chunkFile = Files.readAllBytes(dir.resolve("chunks/000001"));
    try (IndexReader r = IndexReader.open(dir.resolve("index"))) {
      assertThat(r.version()).isEqualTo(1);
      assertThat(r).isInstanceOf(IndexReaderV1.class);
      assertThat(r.labelNames()).containsExactly("bar", "foo");
      assertThat(r.labelValues("foo")).containsExactly("bar", "baz");
      List<String> bars = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        bars.add(Integer.toString(i));
      }
      bars.sort(io.promtsdb.core.Utf8Order.COMPARATOR);
      assertThat(r.labelValues("bar")).isEqualTo(bars);

      assertThat(samples(r, r.postings("foo", "bar"), chunkFile))
          .containsExactly(Map.entry("{foo=\"bar\"}", List.of("1:2.0")));
      // foo!~"^.?$"
      assertThat(
              samples(r, r.postingsForLabelMatching("foo", v -> !v.matches("^.?$")), chunkFile))
          .containsExactly(
              Map.entry("{foo=\"bar\"}", List.of("1:2.0")),
              Map.entry("{foo=\"baz\"}", List.of("3:4.0")));
      Map<String, List<String>> zeros = samples(r, r.postingsForAllLabelValues("bar"), chunkFile);
      assertThat(zeros).hasSize(100);
      assertThat(zeros.values()).allSatisfy(s -> assertThat(s).containsExactly("0:0.0"));
      assertThat(Postings.count(r.allPostings())).isEqualTo(102);
      assertThat(r.labelIndexNames()).containsExactly("bar", "foo");
      assertThat(r.labelIndexValues("foo")).contains(List.of("bar", "baz"));

      PostingsStats stats = PostingsStats.compute(r, "foo", 10);
      assertThat(stats.cardinalityMetrics())
          .containsExactly(new PostingsStats.Stat("bar", 1), new PostingsStats.Stat("baz", 1));
      assertThat(stats.cardinalityLabels())
          .containsExactly(new PostingsStats.Stat("bar", 100), new PostingsStats.Stat("foo", 2));
      assertThat(stats.numLabelPairs()).isEqualTo(102);

      IntegrityReport report = r.checkIntegrity();
      assertThat(report.series()).isEqualTo(102);
      assertThat(report.labelIndices()).isEqualTo(2);
      assertThat(report.postingsLists()).isEqualTo(103);
    }
  }

  @Test
  void version1SeriesReferencesAreFileOffsetsAndSymbolReferencesToo() throws Exception {
    try (IndexReader r = IndexReader.open(FixtureIndexes.v1())) {
      long[] refs = Postings.expand(r.postings("foo", "bar", "baz"));
      assertThat(refs).hasSize(2);
      // Unaligned file offsets inside the series section.
      assertThat(refs[0]).isBetween(r.toc().series(), r.toc().labelIndices());
      ByteSource src = r.source();
      DataReader d = new DataReader(src.slice(null, refs[0], 16));
      d.uvarint(); // entry length
      assertThat(d.uvarint()).isEqualTo(1); // one label
      long nameRef = d.uvarint();
      assertThat(r.symbol(nameRef)).isEqualTo("foo");
      assertThat(nameRef).isGreaterThan(r.toc().symbols());
      assertThatThrownBy(() -> r.symbol(3)).isInstanceOf(CorruptFormatException.class)
          .hasMessageContaining("[symbol table]");
    }
  }

  @Test
  void integrityPassReadsEveryByteOfTheVersion1Index() throws Exception {
    byte[] bytes = Files.readAllBytes(FixtureIndexes.v1());
    TrackingByteSource tracked = new TrackingByteSource(ByteSource.of("v1", bytes));
    try (IndexReader r = IndexReader.open(tracked)) {
      r.checkIntegrity();
    }
    assertThat(tracked.unread(bytes.length).cardinality()).isZero();
  }

  /**
   * Prometheus 2.1 wrote version-2 layouts with version byte 1 (TestRepairBadIndexVersion).
   * Read as version 1, as Prometheus' reader does before repairBadIndexVersion runs,
   * postings work and series references fail; read as version 2, the series are there.
   */
  @Test
  void badVersionFileBehavesLikePrometheusBeforeAndAfterTheRepair() throws Exception {
    byte[] bytes = Files.readAllBytes(FixtureIndexes.badVersion());
    try (IndexReader r = IndexReader.open(ByteSource.of("bad", bytes))) {
      assertThat(r.version()).isEqualTo(1);
      long[] refs = Postings.expand(r.postings("b", "1"));
      assertThat(refs).containsExactly(2, 3);
      for (long ref : refs) {
        assertThatThrownBy(() -> r.labels(ref)).isInstanceOf(CorruptFormatException.class);
      }
      assertThatThrownBy(r::checkIntegrity).isInstanceOf(CorruptFormatException.class);
    }
    try (IndexReader r =
        IndexReader.openAsVersion2(ByteSource.of("bad", bytes), IndexReader.Options.DEFAULT)) {
      List<Labels> series = new ArrayList<>();
      Postings p = r.postings("b", "1");
      for (long ref = p.next(); ref != Postings.END; ref = p.next()) {
        series.add(r.labels(ref));
      }
      assertThat(series).containsExactly(Labels.of("a", "1", "b", "1"), Labels.of("a", "2", "b", "1"));
      // Written before the all-postings list existed.
      assertThat(r.allPostings()).isSameAs(Postings.empty());
      IntegrityReport report = r.checkIntegrity();
      assertThat(report.series()).isEqualTo(2);
      assertThat(report.labelIndices()).isZero();
    }
    // The repair: byte 4 := 2.
    bytes[4] = 2;
    try (IndexReader r = IndexReader.open(ByteSource.of("repaired", bytes))) {
      assertThat(r.labels(2)).isEqualTo(Labels.of("a", "1", "b", "1"));
    }
  }

  @Test
  void version3IsReadExactlyLikeVersion2() throws Exception {
    Path fixture = FixtureIndexes.smallest("p3-none");
    byte[] v2 = Files.readAllBytes(fixture);
    byte[] v3 = v2.clone();
    v3[4] = 3;
    try (IndexReader a = IndexReader.open(ByteSource.of("v2", v2));
        IndexReader b = IndexReader.open(ByteSource.of("v3", v3))) {
      assertThat(b.version()).isEqualTo(3);
      assertThat(b).isInstanceOf(IndexReaderV2.class);
      assertThat(b.checkIntegrity()).isEqualTo(a.checkIntegrity());
      Postings p = a.allPostings();
      for (long ref = p.next(); ref != Postings.END; ref = p.next()) {
        assertThat(b.series(ref)).isEqualTo(a.series(ref));
      }
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 4, 5, 0x82, 0xFF})
  void otherVersionsAreUnsupported(int version) throws Exception {
    byte[] bytes = Files.readAllBytes(FixtureIndexes.smallest("p3-none"));
    bytes[4] = (byte) version;
    assertThatThrownBy(() -> IndexReader.open(ByteSource.of("f", bytes)))
        .isInstanceOfSatisfying(
            UnsupportedFormatVersionException.class,
            e -> {
              assertThat(e.actual()).isEqualTo(version);
              assertThat(e.minSupported()).isEqualTo(1);
              assertThat(e.maxSupported()).isEqualTo(3);
              assertThat(e.offset()).isEqualTo(4);
              assertThat(e.resource()).isEqualTo("f [header]");
            });
  }

  @Test
  void wrongMagicIsReported() throws Exception {
    byte[] bytes = Files.readAllBytes(FixtureIndexes.smallest("p3-none"));
    bytes[0] = 0x12;
    assertThatThrownBy(() -> IndexReader.open(ByteSource.of("f", bytes)))
        .isInstanceOf(CorruptFormatException.class)
        .hasMessage("f [header] at offset 0: magic number: actual 0x12aad700 vs expected 0xbaaad700");
  }

  // Decodes the one-sample XOR chunks of the v1 fixture: "t:v" per chunk, by series.
  private static Map<String, List<String>> samples(IndexReader r, Postings p, byte[] chunkFile)
      throws Exception {
    Map<String, List<String>> out = new LinkedHashMap<>();
    ChunkMetaList metas = new ChunkMetaList();
    ByteSource file = ByteSource.of("chunks/000001", chunkFile);
    for (long ref = p.next(); ref != Postings.END; ref = p.next()) {
      Labels labels = r.series(ref, metas);
      List<String> s = new ArrayList<>();
      for (int i = 0; i < metas.size(); i++) {
        long chunkRef = metas.ref(i);
        assertThat(chunkRef >>> 32).as("segment index").isZero();
        DataReader d = new DataReader(file);
        d.position(chunkRef & 0xFFFFFFFFL);
        int len = (int) d.uvarint();
        long start = d.position();
        assertThat(d.u8()).as("encoding XOR").isEqualTo(1);
        assertThat(d.be16()).as("samples").isEqualTo(1);
        long t = d.varint();
        double v = d.be64Double();
        d.position(start + 1 + len);
        assertThat(d.be32()).isEqualTo(Crc32c.compute(chunkFile, (int) start, len + 1));
        assertThat(t).isEqualTo(metas.minTime(i)).isEqualTo(metas.maxTime(i));
        s.add(t + ":" + v);
      }
      out.put(labels.toString(), s);
    }
    return out;
  }
}
