package io.promtsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.Labels;
import io.promtsdb.core.Utf8Order;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostingsStatsTest {

  /** Prometheus' TestMemPostingsStats, as an index (2.x value-length measure). */
  @Test
  void memPostingsStatsCase(@TempDir Path dir) throws Exception {
    Path p = dir.resolve("index");
    try (IndexWriter w = IndexWriter.create(p)) {
      w.addSymbols(List.of("label", "value1", "value2", "value3", "x"));
      // Series 1 carries value1..value3 in Go's test (a MemPostings can); an index series
      // carries one value per name, so spread them over series with another label.
      w.addSeries(Labels.of("label", "value1"));
      w.addSeries(Labels.of("label", "value1", "x", "x"));
      w.addSeries(Labels.of("label", "value2"));
      w.addSeries(Labels.of("label", "value3"));
    }
    try (IndexReader r = IndexReader.open(p)) {
      PostingsStats s = PostingsStats.compute(r, "label", 10);
      assertThat(s.cardinalityMetrics().get(0)).isEqualTo(new PostingsStats.Stat("value1", 2));
      assertThat(s.cardinalityLabels().get(0)).isEqualTo(new PostingsStats.Stat("label", 3));
      assertThat(s.labelValueLengths().get(0)).isEqualTo(new PostingsStats.Stat("label", 18));
      assertThat(s.labelValuePairs().get(0)).isEqualTo(new PostingsStats.Stat("label=value1", 2));
      assertThat(s.numLabelPairs()).isEqualTo(4);
    }
  }

  @Test
  void agreesWithANaiveComputationOnEveryFixture() throws Exception {
    for (Path f : FixtureIndexes.all()) {
      try (IndexReader r = IndexReader.open(f)) {
        List<PostingsStats.Stat> metrics = new ArrayList<>();
        List<PostingsStats.Stat> labels = new ArrayList<>();
        List<PostingsStats.Stat> lengths = new ArrayList<>();
        List<PostingsStats.Stat> pairs = new ArrayList<>();
        long numPairs = 0;
        for (String n : r.labelNames()) {
          long len = 0;
          for (String v : r.labelValues(n)) {
            long c = Postings.count(r.postings(n, v));
            if (n.equals("__name__")) {
              metrics.add(new PostingsStats.Stat(v, c));
            }
            pairs.add(new PostingsStats.Stat(n + "=" + v, c));
            len += v.getBytes(StandardCharsets.UTF_8).length;
            numPairs++;
          }
          labels.add(new PostingsStats.Stat(n, r.labelValues(n).size()));
          lengths.add(new PostingsStats.Stat(n, len));
        }
        PostingsStats s = PostingsStats.compute(r, "__name__", 10);
        assertThat(s.numLabelPairs()).isEqualTo(numPairs);
        assertTop(s.cardinalityMetrics(), metrics);
        assertTop(s.cardinalityLabels(), labels);
        assertTop(s.labelValueLengths(), lengths);
        assertTop(s.labelValuePairs(), pairs);
      }
    }
  }

  // The counts equal the naive top 10's; every name listed has its naive count.
  private static void assertTop(List<PostingsStats.Stat> actual, List<PostingsStats.Stat> all) {
    List<PostingsStats.Stat> sorted = new ArrayList<>(all);
    sorted.sort(Comparator.comparingLong(PostingsStats.Stat::count).reversed()
        .thenComparing(PostingsStats.Stat::name, Utf8Order.COMPARATOR));
    List<PostingsStats.Stat> top = sorted.subList(0, Math.min(10, sorted.size()));
    assertThat(actual.stream().map(PostingsStats.Stat::count).toList())
        .isEqualTo(top.stream().map(PostingsStats.Stat::count).toList());
    assertThat(all).containsAll(actual);
  }
}
