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
 * error; {@link BitReader#readVarbitInt} must equal Go's bit-by-bit decoding, and
 * {@link BitReader#readBucketDods} a loop of it. Windows come from a {@link SplittableRandom} seeded by jqwik's reported seed.
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

  /**
   * Go's readVarbitInt bit by bit (readBit for the prefix, readBits for the payload): the
   * reference for the branch-free {@link BitReader#readVarbitInt()}.
   */
  private static long referenceVarbitInt(BitReader r) {
    int ones = 0;
    while (ones < 8 && r.readBit()) {
      ones++;
    }
    int sz = switch (ones) {
      case 0 -> 0;
      case 1 -> 3;
      case 2 -> 6;
      case 3 -> 9;
      case 4 -> 12;
      case 5 -> 18;
      case 6 -> 25;
      case 7 -> 56;
      default -> 64;
    };
    long v = r.readBits(sz);
    if (sz != 0 && sz < 64 && v > (1L << (sz - 1))) {
      v -= 1L << sz;
    }
    return v;
  }

  /** Any bits: readVarbitInt equals Go's bit-by-bit decoding in values and positions. */
  @Property(tries = 2000)
  void varbitIntEqualsBitByBitDecoding(@ForAll("bytes") byte[] b, @ForAll long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int skip = b.length == 0 ? 0 : r.nextInt(8);
    BitReader fast = reader(b, skip);
    BitReader plain = reader(b, skip);
    for (int i = 0; i < 40 && !plain.overrun(); i++) {
      assertThat(fast.readVarbitInt()).isEqualTo(referenceVarbitInt(plain));
      assertThat(fast.position()).isEqualTo(plain.position());
    }
  }

  /**
   * Any bits, any running deltas: the bucket loop equals readVarbitInt per bucket in buckets,
   * deltas and position.
   */
  @Property(tries = 2000)
  void bucketDodsEqualReadVarbitIntPerBucket(@ForAll("bytes") byte[] b, @ForAll long seed,
      @ForAll @IntRange(min = 0, max = 40) int count) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] buckets = new long[count];
    long[] deltas = new long[count];
    for (int i = 0; i < count; i++) {
      buckets[i] = r.nextLong();
      deltas[i] = r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(200) - 100;
    }
    int skip = b.length == 0 ? 0 : r.nextInt(8);
    long[] b1 = buckets.clone();
    long[] d1 = deltas.clone();
    BitReader fast = reader(b, skip);
    fast.readBucketDods(b1, d1, count);
    long[] b2 = buckets.clone();
    long[] d2 = deltas.clone();
    BitReader plain = reader(b, skip);
    for (int i = 0; i < count; i++) {
      d2[i] += referenceVarbitInt(plain);
      b2[i] += d2[i];
    }
    assertThat(b1).isEqualTo(b2);
    assertThat(d1).isEqualTo(d2);
    assertThat(fast.position()).isEqualTo(plain.position());
  }

  private static BitReader reader(byte[] b, int skip) {
    BitReader r = new BitReader();
    r.reset(b, 0, 0, b.length, "fuzz", 0);
    r.skip(skip);
    return r;
  }
}
