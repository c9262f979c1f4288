package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.chunks.FloatChunkProperties.Point;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The buffered XOR and XOR2 iterators (fast fill loop, samples served from a buffer) against
 * the same classes with the fast path switched off (every sample through the general decoder,
 * one at a time), differentially: the same random operation sequence (next, seek to a random
 * target, readBatch of a random size) on valid chunks, on corrupted chunks (bit flips, byte
 * garbage, truncation) and across chunks of different encodings with one reused iterator must
 * give the same results, accessors, samplesRead and errors, at the same step. Operations and
 * corruptions come from a {@link SplittableRandom} seeded by jqwik's reported seed.
 */
class BufferedIteratorProperties {

  @Provide
  Arbitrary<List<Point>> series() {
    return new FloatChunkProperties().series();
  }

  private static Chunk encode(List<Point> points, boolean xor2) {
    FloatAppender a = xor2 ? Xor2Appender.create() : XorAppender.create();
    for (Point p : points) {
      a.append(xor2 ? p.st() : 0, p.t(), Double.longBitsToDouble(p.bits()));
    }
    return a.chunk();
  }

  private static FloatIterator plain(ChunkEncoding e) {
    return e == ChunkEncoding.XOR ? new XorIterator(false) : new Xor2Iterator(false);
  }

  private static void reset(FloatIterator it, Chunk c) {
    if (it instanceof XorIterator x) {
      x.reset(c);
    } else {
      ((Xor2Iterator) it).reset(c);
    }
  }

  /** One random operation on both iterators; returns false once both are exhausted. */
  private static boolean step(FloatIterator fast, FloatIterator slow, SplittableRandom r, long tMin, long tMax) {
    int op = r.nextInt(10);
    int max = 1 + r.nextInt(r.nextBoolean() ? 5 : 150);
    long target = tMin + (long) (r.nextDouble() * (double) (tMax - tMin + 2000)) - 1000;
    Object a = apply(fast, op, max, target);
    Object b = apply(slow, op, max, target);
    assertThat(a).isEqualTo(b);
    assertThat(fast.samplesRead()).isEqualTo(slow.samplesRead());
    if (fast.samplesRead() > 0) {
      assertThat(fast.atT()).isEqualTo(slow.atT());
      assertThat(fast.atST()).isEqualTo(slow.atST());
      assertThat(fast.atValueBits()).isEqualTo(slow.atValueBits());
    }
    return !(a.equals(ValueType.NONE) || a.equals(List.of()) || a instanceof String);
  }

  /** The operation's result as a comparable value: a ValueType, a list of samples or an error. */
  private static Object apply(FloatIterator it, int op, int max, long target) {
    try {
      if (op < 6) {
        return it.next();
      }
      if (op < 8) {
        return it.seek(target);
      }
      long[] ts = new long[max + 3];
      long[] vs = new long[max + 3];
      int n = it.readBatch(ts, vs, 3, max);
      List<Long> out = new ArrayList<>();
      for (int i = 3; i < 3 + n; i++) {
        out.add(ts[i]);
        out.add(vs[i]);
      }
      return out;
    } catch (CorruptFormatException e) {
      return "error " + e.getMessage();
    }
  }

  private static void compare(Chunk c, FloatIterator fast, SplittableRandom r) {
    FloatIterator slow = plain(c.encoding());
    reset(fast, c);
    reset(slow, c);
    long tMin = Long.MAX_VALUE;
    long tMax = Long.MIN_VALUE;
    for (Point p : samplesOf(c)) {
      tMin = Math.min(tMin, p.t());
      tMax = Math.max(tMax, p.t());
    }
    if (tMin > tMax) {
      tMin = 0;
      tMax = 0;
    }
    for (int i = 0; i < 2000 && step(fast, slow, r, tMin, tMax); i++) {
      // Until both are exhausted (or failed).
    }
    // Exhausted iterators stay exhausted.
    assertThat(apply(fast, 0, 1, 0)).isEqualTo(apply(slow, 0, 1, 0)).isEqualTo(ValueType.NONE);
  }

  /** The samples the general decoder sees before the end or an error. */
  private static List<Point> samplesOf(Chunk c) {
    FloatIterator it = plain(c.encoding());
    reset(it, c);
    List<Point> out = new ArrayList<>();
    try {
      while (it.next() != ValueType.NONE) {
        out.add(new Point(it.atST(), it.atT(), it.atValueBits()));
      }
    } catch (CorruptFormatException e) {
      // The samples before the error.
    }
    return out;
  }

  private static Chunk histogramChunk() {
    HistogramAppender a = HistogramAppender.create(ChunkEncoding.HISTOGRAM);
    Histogram h = Histogram.builder().schema(1).zeroThreshold(0.5).zeroCount(2).count(9).sum(3.25)
        .positiveSpans(new Span(-1, 2)).positiveBuckets(3, 1).build();
    a.append(0, 1000, h);
    a.append(0, 2000, h);
    return a.chunk();
  }

  @Property(tries = 400)
  void bufferedEqualsPlainOnValidChunks(@ForAll("series") List<Point> points, @ForAll boolean xor2,
      @ForAll long seed) {
    Chunk c = encode(points, xor2);
    FloatIterator fast = xor2 ? new Xor2Iterator() : new XorIterator();
    compare(c, fast, new SplittableRandom(seed));
  }

  /** Bit flips, random bytes and truncations: same samples, same error at the same step. */
  @Property(tries = 600)
  void bufferedEqualsPlainOnCorruptChunks(@ForAll("series") List<Point> points, @ForAll boolean xor2,
      @ForAll long seed, @ForAll @IntRange(min = 0, max = 2) int how) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] b = encode(points, xor2).copyBytes();
    switch (how) {
      case 0 -> {
        for (int k = 1 + r.nextInt(4); k > 0 && b.length > 3; k--) {
          int bit = 24 + r.nextInt((b.length - 3) * 8);
          b[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
        }
      }
      case 1 -> {
        if (b.length > 3) {
          int from = 3 + r.nextInt(b.length - 3);
          for (int i = from; i < Math.min(b.length, from + 1 + r.nextInt(16)); i++) {
            b[i] = (byte) r.nextInt(256);
          }
        }
      }
      default -> b = java.util.Arrays.copyOf(b, Math.max(2, r.nextInt(b.length + 1)));
    }
    ChunkEncoding e = xor2 ? ChunkEncoding.XOR2 : ChunkEncoding.XOR;
    Chunk c;
    try {
      c = Chunk.wrap(e, b, 0, b.length, "fuzz", 0);
    } catch (CorruptFormatException ex) {
      return;
    }
    compare(c, xor2 ? new Xor2Iterator() : new XorIterator(), r);
  }

  /**
   * One iterator reused through Chunk.iterator across chunks of all encodings, each left at a
   * random point: every float chunk decodes as with a fresh plain iterator.
   */
  @Property(tries = 150)
  void reuseAcrossChunksOfDifferentEncodings(@ForAll("series") List<Point> a,
      @ForAll("series") List<Point> b, @ForAll long seed) throws Exception {
    SplittableRandom r = new SplittableRandom(seed);
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      List<Point> p = r.nextBoolean() ? a : b;
      switch (r.nextInt(3)) {
        case 0 -> chunks.add(encode(p, false));
        case 1 -> chunks.add(encode(p, true));
        default -> chunks.add(histogramChunk());
      }
    }
    ChunkIterator reused = null;
    for (Chunk c : chunks) {
      reused = c.iterator(reused);
      if (c.encoding().valueType() != ValueType.FLOAT) {
        reused.next();
        continue;
      }
      FloatIterator fast = (FloatIterator) reused;
      // Part of the chunk through the reused iterator as it came from Chunk.iterator...
      List<Point> expected = samplesOf(c);
      int stop = r.nextInt(expected.size() + 1);
      for (int i = 0; i < stop; i++) {
        assertThat(fast.next()).isEqualTo(ValueType.FLOAT);
        assertThat(fast.atT()).isEqualTo(expected.get(i).t());
        assertThat(fast.atST()).isEqualTo(expected.get(i).st());
        assertThat(fast.atValueBits()).isEqualTo(expected.get(i).bits());
      }
      // ...then a full differential run after a reset.
      compare(c, fast, r);
    }
  }

  /**
   * Truncation sweep over a chunk longer than the buffer, with per-sample start timestamps
   * (from sample 127 on): at every length the buffered iterators serve the samples before the
   * cut and then throw the general path's CorruptFormatException, at the same sample.
   */
  @Test
  void everyTruncationFailsAsThePlainPath() throws Exception {
    SplittableRandom r = new SplittableRandom(7);
    List<Point> points = new ArrayList<>();
    long t = 1_700_000_000_000L;
    long v = 0;
    for (int i = 0; i < 300; i++) {
      t += 15000 + r.nextInt(101) - 50;
      v += r.nextInt(100);
      points.add(new Point(r.nextInt(4) == 0 ? t - 60000 - r.nextInt(100) : 1_699_000_000_000L, t,
          Double.doubleToRawLongBits(v)));
    }
    for (boolean xor2 : new boolean[] {false, true}) {
      byte[] full = encode(points, xor2).copyBytes();
      ChunkEncoding e = xor2 ? ChunkEncoding.XOR2 : ChunkEncoding.XOR;
      int failures = 0;
      for (int len = 3; len < full.length; len++) {
        Chunk c = Chunk.wrap(e, java.util.Arrays.copyOf(full, len), 0, len, "fuzz", 0);
        FloatIterator fast = xor2 ? new Xor2Iterator() : new XorIterator();
        reset(fast, c);
        FloatIterator slow = plain(e);
        reset(slow, c);
        Object a;
        Object b;
        do {
          a = apply(fast, 0, 1, 0);
          b = apply(slow, 0, 1, 0);
          assertThat(a).isEqualTo(b);
          if (a == ValueType.FLOAT) {
            assertThat(fast.atT()).isEqualTo(slow.atT());
            assertThat(fast.atST()).isEqualTo(slow.atST());
            assertThat(fast.atValueBits()).isEqualTo(slow.atValueBits());
          }
        } while (a == ValueType.FLOAT);
        if (a instanceof String) {
          failures++;
        }
      }
      // A cut inside the samples always fails (XOR may end in a spare byte: the last lengths may pass).
      assertThat(failures).isGreaterThan(full.length - 3 - 2);
    }
  }
}
