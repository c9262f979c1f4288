package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Varint vectors emitted by Go 1.19's {@code encoding/binary} (testdata/vectors/varints-go.json):
 * encodings must match byte for byte, and decoding must accept exactly what Go accepts.
 */
class VarintsGoVectorsTest {
  private static final JsonNode VECTORS = load();

  private static JsonNode load() {
    try {
      return new ObjectMapper().readTree(TestData.path("vectors/varints-go.json").toFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void encodingsMatchGo() throws Exception {
    int checked = 0;
    for (JsonNode v : VECTORS.get("encodings")) {
      byte[] expected = TestData.hex(v.get("hex").asText());
      DataWriter w = new DataWriter();
      boolean unsigned = v.get("kind").asText().equals("uvarint");
      long value =
          unsigned
              ? Long.parseUnsignedLong(v.get("value").asText())
              : Long.parseLong(v.get("value").asText());
      if (unsigned) {
        w.uvarint(value);
        assertThat(Varints.uvarintSize(value)).isEqualTo(expected.length);
      } else {
        w.varint(value);
        assertThat(Varints.varintSize(value)).isEqualTo(expected.length);
      }
      assertThat(w.toByteArray()).as("%s %s", v.get("kind"), v.get("value")).isEqualTo(expected);
      DataReader r = DataReader.of("vector", expected);
      assertThat(unsigned ? r.uvarint() : r.varint()).isEqualTo(value);
      r.expectEnd("vector");
      checked++;
    }
    assertThat(checked).isGreaterThan(400);
  }

  @Test
  void decodingsAcceptAndRejectWhatGoDoes() throws Exception {
    int ok = 0;
    int rejected = 0;
    for (JsonNode v : VECTORS.get("decodings")) {
      byte[] in = TestData.hex(v.get("hex").asText());
      int goN = v.get("uvarint_n").asInt();
      if (goN > 0) {
        DataReader r = DataReader.of("vector", in);
        assertThat(r.uvarint()).isEqualTo(Long.parseUnsignedLong(v.get("uvarint_value").asText()));
        assertThat(r.position()).isEqualTo(goN);
        DataReader s = DataReader.of("vector", in);
        assertThat(s.varint()).isEqualTo(Long.parseLong(v.get("varint_value").asText()));
        ok++;
      } else {
        assertThatThrownBy(() -> DataReader.of("vector", in).uvarint())
            .as("hex %s", v.get("hex").asText())
            .isInstanceOf(CorruptFormatException.class)
            .hasMessageContaining("vector at offset 0");
        rejected++;
      }
    }
    assertThat(ok).isGreaterThan(10);
    assertThat(rejected).isGreaterThan(10);
  }
}
