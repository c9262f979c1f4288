package io.promtsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.testing.TrackingByteSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every index of the real Prometheus 3.5.3 and 2.53.3 data dirs: read fully, checked, and
 * written again from what was decoded to the identical bytes.
 */
class FixtureIndexTest {

  static Stream<Arguments> fixtures() {
    return FixtureIndexes.all().stream().map(p -> Arguments.of(FixtureIndexes.name(p), p));
  }

  private static long metaNumbers(Path index, String field) throws Exception {
    String meta = Files.readString(index.resolveSibling("meta.json"));
    Matcher m = Pattern.compile("\"" + field + "\":\\s*(\\d+)").matcher(meta);
    assertThat(m.find()).as("%s in meta.json", field).isTrue();
    return Long.parseLong(m.group(1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void rewritesToTheIdenticalBytes(String name, Path index, @TempDir Path dir) throws Exception {
    Path out = dir.resolve("index");
    try (IndexReader r = IndexReader.open(index)) {
      Rewrite.copy(r, out, IndexWriter.Options.DEFAULT);
    }
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(index));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void integrityPassReadsEveryByteAndAgreesWithMetaJson(String name, Path index)
      throws Exception {
    byte[] bytes = Files.readAllBytes(index);
    TrackingByteSource tracked = new TrackingByteSource(ByteSource.of(name, bytes));
    IntegrityReport report;
    try (IndexReader r = IndexReader.open(tracked)) {
      report = r.checkIntegrity();
    }
    BitSet unread = tracked.unread(bytes.length);
    assertThat(unread.cardinality()).as("bytes never read, first at %d", unread.nextSetBit(0)).isZero();
    assertThat(report.bytes()).isEqualTo(bytes.length);
    assertThat(report.series()).isEqualTo(metaNumbers(index, "numSeries"));
    assertThat(report.chunks()).isEqualTo(metaNumbers(index, "numChunks"));
    assertThat(report.labelIndices()).isPositive();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void everyAccessPathAgrees(String name, Path index) throws Exception {
    try (IndexReader r = IndexReader.open(index)) {
      assertThat(r.version()).isEqualTo(2);
      long[] all = Postings.expand(r.allPostings());
      // Every series decoded once; the postings are checked against these labels.
      java.util.Map<Long, io.promtsdb.core.Labels> labels = new java.util.HashMap<>();
      for (long ref : all) {
        labels.put(ref, r.labels(ref));
      }
      assertThat(r.labelIndexNames()).isEqualTo(r.labelNames());
      long pairs = 0;
      for (String n : r.labelNames()) {
        List<String> values = r.labelValues(n);
        assertThat(values).isSortedAccordingTo(io.promtsdb.core.Utf8Order.COMPARATOR);
        assertThat(r.labelIndexValues(n)).contains(values);
        List<Postings> perValue = new ArrayList<>();
        for (String v : values) {
          long[] refs = Postings.expand(r.postings(n, v));
          assertThat(refs).isNotEmpty();
          for (long ref : refs) {
            assertThat(labels.get(ref)).as("series %d", ref).isNotNull();
            assertThat(labels.get(ref).get(n)).isEqualTo(v);
          }
          assertThat(r.labelValueFor(refs[0], n)).contains(v);
          perValue.add(Postings.of(refs));
          pairs++;
        }
        long[] union = Postings.expand(Postings.merge(perValue));
        assertThat(Postings.expand(r.postingsForAllLabelValues(n))).isEqualTo(union);
        assertThat(Postings.expand(r.postings(n, values))).isEqualTo(union);
        // Every series without the name is in the complement.
        long[] without = Postings.expand(Postings.without(Postings.of(all), Postings.of(union)));
        for (long ref : without) {
          assertThat(labels.get(ref).has(n)).isFalse();
        }
        if (without.length > 0) {
          assertThat(r.labelValueFor(without[0], n)).isEmpty();
        }
        assertThat(union.length + without.length).isEqualTo(all.length);
      }
      assertThat(r.checkIntegrity().postingsLists()).isEqualTo(pairs + 1);
      assertThat(r.postings("no_such_label", "x")).isSameAs(Postings.empty());
      assertThat(r.postings(r.labelNames().get(0), "\uFFFFno such value")).isSameAs(Postings.empty());
      assertThat(r.labelValues("no_such_label")).isEmpty();
    }
  }
}
