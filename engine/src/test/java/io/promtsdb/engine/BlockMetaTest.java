package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class BlockMetaTest {

  static List<Path> fixtureMetas() throws IOException {
    try (Stream<Path> s = Files.walk(TestData.path("fixtures"))) {
      return s.filter(p -> p.getFileName().toString().equals("meta.json")).sorted().toList();
    }
  }

  @Test
  void everyFixtureMetaRewritesByteForByte() throws IOException {
    List<Path> metas = fixtureMetas();
    assertThat(metas).hasSizeGreaterThan(20);
    for (Path p : metas) {
      byte[] golden = Files.readAllBytes(p);
      BlockMeta m = BlockMeta.read(p.getParent());
      assertThat(m.ulid().toString()).isEqualTo(p.getParent().getFileName().toString());
      assertThat(new String(m.toJson(), StandardCharsets.UTF_8))
          .as(p.toString())
          .isEqualTo(new String(golden, StandardCharsets.UTF_8));
    }
  }

  /** Every field, written by Go's json.MarshalIndent with the newest BlockMeta struct. */
  @Test
  void goGoldenWithEveryField() throws IOException {
    byte[] golden = resource("meta/full.json");
    BlockMeta m = BlockMeta.parse(golden, "full.json");
    assertThat(m.stats().numSamples()).isEqualTo(-1L); // uint64 max
    assertThat(m.stats().numFloatSamples()).isEqualTo(100);
    assertThat(m.stats().numHistogramSamples()).isEqualTo(23);
    assertThat(m.stats().numTombstones()).isEqualTo(1);
    assertThat(m.compaction().deletable()).isTrue();
    assertThat(m.compaction().failed()).isTrue();
    assertThat(m.compaction().parents().get(0).ulid()).isEqualTo(Ulid.ZERO);
    assertThat(m.compaction().fromOutOfOrder()).isTrue();
    assertThat(m.compaction().hints()).hasSize(4);
    assertThat(m.minTime()).isEqualTo(-5);
    assertThat(m.toJson()).isEqualTo(golden);

    byte[] empty = resource("meta/empty.json");
    assertThat(BlockMeta.parse(empty, "empty.json").toJson()).isEqualTo(empty);
  }

  @Test
  void oldKeyOrderOfPrometheus2() throws IOException {
    BlockMeta m = BlockMeta.read(TestData.path("prometheus-2.42.0/index_format_v1"));
    assertThat(m.ulid()).hasToString("01DXXFZDYD1MQW6079WK0K6EDQ");
    assertThat(m.maxTime()).isEqualTo(7200000);
    assertThat(m.stats().numSamples()).isEqualTo(102);
    assertThat(m.compaction().level()).isEqualTo(1);
    assertThat(m.version()).isEqualTo(1);
  }

  @Test
  void badFilesNameTheFile() {
    assertThatThrownBy(() -> BlockMeta.read(TestData.path("prometheus-2.42.0/repair_index_version/01BZJ9WJQPWHGNC2W4J9TA62KC")))
        .isInstanceOf(CorruptFormatException.class)
        .hasMessageContaining("meta.json")
        .hasMessageContaining("unexpected meta file version 2");
    assertThatThrownBy(() -> BlockMeta.parse("{\"ulid\": 5, \"version\": 1}".getBytes(), "x/meta.json"))
        .isInstanceOf(CorruptFormatException.class)
        .hasMessageContaining("x/meta.json")
        .hasMessageContaining("field ulid");
    assertThatThrownBy(() -> BlockMeta.parse("{\"ulid\": \"01DXXFZDYD1MQW6079WK0K6ED\", \"version\": 1}".getBytes(), "m"))
        .hasMessageContaining("invalid ULID");
    assertThatThrownBy(() -> BlockMeta.parse("{\"version\": 1,".getBytes(), "m"))
        .isInstanceOf(CorruptFormatException.class)
        .hasMessageContaining("invalid JSON");
    assertThatThrownBy(() -> BlockMeta.parse("{\"stats\": {\"numSamples\": -1}, \"version\": 1}".getBytes(), "m"))
        .hasMessageContaining("uint64");
    assertThatThrownBy(() -> BlockMeta.parse("[]".getBytes(), "m")).hasMessageContaining("not a JSON object");
  }

  @Test
  void goKeyRulesCaseInsensitiveLastWinsUnknownIgnored() throws CorruptFormatException {
    BlockMeta m =
        BlockMeta.parse(
            ("{\"ULID\":\"01DXXFZDYD1MQW6079WK0K6EDQ\",\"minTime\":1,\"mintime\":2,"
                    + "\"thanos\":{\"labels\":{}},\"version\":1}")
                .getBytes(),
            "m");
    assertThat(m.ulid()).hasToString("01DXXFZDYD1MQW6079WK0K6EDQ");
    assertThat(m.minTime()).isEqualTo(2);
  }

  @Test
  void ulidRoundTripAndOrder() {
    Ulid a = Ulid.parse("01M80DQJH0BESSQ6C48W8X23M5");
    assertThat(a).hasToString("01M80DQJH0BESSQ6C48W8X23M5");
    assertThat(Ulid.parse("01m80dqjh0bessq6c48w8x23m5")).isEqualTo(a);
    assertThat(a.timestamp()).isEqualTo(1795310733856L); // 01M80DQJH0, base32
    assertThat(Ulid.parse("7ZZZZZZZZZZZZZZZZZZZZZZZZZ")).hasToString("7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
    assertThatThrownBy(() -> Ulid.parse("8ZZZZZZZZZZZZZZZZZZZZZZZZZ")).hasMessageContaining("overflow");
    assertThatThrownBy(() -> Ulid.parse("01M80DQJH0BESSQ6C48W8X23MU")).hasMessageContaining("bad character");
    assertThat(Ulid.isValid("01M80DQJH0BESSQ6C48W8X23M5")).isTrue();
    assertThat(Ulid.isValid("wal")).isFalse();
    assertThat(Ulid.parse("01M80DQJH0BESSQ6C48W8X23M5")).isLessThan(Ulid.parse("01M80DT7A5E0KSN4SD4GDWTGQ9"));
    Ulid g = Ulid.generate(1795310554656L);
    assertThat(g.timestamp()).isEqualTo(1795310554656L);
    assertThat(Ulid.parse(g.toString())).isEqualTo(g);
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = BlockMetaTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }
}
