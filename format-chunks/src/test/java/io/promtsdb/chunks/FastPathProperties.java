package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Values;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The decoders' fast paths against their general paths (differential): the XOR and XOR2
 * iterators' {@code next()} (fast step first) must leave exactly the state that
 * {@code nextGeneral()} leaves, sample by sample (time, ST, value bits, delta, window, bit
 * position), and meet the same error at the same sample, on scrape-like chunks (where the fast
 * paths are taken), on damaged ones and on random bytes. {@link BitReader#readXorBuckets} must
 * equal a loop of {@link BitReader#readXor} on any bits and any decoder window. Series come from
 * a {@link SplittableRandom} seeded by jqwik's reported seed.
 */
class FastPathProperties {

  /**
   * A series shaped like what scrapers produce, mixed with what the fast paths hand over to
   * the general ones: timestamp jitter of every dod bucket, counters, gauges with wide windows,
   * repeats, stale markers, arbitrary bits, start timestamps constant or changing.
   */
  static Chunk scrapeLike(long seed, int size, boolean xor2) {
    SplittableRandom r = new SplittableRandom(seed);
    int timeMode = r.nextInt(4);
    int valueMode = r.nextInt(5);
    int stMode = r.nextInt(3);
    FloatAppender a = xor2 ? Xor2Appender.create() : XorAppender.create();
    long t = 1_700_000_000_000L + r.nextInt(1_000_000);
    long st = stMode == 0 ? 0 : t - 60_000;
    double v = r.nextInt(3) == 0 ? 0 : r.nextDouble() * 1e6;
    for (int i = 0; i < size; i++) {
      t += switch (timeMode) {
        case 0 -> 1000;
        case 1 -> 15000 + r.nextInt(101) - 50;
        case 2 -> 15000 + r.nextInt(20001) - 10000;
        default -> r.nextInt(50) == 0 ? r.nextLong(1L << 40) : 15000 + r.nextInt(5) - 2;
      };
      if (stMode == 2 && r.nextInt(20) == 0) {
        st += r.nextInt(30) == 0 ? r.nextLong(1L << 45) : r.nextInt(1000) - 500;
      }
      long bits;
      int pick = r.nextInt(40);
      if (pick == 0) {
        bits = Values.STALE_NAN_BITS;
      } else if (pick == 1) {
        bits = r.nextLong();
      } else {
        switch (valueMode) {
          case 0 -> v += r.nextInt(100);
          case 1 -> v += r.nextInt(3) == 0 ? 0 : (r.nextInt(2001) - 1000) / 10.0;
          case 2 -> v += 100;
          case 3 -> v = r.nextInt(4) == 0 ? v : r.nextDouble();
          default -> v = r.nextInt(8);
        }
        bits = Double.doubleToRawLongBits(v);
      }
      a.append(st, t, Double.longBitsToDouble(bits));
    }
    return a.chunk();
  }

  /** Every sample's full decoder state, then the error (if any), by one of the two paths. */
  static List<String> trace(ChunkEncoding e, byte[] b, boolean general) {
    List<String> out = new ArrayList<>();
    try {
      Chunk c = Chunk.wrap(e, b, 0, b.length, "fuzz", 0);
      if (c.encoding() == ChunkEncoding.XOR) {
        XorIterator it = new XorIterator();
        it.reset(c);
        while ((general ? it.nextGeneral() : it.next()) != ValueType.NONE) {
          out.add(it.samplesRead() + " t=" + it.atT() + " v=" + it.atValueBits() + " d="
              + it.tDelta() + " w=" + it.window() + " at=" + it.bitPosition());
        }
      } else {
        Xor2Iterator it = new Xor2Iterator();
        it.reset(c);
        while ((general ? it.nextGeneral() : it.next()) != ValueType.NONE) {
          out.add(it.samplesRead() + " t=" + it.atT() + " st=" + it.atST() + " v="
              + it.atValueBits() + " d=" + it.tDelta() + " sd=" + it.stDiff() + " b="
              + it.baselineBits() + " w=" + it.window() + " at=" + it.bitPosition());
        }
      }
    } catch (CorruptFormatException ex) {
      out.add("error: " + ex.getMessage());
    }
    return out;
  }

  @Property(tries = 400)
  void fastStepLeavesTheGeneralPathsState(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 400) int size, @ForAll boolean xor2) {
    Chunk c = scrapeLike(seed, size, xor2);
    List<String> fast = trace(c.encoding(), c.copyBytes(), false);
    assertThat(fast).hasSize(size);
    assertThat(fast).isEqualTo(trace(c.encoding(), c.copyBytes(), true));
  }

  @Property(tries = 400)
  void damagedChunksMeetTheSameFateOnBothPaths(@ForAll long seed,
      @ForAll @IntRange(min = 3, max = 300) int size, @ForAll boolean xor2,
      @ForAll @IntRange(min = 0, max = 100_000) int where, @ForAll @IntRange(min = 0, max = 2) int how) {
    byte[] b = scrapeLike(seed, size, xor2).copyBytes();
    int i = where % b.length;
    switch (how) {
      case 0 -> b[i] ^= (byte) (1 << (where & 7));
      case 1 -> b = Arrays.copyOf(b, i);
      default -> b[i] = (byte) where;
    }
    ChunkEncoding e = xor2 ? ChunkEncoding.XOR2 : ChunkEncoding.XOR;
    assertThat(trace(e, b, false)).isEqualTo(trace(e, b, true));
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(300);
  }

  @Property(tries = 1000)
  void randomBytesMeetTheSameFateOnBothPaths(@ForAll("bytes") byte[] b, @ForAll boolean xor2) {
    ChunkEncoding e = xor2 ? ChunkEncoding.XOR2 : ChunkEncoding.XOR;
    assertThat(trace(e, b, false)).isEqualTo(trace(e, b, true));
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
