package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.CorruptFormatException;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The decoders' fast paths against their general paths (differential):
 * {@link BitReader#readXorBuckets} (float histogram buckets) must equal a loop of
 * {@link BitReader#readXor} on any bits and any decoder window, in values, windows, position and
 * error. Windows come from a {@link SplittableRandom} seeded by jqwik's reported seed.
 */
class FastPathProperties {

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300);
  }

  /**
   * Any bits, any window a decoder can hold (0/0 at the start, then leading 0..31 with
   * leading + trailing below 64): the bucket loop equals readXor per bucket in values, windows,
   * position and error.
   */
  @Property(tries = 2000)
  void xorBucketsEqualReadXorPerBucket(@ForAll("bytes") byte[] b, @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 40) int count) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] values = new long[count];
    int[] windows = new int[count];
    for (int i = 0; i < count; i++) {
      values[i] = r.nextLong();
      if (r.nextInt(4) != 0) {
        int lead = r.nextInt(32);
        windows[i] = (lead << 8) | r.nextInt(64 - lead);
      }
    }
    int skip = b.length == 0 ? 0 : r.nextInt(8);
    long[] v1 = values.clone();
    int[] w1 = windows.clone();
    BitReader fast = reader(b, skip);
    String err1 = null;
    try {
      fast.readXorBuckets(v1, w1, count);
    } catch (CorruptFormatException e) {
      err1 = e.getMessage();
    }
    long[] v2 = values.clone();
    int[] w2 = windows.clone();
    BitReader plain = reader(b, skip);
    String err2 = null;
    try {
      for (int i = 0; i < count; i++) {
        v2[i] = plain.readXor(v2[i], w2[i]);
        w2[i] = plain.window;
      }
    } catch (CorruptFormatException e) {
      err2 = e.getMessage();
    }
    assertThat(err1).isEqualTo(err2);
    if (err1 == null) {
      assertThat(v1).isEqualTo(v2);
      assertThat(w1).isEqualTo(w2);
      assertThat(fast.position()).isEqualTo(plain.position());
    }
  }

  private static BitReader reader(byte[] b, int skip) {
    BitReader r = new BitReader();
    r.reset(b, 0, 0, b.length, "fuzz", 0);
    r.skip(skip);
    return r;
  }
}
