package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promtsdb.core.Labels;
import io.promtsdb.index.Postings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Prometheus' empty-value and negative-matcher rules, against Go: the series and matcher sets
 * of tsdb/querier_test.go {@code TestPostingsForMatchers} (3.5.3) plus our own, evaluated by
 * Prometheus 2.42's {@code PostingsForMatchers} on a head
 * (postings-for-matchers-go-2.42.jsonl).
 */
class PostingsForMatchersTest {

  private static final String N1 = "{n=\"1\"}";
  private static final String A = "{i=\"a\", n=\"1\"}";
  private static final String B = "{i=\"b\", n=\"1\"}";
  private static final String NL = "{i=\"\\n\", n=\"1\"}";
  private static final String N2 = "{n=\"2\"}";
  private static final String N25 = "{n=\"2.5\"}";

  /**
   * Prometheus 3.0 made {@code .} match newlines ({@code ^(?s:expr)$}); 2.42 did not. Where a
   * selector's answer depends on that, the expectation is 3.x's: the rows of 3.5.3's
   * TestPostingsForMatchers ({@code i=~"^.*$"}, {@code i=~"^.+$"}, {@code i!~"^.*$"}, {@code
   * i!~"^.+$"}, {@code i=~".*"}, {@code i!~".*"}, {@code n=~".*",i!~".+"}, ...) and the same rule
   * for the others.
   */
  private static final java.util.Map<String, List<String>> OVERRIDES_3X =
      java.util.Map.ofEntries(
          java.util.Map.entry("{n=\"1\",i=~\"^.*$\"}", List.of(N1, A, B, NL)),
          java.util.Map.entry("{n=\"1\",i=~\"^.+$\"}", List.of(A, B, NL)),
          java.util.Map.entry("{n=\"1\",i!~\"^.*$\"}", List.of()),
          java.util.Map.entry("{n=\"1\",i!~\"^.+$\"}", List.of(N1)),
          java.util.Map.entry("{i=~\".*\"}", List.of(N1, A, B, NL, N2, N25)),
          java.util.Map.entry("{i=~\"^.*$\"}", List.of(N1, A, B, NL, N2, N25)),
          java.util.Map.entry("{i!~\".*\"}", List.of()),
          java.util.Map.entry("{i!~\".*\",n=~\".*\"}", List.of()),
          java.util.Map.entry("{n=\"1\",i!~\".*\"}", List.of()),
          java.util.Map.entry("{n=~\".*\",i!~\".+\"}", List.of(N1, N2, N25)),
          java.util.Map.entry("{i=~\".\"}", List.of(A, B, NL)),
          java.util.Map.entry("{i=~\".+\"}", List.of(A, B, NL)),
          java.util.Map.entry("{i!~\".+\"}", List.of(N1, N2, N25)));

  static Head head() {
    Head h = new Head(MemSeries.ChunkOpts.DEFAULT);
    Labels[] series = {
      Labels.of("n", "1"),
      Labels.of("n", "1", "i", "a"),
      Labels.of("n", "1", "i", "b"),
      Labels.of("n", "1", "i", "\n"),
      Labels.of("n", "2"),
      Labels.of("n", "2.5"),
    };
    boolean[] created = new boolean[1];
    long ref = 1;
    for (Labels l : series) {
      MemSeries s = h.getOrCreate(ref++, l, created);
      s.append(0, 0, h.chunkOpts);
    }
    h.postings.ensureOrder();
    h.minTime = 0;
    h.maxTime = 0;
    return h;
  }

  @Test
  void agreesWithGo() throws IOException {
    Head h = head();
    IndexView ix = new Head.HeadIndexView(h, 0, 0, 0, false);
    ObjectMapper om = new ObjectMapper();
    int n = 0;
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                getClass().getResourceAsStream("postings-for-matchers-go-2.42.jsonl"), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        JsonNode c = om.readTree(line);
        String sel = c.get("selector").asText();
        List<String> want = new ArrayList<>();
        c.get("series").forEach(s -> want.add(s.asText()));
        Postings p = PostingsForMatchers.select(ix, MetricSelectors.parse(sel));
        List<String> got = new ArrayList<>();
        for (long ref = p.next(); ref != Postings.END; ref = p.next()) {
          got.add(ix.series(ref, null).toString());
        }
        assertThat(got).as(sel).containsExactlyInAnyOrderElementsOf(OVERRIDES_3X.getOrDefault(sel, want));
        n++;
      }
    }
    assertThat(n).isEqualTo(64);
  }

  @Test
  void selectThroughTheQuerierSortsAndTrims() throws IOException {
    Head h = head();
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(true, MetricSelectors.parse("{n=\"1\"}"));
      List<String> got = new ArrayList<>();
      while (ss.next()) {
        got.add(ss.at().labels().toString());
      }
      assertThat(got).containsExactly("{i=\"\\n\", n=\"1\"}", "{i=\"a\", n=\"1\"}", "{i=\"b\", n=\"1\"}", "{n=\"1\"}");
    }
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      // Go's labelValuesWithMatchers / labelNamesWithMatchers.
      assertThat(q.labelValues("i", List.of())).containsExactly("\n", "a", "b");
      assertThat(q.labelValues("i", MetricSelectors.parse("{i=~\"a|b\"}"))).containsExactly("a", "b");
      assertThat(q.labelValues("n", MetricSelectors.parse("{i=~\"a|b\"}"))).containsExactly("1");
      assertThat(q.labelValues("n", MetricSelectors.parse("{n!=\"1\"}"))).containsExactly("2", "2.5");
      assertThat(q.labelNames(List.of())).containsExactly("i", "n");
      assertThat(q.labelNames(MetricSelectors.parse("{n=\"2\"}"))).containsExactly("n");
    }
    // Nothing in the head before its min time (0): no querier at all, as in Prometheus.
    assertThat(h.querier(-10, -1)).isNull();
    assertThat(h.querier(1, 10)).isNotNull();
  }
}
