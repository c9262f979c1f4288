package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AsciiDigitsTest {

  @Test
  void div10000IsExactForNonNegativeInts() {
    for (long x = 0; x <= Integer.MAX_VALUE; x += x < 200_000_000 ? 1 : 9973) {
      if (AsciiDigits.div10000((int) x) != (int) (x / 10000)) {
        throw new AssertionError("div10000(" + x + ")");
      }
    }
    assertThat(AsciiDigits.div10000(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE / 10000);
  }

  @Test
  void countIsTheNumberOfDigits() {
    for (long p = 1, n = 1; n <= 19; n++, p *= 10) {
      assertThat(AsciiDigits.count(p)).isEqualTo(n);
      assertThat(AsciiDigits.count(p - 1)).isEqualTo(Math.max(1, n - 1));
      if (n < 19) {
        assertThat(AsciiDigits.count(p * 10 - 1)).isEqualTo(n);
      }
    }
    assertThat(AsciiDigits.count(0)).isEqualTo(1);
    assertThat(AsciiDigits.count(Long.MAX_VALUE)).isEqualTo(19);
    byte[] b = new byte[8];
    AsciiDigits.put8(1234, b, 0);
    assertThat(new String(b, StandardCharsets.US_ASCII)).isEqualTo("00001234");
  }

  @Test
  void putLongIsLongToString() {
    byte[] b = new byte[40];
    SplittableRandom r = new SplittableRandom(1);
    long[] edges = {0, 9, 10, 99, 100, 99_999_999, 100_000_000, 1_000_000_000_000L,
      9_999_999_999_999_999L, Long.MAX_VALUE, Long.MIN_VALUE, -1, -100_000_000};
    for (long v : edges) {
      int end = AsciiDigits.putLong(v, b, 3);
      assertThat(new String(b, 3, end - 3, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
    }
    for (int i = 0; i < 200_000; i++) {
      long v = r.nextLong() >> r.nextInt(64);
      int end = AsciiDigits.putLong(v, b, 1);
      assertThat(new String(b, 1, end - 1, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
    }
  }
}
