package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of the spec's "Conventions" chapter are files; this test holds each
 * one against the implementation so the spec cannot drift from the code.
 */
class ConventionsSpecExamplesTest {

  private static List<String[]> rows(String file) throws Exception {
    return Files.readAllLines(TestData.spec("examples/conventions/" + file)).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .map(String::trim)
        .map(l -> l.split("\\s{2,}"))
        .toList();
  }

  @Test
  void varintExamples() throws Exception {
    List<String[]> rows = rows("varints.txt");
    assertThat(rows).hasSizeGreaterThan(10);
    for (String[] r : rows) {
      byte[] expected = TestData.hex(r[2]);
      DataWriter w = new DataWriter();
      DataReader in = DataReader.of("spec", expected);
      if (r[0].equals("uvarint")) {
        long v = Long.parseUnsignedLong(r[1]);
        w.uvarint(v);
        assertThat(in.uvarint()).isEqualTo(v);
      } else {
        assertThat(r[0]).isEqualTo("varint");
        long v = Long.parseLong(r[1]);
        w.varint(v);
        assertThat(in.varint()).isEqualTo(v);
      }
      assertThat(w.toByteArray()).as(String.join(" ", r)).isEqualTo(expected);
      in.expectEnd("example");
    }
  }

  @Test
  void invalidVarintExamplesAreRejected() throws Exception {
    List<String[]> rows = rows("varints-invalid.txt");
    assertThat(rows).hasSize(3);
    for (String[] r : rows) {
      byte[] bytes = TestData.hex(r[0]);
      assertThatThrownBy(() -> DataReader.of("spec", bytes).uvarint())
          .as(r[1])
          .isInstanceOf(CorruptFormatException.class)
          .hasMessageContaining(r[1].startsWith("truncated") ? "truncated" : "overflows");
    }
  }

  @Test
  void crc32cExamples() throws Exception {
    List<String[]> rows = rows("crc32c.txt");
    assertThat(rows).hasSize(3);
    for (String[] r : rows) {
      String input = r[0].equals("(empty)") ? "" : r[0];
      int crc = Crc32c.compute(input.getBytes(StandardCharsets.US_ASCII));
      assertThat(crc).as(r[0]).isEqualTo(ByteSource.of(TestData.hex(r[1])).be32(0));
    }
  }

  @Test
  void sectionExampleIsAValidSymbolTable() throws Exception {
    StringBuilder hex = new StringBuilder();
    long expectedOffset = 0;
    for (String[] r : rows("section.txt")) {
      assertThat(Long.parseLong(r[0], 16)).as("offset column").isEqualTo(expectedOffset);
      byte[] b = TestData.hex(r[1]);
      hex.append(r[1]);
      expectedOffset += b.length;
    }
    byte[] file = TestData.hex(hex.toString());
    Sections.Section s = Sections.readBe32(ByteSource.of("example", file), 0, "symbols");
    DataReader r = new DataReader(s.payload());
    int n = r.checkCount(r.be32Unsigned(), 1, "symbols");
    assertThat(n).isEqualTo(2);
    assertThat(r.uvarintString()).isEqualTo("a");
    assertThat(r.uvarintString()).isEqualTo("b");
    r.expectEnd("symbol table");
    assertThat(s.end()).isEqualTo(file.length);

    DataWriter w = new DataWriter();
    int t = w.beginBe32Section();
    w.be32(2).uvarintString("a").uvarintString("b");
    w.endBe32Section(t);
    assertThat(w.toByteArray()).isEqualTo(file);
  }
}
