package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.testing.TestData;
import org.junit.jupiter.api.Test;

/** Every reader method on short, overflowing and absurd input, with the offsets reported. */
class DataReaderTest {

  private static DataReader reader(String hex) throws CorruptFormatException {
    // A slice at a non-zero origin, so reported offsets are absolute.
    byte[] padded = TestData.hex("eeeeeeee" + hex.replace(" ", ""));
    return new DataReader(ByteSource.of("file", padded).slice("sec", 4, padded.length - 4));
  }

  @Test
  void fixedWidthReadsAreBigEndian() throws Exception {
    DataReader r = reader("ab 0102 01020304 0102030405060708 3ff0000000000000");
    assertThat(r.u8()).isEqualTo(0xAB);
    assertThat(r.be16()).isEqualTo(0x0102);
    assertThat(r.be32()).isEqualTo(0x01020304);
    assertThat(r.be64()).isEqualTo(0x0102030405060708L);
    assertThat(r.be64Double()).isEqualTo(1.0);
    assertThat(r.absolutePosition()).isEqualTo(4 + 23);
    r.expectEnd("test");
  }

  @Test
  void be32UnsignedAndUvarint32() throws Exception {
    assertThat(reader("ffffffff").be32Unsigned()).isEqualTo(0xFFFFFFFFL);
    assertThat(reader("ffffffff0f").uvarint32()).isEqualTo(0xFFFFFFFFL);
    assertThatThrownBy(() -> reader("8080808010").uvarint32())
        .isInstanceOf(CorruptFormatException.class)
        .hasMessage("file [sec] at offset 4: uvarint32 overflow: actual 4294967296 vs expected <= 4294967295");
  }

  @Test
  void shortReadsNameTheAbsoluteOffset() throws Exception {
    DataReader r = reader("01 02 03");
    r.u8();
    assertThatThrownBy(r::be32)
        .isInstanceOf(CorruptFormatException.class)
        .hasMessage("file [sec] at offset 5: need 4 bytes, only 2 remain");
    assertThatThrownBy(r::be64).hasMessageContaining("need 8 bytes, only 2 remain");
    r.be16();
    assertThatThrownBy(r::u8).hasMessage("file [sec] at offset 7: need 1 bytes, only 0 remain");
    assertThatThrownBy(r::be16).isInstanceOf(CorruptFormatException.class);
  }

  @Test
  void truncatedAndOverflowingVarints() throws Exception {
    assertThatThrownBy(() -> reader("80 80").uvarint())
        .hasMessage("file [sec] at offset 4: truncated uvarint: 2 bytes remain");
    assertThatThrownBy(() -> reader("ff ff ff ff ff ff ff ff ff 02").uvarint())
        .hasMessage("file [sec] at offset 4: uvarint overflows 64 bits");
    assertThatThrownBy(() -> reader("ff ff ff ff ff ff ff ff ff 81 00").varint())
        .hasMessage("file [sec] at offset 4: uvarint overflows 64 bits");
    // Non-minimal encodings are accepted, as in Go.
    assertThat(reader("80 80 00").uvarint()).isZero();
  }

  @Test
  void lengthsAreCheckedBeforeAllocation() throws Exception {
    assertThatThrownBy(() -> reader("ff ff ff ff 07 61").uvarintBytes())
        .isInstanceOf(CorruptFormatException.class)
        .hasMessage("file [sec] at offset 4: length 2147483647 exceeds the 1 remaining bytes");
    assertThatThrownBy(() -> reader("ff ff ff ff ff ff ff ff ff 01").uvarintString())
        .hasMessageContaining("string length 18446744073709551615 exceeds the 0 remaining bytes");
    assertThatThrownBy(() -> reader("00").byteArray(2)).hasMessageContaining("need 2 bytes");
    assertThatThrownBy(() -> reader("00").bytes(-1)).hasMessageContaining("need -1 bytes");
    assertThatThrownBy(() -> reader("00").skip(5)).hasMessageContaining("need 5 bytes");
  }

  @Test
  void countsAreCheckedAgainstRemainingBytes() throws Exception {
    DataReader r = reader("7f ff ff ff 00 00 00 00");
    long claimed = r.be32Unsigned();
    assertThatThrownBy(() -> r.checkCount(claimed, 4, "postings"))
        .isInstanceOf(CorruptFormatException.class)
        .hasMessage(
            "file [sec] at offset 8: postings: count 2147483647 needs at least 8589934588 bytes, only 4 remain");
    assertThat(r.checkCount(1, 4, "postings")).isEqualTo(1);
    assertThatThrownBy(() -> r.checkCount(-1, 1, "x")).hasMessageContaining("count 18446744073709551615");
    assertThatThrownBy(() -> reader("05 00").uvarintCount(1, "labels"))
        .hasMessageContaining("labels: count 5 needs at least 5 bytes, only 1 remain");
  }

  @Test
  void stringsAndSlices() throws Exception {
    DataReader r = reader("03 61 62 63 02 c3 a9 02 ff fe");
    assertThat(r.uvarintString()).isEqualTo("abc");
    assertThat(r.uvarintString()).isEqualTo("é");
    ByteSource s = r.bytes(3);
    assertThat(s.origin()).isEqualTo(4 + 7);
    assertThat(s.description()).isEqualTo("file [sec]");
    assertThat(s.u8(0)).isEqualTo(2);
    assertThat(r.hasRemaining()).isFalse();
  }

  @Test
  void expectEndAndPositioning() throws Exception {
    DataReader r = reader("01 02");
    r.u8();
    assertThatThrownBy(() -> r.expectEnd("series entry"))
        .hasMessage("file [sec] at offset 5: unexpected 1 bytes left in series entry");
    r.position(0);
    assertThat(r.u8()).isEqualTo(1);
    assertThatThrownBy(() -> r.position(3)).hasMessageContaining("position 3 outside the 2 available bytes");
    assertThatThrownBy(() -> r.position(-1)).isInstanceOf(CorruptFormatException.class);
  }

  @Test
  void readerOverNonArraySourceBehavesTheSame() throws Exception {
    byte[] b = TestData.hex("ab 0102 01020304 0102030405060708 ac02 01 03 616263");
    ByteSource wrapped = new io.promtsdb.core.testing.TrackingByteSource(ByteSource.of("t", b));
    DataReader r = new DataReader(wrapped);
    assertThat(r.u8()).isEqualTo(0xAB);
    assertThat(r.be16()).isEqualTo(0x0102);
    assertThat(r.be32()).isEqualTo(0x01020304);
    assertThat(r.be64()).isEqualTo(0x0102030405060708L);
    assertThat(r.uvarint()).isEqualTo(300);
    assertThat(r.varint()).isEqualTo(-1);
    assertThat(r.uvarintString()).isEqualTo("abc");
    r.expectEnd("t");
  }
}
