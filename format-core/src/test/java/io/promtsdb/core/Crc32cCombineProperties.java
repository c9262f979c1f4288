package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class Crc32cCombineProperties {

  @Property
  void combineEqualsCrcOfConcatenation(
      @ForAll @Size(max = 300) byte[] data, @ForAll @IntRange(min = 0, max = 300) int cut) {
    int split = Math.min(cut, data.length);
    byte[] a = Arrays.copyOfRange(data, 0, split);
    byte[] b = Arrays.copyOfRange(data, split, data.length);
    assertThat(Crc32c.combine(Crc32c.compute(a), Crc32c.compute(b), b.length))
        .isEqualTo(Crc32c.compute(data));
  }

  @Property(tries = 20)
  void combineHandlesLongSuffixes(@ForAll @IntRange(min = 1, max = 1 << 20) int zeros) {
    byte[] a = {1, 2, 3, 4};
    byte[] b = new byte[zeros];
    b[zeros / 2] = 7;
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    assertThat(Crc32c.combine(Crc32c.compute(a), Crc32c.compute(b), b.length))
        .isEqualTo(Crc32c.compute(all));
  }
}
