package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Selector parsing against Go's {@code parser.ParseMetricSelector}: selectors-go-2.42.jsonl
 * holds what Prometheus 2.42 returns for each selector (matchers as {@code Matcher.String()},
 * or the error). Where 3.5.3 differs from 2.42 the expectation is overridden below, with the
 * reason.
 */
class MetricSelectorsTest {

  // 3.5.3 parses the expression alone before anchoring it (labels.NewFastRegexMatcher), so the
  // message quotes the expression as written; 2.42 quoted the anchored form.
  private static final Map<String, String> ERRORS_3_5 =
      Map.of("{a=~\"(\"}", "1:2: parse error: error parsing regexp: missing closing ): `(`");

  // Go keeps the byte 0xff as it is; a Java string cannot hold invalid UTF-8, so it becomes
  // U+FFFD (what a label value with that byte reads as everywhere in PromTSDB).
  private static final Map<String, List<String>> MATCHERS_JAVA =
      Map.of("{a=\"\\xff\"}", List.of("a=\"\uFFFD\""));

  @Test
  void agreesWithGo() throws IOException {
    ObjectMapper om = new ObjectMapper();
    int n = 0;
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                getClass().getResourceAsStream("selectors-go-2.42.jsonl"), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        JsonNode c = om.readTree(line);
        String sel = c.get("selector").asText();
        if (c.has("error")) {
          String want = ERRORS_3_5.getOrDefault(sel, c.get("error").asText());
          assertThatThrownBy(() -> MetricSelectors.parse(sel)).as(sel).hasMessage(want);
        } else {
          List<String> fromGo = new ArrayList<>();
          c.get("matchers").forEach(m -> fromGo.add(m.asText()));
          List<String> want = MATCHERS_JAVA.getOrDefault(sel, fromGo);
          List<String> got = MetricSelectors.parse(sel).stream().map(Matcher::toString).toList();
          assertThat(got).as(sel).isEqualTo(want);
        }
        n++;
      }
    }
    assertThat(n).isEqualTo(52);
  }

  @Test
  void quotedNamesOfPrometheus3() {
    // promql/parser/parse_test.go (3.x): quoted metric and label names inside the braces.
    assertThat(MetricSelectors.parse("{\"my.metric\"}").stream().map(Matcher::toString))
        .containsExactly("__name__=\"my.metric\"");
    assertThat(MetricSelectors.parse("{\"my.metric\", \"my.label\"=~'a|b', job!=\"x\",}").stream().map(Matcher::toString))
        .containsExactly("__name__=\"my.metric\"", "\"my.label\"=~\"a|b\"", "job!=\"x\"");
    assertThat(MetricSelectors.parse("{`my metric`}").get(0).value()).isEqualTo("my metric");
  }

  @Test
  void promtoolDefault() {
    List<Matcher> ms = MetricSelectors.parse("{__name__=~'(?s:.*)'}");
    assertThat(ms).hasSize(1);
    assertThat(ms.get(0).type()).isEqualTo(MatchType.REGEX);
    assertThat(ms.get(0).matchesEmpty()).isTrue();
  }

  @Test
  void parseAllKeepsOrder() {
    assertThat(MetricSelectors.parseAll(List.of("a", "b"))).hasSize(2);
    assertThat(MetricSelectors.parseAll(List.of("a", "b")).get(1).get(0).value()).isEqualTo("b");
  }
}
