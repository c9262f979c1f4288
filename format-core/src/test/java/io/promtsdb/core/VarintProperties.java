package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import java.util.List;

class VarintProperties {

  @Property
  void uvarintRoundTrips(@ForAll long value) throws Exception {
    DataWriter w = new DataWriter();
    w.uvarint(value);
    assertThat(w.size()).isEqualTo(Varints.uvarintSize(value));
    DataReader r = new DataReader(w.asSource("p"));
    assertThat(r.uvarint()).isEqualTo(value);
    assertThat(r.hasRemaining()).isFalse();
  }

  @Property
  void varintRoundTrips(@ForAll long value) throws Exception {
    DataWriter w = new DataWriter();
    w.varint(value);
    assertThat(w.size()).isEqualTo(Varints.varintSize(value));
    DataReader r = new DataReader(w.asSource("p"));
    assertThat(r.varint()).isEqualTo(value);
  }

  @Property
  void zigZagIsABijection(@ForAll long value) {
    assertThat(Varints.zigZagDecode(Varints.zigZagEncode(value))).isEqualTo(value);
    assertThat(Varints.zigZagEncode(Varints.zigZagDecode(value))).isEqualTo(value);
  }

  @Property
  void sequencesRoundTripThroughEveryReaderMethod(
      @ForAll @Size(max = 50) List<Long> values, @ForAll String s) throws Exception {
    DataWriter w = new DataWriter(1);
    for (long v : values) {
      w.u8((int) v).be16((int) v).be32((int) v).be64(v).uvarint(v).varint(v);
    }
    w.uvarintString(s);
    DataReader r = new DataReader(w.asSource("seq"));
    for (long v : values) {
      assertThat(r.u8()).isEqualTo((int) v & 0xFF);
      assertThat(r.be16()).isEqualTo((int) v & 0xFFFF);
      assertThat(r.be32()).isEqualTo((int) v);
      assertThat(r.be64()).isEqualTo(v);
      assertThat(r.uvarint()).isEqualTo(v);
      assertThat(r.varint()).isEqualTo(v);
    }
    assertThat(r.uvarintString()).isEqualTo(s);
    r.expectEnd("seq");
  }

  @Property
  void arbitraryBytesDecodeOrThrowCorruption(@ForAll @Size(max = 24) byte[] bytes) {
    // Every reader method either succeeds or throws our checked exception; nothing else.
    for (int method = 0; method < 9; method++) {
      DataReader r = DataReader.of("arb", bytes);
      try {
        switch (method) {
          case 0 -> r.u8();
          case 1 -> r.be16();
          case 2 -> r.be32();
          case 3 -> r.be64();
          case 4 -> r.uvarint();
          case 5 -> r.varint();
          case 6 -> r.uvarintBytes();
          case 7 -> r.uvarintString();
          default -> r.uvarint32();
        }
      } catch (CorruptFormatException expected) {
        assertThat(expected.resource()).isEqualTo("arb");
      }
    }
  }
}
