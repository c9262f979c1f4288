package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.re2j.Pattern;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Matcher semantics against Go: the regexes and values of Prometheus'
 * model/labels/regexp_test.go (plus shapes of our own), evaluated by Go's regexp package as
 * {@code ^(?s:expr)$} (src/test/resources/.../regex-go-truth.jsonl, generated with Go 1.19;
 * the invalid-UTF-8 values of the Go list are left out: a Java string cannot hold them).
 */
class MatcherTest {

  record Truth(String regex, List<String> values, List<Boolean> matches) {}

  static List<Truth> goTruth() throws IOException {
    ObjectMapper om = new ObjectMapper();
    List<Truth> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                MatcherTest.class.getResourceAsStream("regex-go-truth.jsonl"),
                StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        JsonNode n = om.readTree(line);
        List<String> values = new ArrayList<>();
        n.get("values").forEach(v -> values.add(v.asText()));
        List<Boolean> matches = new ArrayList<>();
        n.get("matches").forEach(v -> matches.add(v.asBoolean()));
        out.add(new Truth(n.get("regex").asText(), values, matches));
      }
    }
    return out;
  }

  @Test
  void regexMatchesLikeGoOnPrometheusTable() throws IOException {
    List<Truth> table = goTruth();
    assertThat(table).hasSizeGreaterThan(100);
    int checked = 0;
    for (Truth t : table) {
      Matcher eq = Matcher.regex("l", t.regex());
      Matcher ne = Matcher.notRegex("l", t.regex());
      for (int i = 0; i < t.values().size(); i++) {
        String v = t.values().get(i);
        boolean want = t.matches().get(i);
        assertThat(eq.matches(v)).as("%s =~ %s", quote(v), quote(t.regex())).isEqualTo(want);
        assertThat(ne.matches(v)).as("%s !~ %s", quote(v), quote(t.regex())).isEqualTo(!want);
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(10_000);
  }

  /** Random values from Prometheus' alphabet, against RE2/J running the whole expression. */
  @Test
  void shortcutsAgreeWithRe2jOnRandomValues() throws IOException {
    long seed = 0x5EEDL;
    Random rnd = new Random(seed);
    String alphabet = "abcfoFOrzpuieth-_.\n/0123456789😀ſ";
    int[] cps = alphabet.codePoints().toArray();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      StringBuilder b = new StringBuilder();
      int n = rnd.nextInt(12);
      for (int j = 0; j < n; j++) {
        b.appendCodePoint(cps[rnd.nextInt(cps.length)]);
      }
      values.add(b.toString());
    }
    for (Truth t : goTruth()) {
      Pattern plain = Pattern.compile("^(?s:" + t.regex() + ")$");
      Matcher m = Matcher.regex("l", t.regex());
      for (String v : values) {
        assertThat(m.matches(v)).as("seed %x: %s =~ %s", seed, quote(v), quote(t.regex()))
            .isEqualTo(plain.matcher(v).matches());
      }
      for (String v : t.values()) {
        // Concatenations of table values hit prefixes, suffixes and inner literals.
        for (String w : t.values().subList(0, Math.min(6, t.values().size()))) {
          String s = v + w;
          assertThat(m.matches(s)).as("%s =~ %s", quote(s), quote(t.regex()))
              .isEqualTo(plain.matcher(s).matches());
        }
      }
    }
  }

  @Test
  void matcherTableFromPrometheus() {
    // model/labels/matcher_test.go TestMatcher
    Object[][] cases = {
      {MatchType.EQUAL, "bar", "bar", true},
      {MatchType.EQUAL, "bar", "foo-bar", false},
      {MatchType.NOT_EQUAL, "bar", "bar", false},
      {MatchType.NOT_EQUAL, "bar", "foo-bar", true},
      {MatchType.REGEX, "bar", "bar", true},
      {MatchType.REGEX, "bar", "foo-bar", false},
      {MatchType.REGEX, ".*bar", "foo-bar", true},
      {MatchType.NOT_REGEX, "bar", "bar", false},
      {MatchType.NOT_REGEX, "bar", "foo-bar", true},
      {MatchType.NOT_REGEX, ".*bar", "foo-bar", false},
      {MatchType.REGEX, "$*bar", "foo-bar", false},
      {MatchType.REGEX, "bar^+", "foo-bar", false},
      {MatchType.REGEX, "$+bar", "foo-bar", false},
    };
    for (Object[] c : cases) {
      Matcher m = Matcher.of((MatchType) c[0], "test_label_name", (String) c[1]);
      assertThat(m.matches((String) c[2])).as(m + " on " + c[2]).isEqualTo(c[3]);
    }
  }

  @Test
  void inverse() {
    assertThat(Matcher.equal("a", "b").inverse()).isEqualTo(Matcher.notEqual("a", "b"));
    assertThat(Matcher.notEqual("a", "b").inverse()).isEqualTo(Matcher.equal("a", "b"));
    assertThat(Matcher.regex("a", "b.*").inverse()).isEqualTo(Matcher.notRegex("a", "b.*"));
    assertThat(Matcher.notRegex("a", "b.*").inverse()).isEqualTo(Matcher.regex("a", "b.*"));
  }

  @Test
  void setMatchesFromPrometheusTable() {
    // model/labels/regexp_test.go TestFindSetMatches, case-sensitive rows (the set, in any
    // order: Go's parser factors common prefixes, ours keeps the written order).
    Object[][] cases = {
      {"foo", List.of("foo")},
      {"^foo", List.of("foo")},
      {"^foo$", List.of("foo")},
      {"foo|bar|zz", List.of("foo", "bar", "zz")},
      {"foo|bar|baz", List.of("foo", "bar", "baz")},
      {"foo|bar|baz|(zz)", List.of("foo", "bar", "baz", "zz")},
      {"bar|b|buzz", List.of("bar", "b", "buzz")},
      {"^((bar|b|buzz))$", List.of("bar", "b", "buzz")},
      {"^(bar|b|buzz)$", List.of("bar", "b", "buzz")},
      {"^(?:prod|production)$", List.of("prod", "production")},
      {"(bar|b|b^uz$z)", List.of()},
      {"^$|Running", List.of()},
      {"fo\\.o|bar\\?|\\^baz", List.of("fo.o", "bar?", "^baz")},
      {"[abc]d", List.of("ad", "bd", "cd")},
      {"ABC|ABD|AEF|BCX|BCY", List.of("ABC", "ABD", "AEF", "BCX", "BCY")},
      {"api_(v1|prom)_push", List.of("api_v1_push", "api_prom_push")},
      {
        "(api|rpc)_(v1|prom)_push",
        List.of("api_v1_push", "api_prom_push", "rpc_v1_push", "rpc_prom_push")
      },
      {
        "(api|rpc)_(v1|prom)_(push|query)",
        List.of(
            "api_v1_push", "api_v1_query", "api_prom_push", "api_prom_query",
            "rpc_v1_push", "rpc_v1_query", "rpc_prom_push", "rpc_prom_query")
      },
      {"[-1-2][a-c]", List.of("-a", "-b", "-c", "1a", "1b", "1c", "2a", "2b", "2c")},
      {"[1^3]", List.of("1", "3", "^")},
      {"(.+)/(foo|bar)", List.of()},
      {"fo.o|bar?|^baz", List.of()},
      {"(?i)foo", List.of()},
      {"(api|rpc)_[^0-9]", List.of()},
      {"[a-z][a-z]", List.of()},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      List<String> want = (List<String>) c[1];
      assertThat(Matcher.regex("l", (String) c[0]).setMatches())
          .as((String) c[0])
          .containsExactlyInAnyOrderElementsOf(want);
    }
  }

  @Test
  void shapesAreRecognised() {
    assertThat(FastRegex.compile(".*").stringMatcher()).isInstanceOf(StringMatcher.Any.class);
    assertThat(FastRegex.compile("(?s:.*)").stringMatcher()).isInstanceOf(StringMatcher.Any.class);
    assertThat(FastRegex.compile(".+").stringMatcher()).isInstanceOf(StringMatcher.AnyNonEmpty.class);
    assertThat(FastRegex.compile("foo.*").stringMatcher()).isInstanceOf(StringMatcher.LiteralPrefix.class);
    assertThat(FastRegex.compile(".*foo").stringMatcher()).isInstanceOf(StringMatcher.LiteralSuffix.class);
    assertThat(FastRegex.compile(".*foo.*").stringMatcher()).isInstanceOf(StringMatcher.Contains.class);
    assertThat(FastRegex.compile("foo.*").prefix()).isEqualTo("foo");
    assertThat(FastRegex.compile("foo.*hello.*bar").prefix()).isEqualTo("foo");
    // 16 or more literals become a hash lookup, as in Prometheus.
    StringMatcher many = FastRegex.compile("(a|b|c|d|e|f|g|h|i|j|k|l|m|n|o|p)x.*").stringMatcher();
    assertThat(many).isNotNull();
    assertThat(FastRegex.compile("a01|a02|a03|a04|a05|a06|a07|a08|a09|a10|a11|a12|a13|a14|a15|a16").stringMatcher())
        .isInstanceOf(StringMatcher.MultiEqual.class);
    // Outside the subset: RE2/J, still correct.
    assertThat(FastRegex.compile("\\d+").isOptimized()).isFalse();
    assertThat(Matcher.regex("l", "\\d+").matches("123")).isTrue();
    assertThat(Matcher.regex("l", "(?i)foo").matches("FoO")).isTrue();
  }

  @Test
  void badRegexIsReportedLikeGo() {
    assertThatThrownBy(() -> Matcher.regex("l", "("))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("error parsing regexp: missing closing ): `(`");
    assertThatThrownBy(() -> Matcher.regex("l", "a)(b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("error parsing regexp:");
    assertThatThrownBy(() -> Matcher.regex("l", "a**"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("error parsing regexp: invalid nested repetition operator: `**`");
  }

  @Test
  void stringFormIsGos() {
    assertThat(Matcher.regex("job", "a|b")).hasToString("job=~\"a|b\"");
    assertThat(Matcher.notEqual("my.label", "x\"y")).hasToString("\"my.label\"!=\"x\\\"y\"");
    assertThat(Matcher.equal("", "")).hasToString("\"\"=\"\"");
  }

  @Test
  void emptyValueRules() {
    assertThat(Matcher.equal("env", "").matchesEmpty()).isTrue();
    assertThat(Matcher.notEqual("env", "").matchesEmpty()).isFalse();
    assertThat(Matcher.regex("env", ".*").matchesEmpty()).isTrue();
    assertThat(Matcher.regex("env", ".+").matchesEmpty()).isFalse();
    assertThat(Matcher.regex("env", "a|").matchesEmpty()).isTrue();
    assertThat(Matcher.notRegex("env", "a|").matchesEmpty()).isFalse();
  }

  private static String quote(String s) {
    return io.promtsdb.core.GoQuote.quote(s);
  }
}
