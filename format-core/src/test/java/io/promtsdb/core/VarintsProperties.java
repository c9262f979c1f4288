package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class VarintsProperties {

  @Provide
  Arbitrary<Long> values() {
    // Every length class, its boundaries and negative (uint64 >= 2^63) values.
    return Arbitraries.oneOf(
        Arbitraries.longs(),
        Arbitraries.integers().between(0, 63).flatMap(
            b -> Arbitraries.of((1L << b) - 1, 1L << b, (1L << b) + 1)));
  }

  @Property
  void uvarintRoundTripsWithTheSizeGoWrites(@ForAll("values") long v) throws Exception {
    byte[] b = new byte[Varints.MAX_LEN];
    int n = Varints.putUvarint(b, 0, v);
    assertThat(n).isEqualTo(Varints.uvarintSize(v));
    // Go's encoding: 7 bits per byte, high bit on all but the last.
    long x = 0;
    for (int i = 0; i < n; i++) {
      assertThat((b[i] & 0x80) != 0).isEqualTo(i < n - 1);
      x |= (long) (b[i] & 0x7F) << (7 * i);
    }
    assertThat(x).isEqualTo(v);
    DataReader r = DataReader.of("v", java.util.Arrays.copyOf(b, n));
    assertThat(r.uvarint()).isEqualTo(v);
    r.expectEnd("varint");
  }
}
