package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.Labels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The OpenMetrics parser and backfill helpers without promtool (CreateBlocksFromTest compares
 * with the real binary); expected messages are the ones promtool 3.5.3 printed for the same
 * input.
 */
class OpenMetricsParserTest {

  record Sample(Labels labels, Long t, double v) {}

  static List<Sample> parse(String text, boolean v3) throws Exception {
    OpenMetricsParser p = new OpenMetricsParser(text.getBytes(StandardCharsets.UTF_8), v3);
    List<Sample> out = new ArrayList<>();
    for (OpenMetricsParser.Entry e = p.next(); e != OpenMetricsParser.Entry.EOF; e = p.next()) {
      if (e == OpenMetricsParser.Entry.SERIES) {
        out.add(new Sample(p.labels(), p.timestamp(), p.value()));
      }
    }
    return out;
  }

  @Test
  void parsesSeriesAsPrometheus() throws Exception {
    String in = "# HELP h_seconds Help \\n text.\n# TYPE h_seconds histogram\n# UNIT h_seconds seconds\n"
        + "h_seconds_bucket{le=\"1e3\",z=\"a\\\"b\\\\c\\nd\"} 3 1700000000.1239 # {trace=\"x\"} 1 1700000000\n"
        + "{\"odd.name\",\"quoted label\"=\"v\",} NaN 12\n"
        + "h_seconds_created 1.5e3\n"
        + "# EOF\n";
    List<Sample> s = parse(in, true);
    assertThat(s).hasSize(3);
    assertThat(s.get(0).labels()).isEqualTo(Labels.of("__name__", "h_seconds_bucket", "le", "1000.0", "z", "a\"b\\c\nd"));
    assertThat(s.get(0).t()).isEqualTo(1_700_000_000_123L);
    assertThat(s.get(0).v()).isEqualTo(3.0);
    assertThat(s.get(1).labels()).isEqualTo(Labels.of("__name__", "odd.name", "quoted label", "v"));
    assertThat(s.get(1).t()).isEqualTo(12_000L);
    // Go's strconv.ParseFloat("NaN") is math.NaN(): 0x7FF8000000000001, not Java's NaN.
    assertThat(Double.doubleToRawLongBits(s.get(1).v())).isEqualTo(0x7FF8000000000001L);
    assertThat(s.get(2).t()).isNull();
    assertThat(s.get(2).v()).isEqualTo(1500.0);
    // 2.x kept le values as written.
    assertThat(parse(in, false).get(0).labels().get("le")).isEqualTo("1e3");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "a 1 1\\n|data does not end with # EOF",
      "a{b=c} 1 1\\n# EOF\\n|expected label value, got \"c\" (\"INVALID\") while parsing: \"a{b=c\"",
      "a{b=\"c\"} x 1\\n# EOF\\n|strconv.ParseFloat: parsing \"x\": invalid syntax while parsing: \"a{b=\\\"c\\\"} x\"",
      "# TYPE a nonsense\\na 1 1\\n# EOF\\n|invalid metric type \"nonsense\"",
      "a 1 1\\n# EOF\\nb 1 1\\n|unexpected data after # EOF"
  })
  void rejectsAsPrometheus(String input, String message) {
    String in = input.replace("\\n", "\n");
    assertThatThrownBy(() -> parse(in, true)).isInstanceOf(OpenMetricsParser.ParseException.class).hasMessage(message);
  }

  @Test
  void goParseFloatSyntax() {
    assertThat(GoParseFloat.parse("+Inf")).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(GoParseFloat.parse("-infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(GoParseFloat.parse(".5")).isEqualTo(0.5);
    assertThat(GoParseFloat.parse("1.")).isEqualTo(1.0);
    assertThat(GoParseFloat.parse("1e-400")).isEqualTo(0.0);
    for (String bad : new String[] {"+nan", "infin", "0x1", ".", "1e", " 1", "1d", "1f"}) {
      assertThatThrownBy(() -> GoParseFloat.parse(bad)).hasMessage("strconv.ParseFloat: parsing \"" + bad + "\": invalid syntax");
    }
    assertThatThrownBy(() -> GoParseFloat.parse("1e400")).hasMessage("strconv.ParseFloat: parsing \"1e400\": value out of range");
    String huge = "9".repeat(400);
    assertThatThrownBy(() -> GoParseFloat.parse(huge)).hasMessage("strconv.ParseFloat: parsing \"" + huge + "\": value out of range");
    assertThat(GoParseFloat.parse("0.1")).isEqualTo(0.1);
    assertThat(GoParseFloat.parse("12345678901234567890")).isEqualTo(1.2345678901234567e19);
  }

  @Test
  void blockDurationsAsPromtool() {
    long h = 3600_000L;
    assertThat(Backfill.compatibleBlockDuration(0)).isEqualTo(2 * h);
    assertThat(Backfill.compatibleBlockDuration(h)).isEqualTo(2 * h);
    assertThat(Backfill.compatibleBlockDuration(7 * h)).isEqualTo(6 * h);
    assertThat(Backfill.compatibleBlockDuration(18 * h)).isEqualTo(18 * h);
    // Anything enormous: the largest of ten ranges, 2h * 3^9.
    assertThat(Backfill.compatibleBlockDuration(Long.MAX_VALUE)).isEqualTo(2 * h * 19683);
  }

  @Test
  void customLabelsReplaceAndEmptyValuesDrop() {
    Labels l = Labels.of("__name__", "m", "a", "", "b", "1", "job", "x");
    assertThat(Backfill.withCustomLabels(l, Map.of("job", "y", "b", "")))
        .isEqualTo(Labels.of("__name__", "m", "job", "y"));
    assertThat(Backfill.withCustomLabels(Labels.of("__name__", "m"), Map.of())).isEqualTo(Labels.of("__name__", "m"));
  }
}
