package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Schubfach digits against the reference derivations (Double.toString re-checked by
 * parsing, and the exact BigDecimal search where they differ; both checked against Go in
 * GoFormattingTest): random bit patterns over every
 * exponent, short decimals as people write them, and the edges (subnormals, powers of ten,
 * min/max). Seeded; the seed is in the failure message.
 */
class ShortestDecimalProperties {
  private static final long SEED = 0x5C4B_FAC4L;

  private static void check(double v) {
    char[] a = new char[32];
    char[] b = new char[32];
    int[] ea = new int[1];
    int[] eb = new int[1];
    int na = ShortestDecimal.digits(v, a, ea);
    int nb = GoFloat.shortestDigitsViaToString(v, b, eb);
    String got = new String(a, 0, na) + "e" + ea[0];
    String want = new String(b, 0, nb) + "e" + eb[0];
    if (!got.equals(want)) {
      // Java 17's Double.toString is not always the closest 17-digit decimal (JDK-4511638):
      // then only the exact (BigDecimal) derivation decides.
      nb = GoFloat.exactShortest(v, b, eb);
      want = new String(b, 0, nb) + "e" + eb[0];
    }
    assertThat(got).as("seed %x, bits %x (%s)", SEED, Double.doubleToRawLongBits(v), v).isEqualTo(want);
    // The byte formatter prints what the StringBuilder one prints, for both signs.
    byte[] buf = new byte[32];
    for (double x : new double[] {v, -v}) {
      int end = GoFloat.formatG(x, buf, 3);
      assertThat(new String(buf, 3, end - 3, java.nio.charset.StandardCharsets.US_ASCII))
          .as("bits %x", Double.doubleToRawLongBits(x))
          .isEqualTo(GoFloat.formatG(x));
    }
  }

  @Test
  void specialValuesAsBytes() {
    byte[] buf = new byte[32];
    for (double x : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0, -0.0, 1, -1, 999999, 1e6, 0.0001, 0.00001}) {
      int end = GoFloat.formatG(x, buf, 0);
      assertThat(new String(buf, 0, end, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo(GoFloat.formatG(x));
    }
  }

  @Test
  void randomBitPatterns() {
    SplittableRandom r = new SplittableRandom(SEED);
    for (int i = 0; i < 60_000; i++) {
      double v = Double.longBitsToDouble(r.nextLong() & 0x7FFF_FFFF_FFFF_FFFFL);
      if (Double.isFinite(v) && v > 0) {
        check(v);
      }
    }
  }

  @Test
  void decimalsAsWritten() {
    SplittableRandom r = new SplittableRandom(SEED + 1);
    for (int i = 0; i < 60_000; i++) {
      long digits = r.nextLong(1, 10_000_000_000L);
      int exp = r.nextInt(-30, 30);
      double v = Double.parseDouble(digits + "e" + exp);
      check(v);
      check(Math.nextUp(v));
      check(Math.nextDown(v));
    }
  }

  @Test
  void edges() {
    check(Double.MIN_VALUE);
    check(Double.MIN_NORMAL);
    check(Math.nextDown(Double.MIN_NORMAL));
    check(Double.MAX_VALUE);
    check(2e23);
    check(8.41e21);
    check(5e-324);
    for (int i = -323; i <= 308; i++) {
      check(Double.parseDouble("1e" + i));
      check(Double.parseDouble("9.999999999999999e" + Math.min(i, 307)));
    }
    for (long i = 1; i < 20_000; i++) {
      check(i);
      check(i / 1000.0);
    }
    for (int i = 1; i < 1 << 12; i++) {
      check(Double.longBitsToDouble(i)); // subnormals
      if (i - 1100 <= 1023) {
        check(Math.scalb(1.0, i - 1100));
      }
    }
  }
}
