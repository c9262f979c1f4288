package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.Sample;
import io.promtsdb.core.Values;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * decode(encode(x)) == x for XOR and XOR2 chunks, comparing values by raw bits (NaN payloads
 * and stale markers included) and start timestamps, for regular scrapes as well as arbitrary
 * timestamps (deltas wrap around as in Go).
 */
class FloatChunkProperties {

  record Point(long st, long t, long bits) {}

  @Provide
  Arbitrary<List<Point>> series() {
    Arbitrary<Long> anyBits = Arbitraries.oneOf(
        Arbitraries.longs(),
        Arbitraries.of(Values.STALE_NAN_BITS, Values.NORMAL_NAN_BITS, 0L, Long.MIN_VALUE,
            Double.doubleToRawLongBits(1.0), Double.doubleToRawLongBits(Double.POSITIVE_INFINITY), 1L, -1L),
        Arbitraries.doubles().between(-1e6, 1e6).map(Double::doubleToRawLongBits),
        Arbitraries.integers().between(0, 1000).map(i -> Double.doubleToRawLongBits(i)));
    Arbitrary<Long> step = Arbitraries.oneOf(
        Arbitraries.just(15000L),
        Arbitraries.longs().between(14000, 16000),
        Arbitraries.longs().between(-5000, 5000),
        Arbitraries.longs().between(-(1L << 21), 1L << 21),
        Arbitraries.longs());
    Arbitrary<Long> stChange = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.just(0L)),
        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(-100000, 100000)),
        net.jqwik.api.Tuple.of(1, Arbitraries.longs()));
    Arbitrary<Boolean> repeat = Arbitraries.of(true, false, false);
    return Combinators.combine(anyBits, step, stChange, repeat).as(Step::new)
        .list().ofMinSize(1).ofMaxSize(300)
        .map(FloatChunkProperties::toPoints);
  }

  record Step(long bits, long dt, long dst, boolean repeat) {}

  private static List<Point> toPoints(List<Step> steps) {
    List<Point> out = new ArrayList<>();
    long t = 1_700_000_000_000L;
    long st = 0;
    long bits = 0;
    for (Step s : steps) {
      t += s.dt();
      st += s.dst();
      bits = s.repeat() && !out.isEmpty() ? bits : s.bits();
      out.add(new Point(st, t, bits));
    }
    return out;
  }

  @Property(tries = 300)
  void xorRoundTrip(@ForAll("series") List<Point> points, @ForAll boolean v2) throws Exception {
    XorAppender a = XorAppender.create(v2 ? WriterFlavor.PROMETHEUS_2 : WriterFlavor.PROMETHEUS_3);
    for (Point p : points) {
      a.appendBits(p.t(), p.bits());
    }
    Chunk c = a.chunk();
    assertThat(c.numSamples()).isEqualTo(points.size());
    XorIterator it = (XorIterator) c.iterator();
    for (Point p : points) {
      assertThat(it.next()).isEqualTo(ValueType.FLOAT);
      assertThat(it.atT()).isEqualTo(p.t());
      assertThat(it.atValueBits()).isEqualTo(p.bits());
      assertThat(it.atST()).isZero();
    }
    assertThat(it.next()).isEqualTo(ValueType.NONE);
    // Re-encoding the decoded samples is stable.
    assertThat(ChunkEncoder.encode(ChunkEncoding.XOR, c.samples(), CounterResetHeader.UNKNOWN,
        v2 ? WriterFlavor.PROMETHEUS_2 : WriterFlavor.PROMETHEUS_3)).isEqualTo(c);
  }

  @Property(tries = 200)
  void xorInitialCapacityDoesNotChangeTheBytes(
      @ForAll("series") List<Point> points, @ForAll @IntRange(min = 0, max = 300) int capacity) throws Exception {
    XorAppender sized = XorAppender.create(capacity);
    XorAppender plain = XorAppender.create();
    for (Point p : points) {
      sized.appendBits(p.t(), p.bits());
      plain.appendBits(p.t(), p.bits());
      assertThat(sized.sizeBytes()).isEqualTo(plain.sizeBytes());
    }
    assertThat(sized.chunk()).isEqualTo(plain.chunk());
  }

  @Property(tries = 300)
  void xor2RoundTrip(@ForAll("series") List<Point> points) throws Exception {
    Xor2Appender a = Xor2Appender.create();
    for (Point p : points) {
      a.appendBits(p.st(), p.t(), p.bits());
    }
    Chunk c = a.chunk();
    Xor2Iterator it = (Xor2Iterator) c.iterator();
    for (Point p : points) {
      assertThat(it.next()).isEqualTo(ValueType.FLOAT);
      assertThat(it.atT()).isEqualTo(p.t());
      assertThat(it.atValueBits()).isEqualTo(p.bits());
      assertThat(it.atST()).isEqualTo(p.st());
    }
    assertThat(it.next()).isEqualTo(ValueType.NONE);
    assertThat(ChunkEncoder.encode(ChunkEncoding.XOR2, c.samples())).isEqualTo(c);
  }

  /**
   * Appending to a resumed chunk continues it exactly: the result decodes to all samples. (The
   * bytes can differ from appending everything at once: as in Go, a resumed appender takes the
   * decoder's 0/0 XOR window where a fresh one has none yet.)
   */
  @Property(tries = 200)
  void resumeContinuesExactly(@ForAll("series") List<Point> points, @ForAll @IntRange(min = 0, max = 300) int cut)
      throws Exception {
    int k = Math.min(cut, points.size());
    XorAppender first = XorAppender.create();
    Xor2Appender first2 = Xor2Appender.create();
    for (int i = 0; i < k; i++) {
      Point p = points.get(i);
      first.appendBits(p.t(), p.bits());
      first2.appendBits(p.st(), p.t(), p.bits());
    }
    XorAppender rest = XorAppender.resume(first.chunk());
    Xor2Appender rest2 = Xor2Appender.resume(first2.chunk());
    for (int i = k; i < points.size(); i++) {
      Point p = points.get(i);
      rest.appendBits(p.t(), p.bits());
      rest2.appendBits(p.st(), p.t(), p.bits());
    }
    List<Sample> all = toSamples(points);
    List<Sample> noST = new ArrayList<>();
    for (Point p : points) {
      noST.add(new Sample.FloatSample(p.t(), 0, Double.longBitsToDouble(p.bits())));
    }
    assertThat(rest.chunk().samples()).containsExactlyElementsOf(noST);
    assertThat(rest2.chunk().samples()).containsExactlyElementsOf(all);
  }

  @Property(tries = 200)
  void seekFindsFirstSampleAtOrAfter(@ForAll("series") List<Point> points, @ForAll long target)
      throws Exception {
    XorAppender a = XorAppender.create();
    for (Point p : points) {
      a.appendBits(p.t(), p.bits());
    }
    FloatIterator it = a.chunk().floatIterator(null);
    ValueType vt = it.seek(target);
    // Go's Seek walks forward from the current position: the first sample whose t >= target.
    int expected = -1;
    for (int i = 0; i < points.size(); i++) {
      if (points.get(i).t() >= target) {
        expected = i;
        break;
      }
    }
    if (expected < 0) {
      assertThat(vt).isEqualTo(ValueType.NONE);
    } else {
      assertThat(vt).isEqualTo(ValueType.FLOAT);
      assertThat(it.samplesRead()).isEqualTo(expected + 1);
      assertThat(it.atValueBits()).isEqualTo(points.get(expected).bits());
    }
  }

  /** Batches (of any size, mixed with single steps) decode exactly what next() does. */
  @Property(tries = 300)
  void batchesMatchIteration(@ForAll("series") List<Point> points, @ForAll boolean xor2,
      @ForAll @IntRange(min = 1, max = 70) int batch) throws Exception {
    FloatAppender a = xor2 ? Xor2Appender.create() : XorAppender.create();
    for (Point p : points) {
      a.append(p.st(), p.t(), Double.longBitsToDouble(p.bits()));
    }
    Chunk c = a.chunk();
    FloatIterator it = c.floatIterator(null);
    long[] ts = new long[points.size() + 5];
    long[] vs = new long[points.size() + 5];
    int got = 0;
    int round = 0;
    while (true) {
      if (round++ % 3 == 2) {
        if (it.next() == ValueType.NONE) {
          break;
        }
        ts[got] = it.atT();
        vs[got] = it.atValueBits();
        got++;
        continue;
      }
      int n = it.readBatch(ts, vs, got, Math.min(batch, ts.length - got));
      if (n == 0) {
        break;
      }
      got += n;
      assertThat(it.atT()).isEqualTo(ts[got - 1]);
      assertThat(it.atValueBits()).isEqualTo(vs[got - 1]);
      if (xor2) {
        assertThat(it.atST()).isEqualTo(points.get(got - 1).st());
      }
    }
    assertThat(got).isEqualTo(points.size());
    for (int i = 0; i < got; i++) {
      assertThat(ts[i]).isEqualTo(points.get(i).t());
      assertThat(vs[i]).isEqualTo(points.get(i).bits());
    }
  }

  static List<Sample> toSamples(List<Point> points) {
    List<Sample> out = new ArrayList<>();
    for (Point p : points) {
      out.add(new Sample.FloatSample(p.t(), p.st(), Double.longBitsToDouble(p.bits())));
    }
    return out;
  }
}
