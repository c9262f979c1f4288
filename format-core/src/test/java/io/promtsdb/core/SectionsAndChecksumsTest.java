package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.testing.Corruptions;
import io.promtsdb.core.testing.TestData;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SectionsAndChecksumsTest {

  @Test
  void crc32cCheckValues() throws Exception {
    assertThat(Crc32c.compute("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xE3069283);
    assertThat(Crc32c.compute(new byte[0])).isZero();
    byte[] b = "xx123456789yy".getBytes(StandardCharsets.US_ASCII);
    assertThat(Crc32c.compute(ByteSource.of(b), 2, 9)).isEqualTo(0xE3069283);
  }

  private static byte[] framed(byte[] payload) {
    DataWriter w = new DataWriter();
    w.zeros(3);
    int t = w.beginBe32Section();
    w.bytes(payload);
    w.endBe32Section(t);
    w.u8(0x77);
    return w.toByteArray();
  }

  @Property
  void be32SectionsRoundTrip(@ForAll byte[] payload) throws Exception {
    byte[] file = framed(payload);
    Sections.Section s = Sections.readBe32(ByteSource.of("f", file), 3, "symbols");
    assertThat(s.payload().toByteArray()).isEqualTo(payload);
    assertThat(s.payload().origin()).isEqualTo(7);
    assertThat(s.payload().description()).isEqualTo("f [symbols]");
    assertThat(s.end()).isEqualTo(file.length - 1);
  }

  @Test
  void everyBitFlipInAFramedSectionIsDetected() throws Exception {
    byte[] file = framed("some payload bytes".getBytes(StandardCharsets.US_ASCII));
    for (Corruptions.Variant v : Corruptions.allBitFlips(file, 3, file.length - 1)) {
      assertThatThrownBy(() -> Sections.readBe32(ByteSource.of("f", v.bytes()), 3, "symbols"))
          .as(v.description())
          .isInstanceOf(CorruptFormatException.class)
          .hasMessageStartingWith("f [symbols] at offset ");
    }
  }

  @Test
  void truncationAndAbsurdLengthsAreDetected() throws Exception {
    byte[] withTrailer = framed(new byte[] {1, 2, 3});
    byte[] file = java.util.Arrays.copyOf(withTrailer, withTrailer.length - 1);
    for (Corruptions.Variant v : Corruptions.truncations(file, file.length)) {
      assertThatThrownBy(() -> Sections.readBe32(ByteSource.of("f", v.bytes()), 3, "toc"))
          .as(v.description())
          .isInstanceOf(CorruptFormatException.class);
    }
    byte[] absurd = Corruptions.withBe32(file, 3, 0x7FFFFFF0).bytes();
    assertThatThrownBy(() -> Sections.readBe32(ByteSource.of("f", absurd), 3, "toc"))
        .hasMessage("f [toc] at offset 3: section length 2147483632 exceeds the 3 bytes available before the checksum");
    byte[] neg = Corruptions.withBe32(file, 3, 0xFFFFFFFF).bytes();
    assertThatThrownBy(() -> Sections.readBe32(ByteSource.of("f", neg), 3, "toc"))
        .hasMessageContaining("section length 4294967295 exceeds");
  }

  @Test
  void checksumMismatchNamesBothValues() throws Exception {
    byte[] file = framed(new byte[] {1, 2, 3});
    file[7] ^= 1;
    assertThatThrownBy(() -> Sections.readBe32(ByteSource.of("f", file), 3, "postings"))
        .isInstanceOfSatisfying(
            ChecksumMismatchException.class,
            e -> {
              assertThat(e.offset()).isEqualTo(10);
              assertThat(e.expected()).isNotEqualTo(e.actual());
            })
        .hasMessageMatching(
            "f \\[postings\\] at offset 10: CRC32C mismatch: actual 0x[0-9a-f]{8} vs expected 0x[0-9a-f]{8}");
    // Without verification the payload is handed out as is.
    assertThat(Sections.readBe32(ByteSource.of("f", file), 3, "postings", false).payload().length())
        .isEqualTo(3);
  }

  @Test
  void uvarintSections() throws Exception {
    DataWriter w = new DataWriter();
    w.uvarint(3).bytes(new byte[] {9, 8, 7}).be32(Crc32c.compute(new byte[] {9, 8, 7}));
    Sections.Section s = Sections.readUvarint(w.asSource("idx"), 0, "series", true);
    assertThat(s.payload().toByteArray()).containsExactly(9, 8, 7);
    assertThat(s.end()).isEqualTo(8);
    byte[] bad = w.toByteArray();
    bad[0] = 0x7F;
    assertThatThrownBy(() -> Sections.readUvarint(ByteSource.of("idx", bad), 0, "series", true))
        .hasMessage("idx [series] at offset 0: section length 127 exceeds the 3 bytes available before the checksum");
  }

  @Test
  void writerPaddingAndPatching() {
    DataWriter w = new DataWriter(1);
    w.u8(1);
    w.padTo(5, 16);
    assertThat(w.size()).isEqualTo(11);
    w.padTo(5, 16);
    assertThat(w.size()).isEqualTo(11);
    w.be32(0);
    w.setBE32(11, 0xCAFEBABE);
    assertThat(TestData.hex(w.toByteArray())).isEqualTo("0100000000000000000000cafebabe");
    w.truncate(1);
    assertThat(w.toByteArray()).containsExactly(1);
    assertThatThrownBy(() -> w.setBE32(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
