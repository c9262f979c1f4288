package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promtsdb.core.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LabelsTest {

  private static JsonNode strings() throws Exception {
    return new ObjectMapper().readTree(TestData.path("vectors/strings-go.json").toFile());
  }

  @Test
  void sortOrderMatchesGoSortStrings() throws Exception {
    JsonNode v = strings();
    List<String> in = new ArrayList<>();
    v.get("quotes").forEach(q -> in.add(q.get("s").asText()));
    List<String> expected = new ArrayList<>();
    v.get("sorted").forEach(s -> expected.add(s.asText()));
    in.sort(Utf8Order.COMPARATOR);
    assertThat(in).isEqualTo(expected);
    // The vector set must contain a case where UTF-16 order differs, or this test proves little.
    List<String> utf16 = new ArrayList<>(in);
    utf16.sort(String::compareTo);
    assertThat(utf16).isNotEqualTo(expected);
  }

  @Test
  void quoteMatchesGoStrconvQuote() throws Exception {
    for (JsonNode q : strings().get("quotes")) {
      assertThat(GoQuote.quote(q.get("s").asText()))
          .as("quote of %s", q.get("quoted").asText())
          .isEqualTo(q.get("quoted").asText());
    }
  }

  @Property
  void utf8OrderIsUnsignedByteOrder(@ForAll String a, @ForAll String b) {
    // Unpaired surrogates are not UTF-8; Prometheus label strings never contain them.
    String x = a.replaceAll("[\\uD800-\\uDFFF]", "s");
    String y = b.replaceAll("[\\uD800-\\uDFFF]", "s");
    int expected =
        Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8), y.getBytes(StandardCharsets.UTF_8));
    assertThat(Integer.signum(Utf8Order.compare(x, y))).isEqualTo(Integer.signum(expected));
  }

  @Property
  void labelsAreSortedAndComparedLikeGo(
      @ForAll @Size(max = 6) List<@Size(max = 3) String> names, @ForAll String value) {
    List<String> pairs = new ArrayList<>();
    for (String n : names) {
      pairs.add(n);
      pairs.add(value + n);
    }
    Labels l = Labels.of(pairs.toArray(new String[0]));
    for (int i = 1; i < l.size(); i++) {
      assertThat(Utf8Order.compare(l.name(i - 1), l.name(i))).isLessThanOrEqualTo(0);
    }
    assertThat(l.compareTo(l)).isZero();
    assertThat(l).isEqualTo(Labels.of(pairs.toArray(new String[0])));
  }

  @Test
  void compareIsLabelByLabelThenLength() {
    Labels a = Labels.of("a", "1");
    Labels ab = Labels.of("a", "1", "b", "1");
    Labels a2 = Labels.of("a", "2");
    Labels b = Labels.of("b", "0");
    assertThat(a.compareTo(ab)).isNegative();
    assertThat(ab.compareTo(a2)).isNegative();
    assertThat(a2.compareTo(b)).isNegative();
    assertThat(Labels.EMPTY.compareTo(a)).isNegative();
    // Outside the BMP: UTF-8 puts U+FFFD before U+1F600, UTF-16 after.
    assertThat(Labels.of("x", "\uFFFD").compareTo(Labels.of("x", "😀"))).isNegative();
  }

  @Test
  void stringFormIsPrometheus() {
    Labels l = Labels.of("job", "api", "__name__", "up", "path", "/a\"b\n", "ünïcode", "x");
    assertThat(l.toString())
        .isEqualTo("{__name__=\"up\", job=\"api\", path=\"/a\\\"b\\n\", \"ünïcode\"=\"x\"}");
    assertThat(l.metricName()).isEqualTo("up");
    assertThat(l.get("missing")).isEmpty();
    assertThat(l.has("job")).isTrue();
    assertThat(Labels.EMPTY.toString()).isEqualTo("{}");
  }

  @Test
  void duplicatesAreKeptAndReported() {
    Labels l = Labels.of("a", "1", "a", "2");
    assertThat(l.size()).isEqualTo(2);
    assertThat(l.hasDuplicateNames()).isTrue();
    assertThat(l.value(0)).isEqualTo("1");
    assertThat(Labels.of("a", "1", "b", "2").hasDuplicateNames()).isFalse();
  }

  @Test
  void builderReplacesAndDropsEmptyValues() {
    Labels l = Labels.builder().set("b", "2").set("a", "1").set("b", "3").set("c", "").build();
    assertThat(l).isEqualTo(Labels.of("a", "1", "b", "3"));
    assertThat(l.toBuilder().delete("a").build()).isEqualTo(Labels.of("b", "3"));
    assertThat(l.toMap()).containsExactly(
        java.util.Map.entry("a", "1"), java.util.Map.entry("b", "3"));
    assertThat(l.asList()).containsExactly(new Label("a", "1"), new Label("b", "3"));
    assertThatThrownBy(() -> Labels.of("odd")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void legacyNames() {
    assertThat(Labels.isLegacyName("__name__")).isTrue();
    assertThat(Labels.isLegacyName("a1")).isTrue();
    assertThat(Labels.isLegacyName("1a")).isFalse();
    assertThat(Labels.isLegacyName("a.b")).isFalse();
    assertThat(Labels.isLegacyName("")).isFalse();
  }
}
