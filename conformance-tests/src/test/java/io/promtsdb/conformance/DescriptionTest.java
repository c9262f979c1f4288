package io.promtsdb.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code describe}: parsing, printing, and the reasons for missing capabilities. */
class DescriptionTest {
  @Test
  void missingReasonsSurviveJsonAndAreDroppedForCapabilitiesItHas() throws IOException {
    Description d = new Description("x", "1", List.of("3.5.3"), EnumSet.of(Capability.DUMP_DIR), false, Set.of(1),
        Map.of(Capability.WRITE_BLOCKS, "not yet", Capability.DUMP_DIR, "stale"));
    assertThat(d.missingReason(Capability.WRITE_BLOCKS)).isEqualTo("not yet");
    assertThat(d.missingReason(Capability.DUMP_DIR)).isNull();
    String json = Json.canonical(d.toJson());
    assertThat(json).isEqualTo("{\"name\":\"x\",\"version\":\"1\",\"targets\":[\"3.5.3\"],\"capabilities\":[\"dump-dir\"],"
        + "\"serve\":false,\"chunk_encodings\":[1],\"missing\":{\"write-blocks\":\"not yet\"}}");
    assertThat(Description.fromJson(Json.parse(json))).isEqualTo(d);
  }

  @Test
  void withoutReasonsNothingIsPrintedAndUnknownNamesAreIgnored() throws IOException {
    Description d = new Description("x", "1", List.of("3.5.3"), Set.of(), true);
    assertThat(Json.canonical(d.toJson())).doesNotContain("missing");
    Description parsed = Description.fromJson(Json.parse(
        "{\"name\":\"x\",\"targets\":[\"3.5.3\"],\"capabilities\":[\"teleport\"],\"missing\":{\"teleport\":\"no\",\"read-wal\":\"later\"}}"));
    assertThat(parsed.capabilities()).isEmpty();
    assertThat(parsed.missing()).containsExactly(Map.entry(Capability.READ_WAL, "later"));
    assertThatThrownBy(() -> Description.fromJson(Json.parse("{\"name\":\"x\",\"targets\":[\"3.5.3\"],\"capabilities\":[],\"missing\":[]}")))
        .isInstanceOf(Canonical.MalformedJsonException.class);
  }

  @Test
  void promTsdbHasEveryCapabilityInProcess() {
    Description d = PromTsdb.implementation().describe();
    for (Capability c : Capability.values()) {
      assertThat(d.has(c)).as("%s", c).isTrue();
    }
    assertThat(d.missing()).isEmpty();
  }
}
