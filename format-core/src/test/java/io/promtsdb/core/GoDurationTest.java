package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GoDurationTest {
  @Test
  void formatsAsGoTimeDurationString() {
    // The first five are from a Prometheus 3.5.3 "WAL replay completed" log line.
    assertThat(GoDuration.format(49_897)).isEqualTo("49.897µs");
    assertThat(GoDuration.format(2_644_719_039L)).isEqualTo("2.644719039s");
    assertThat(GoDuration.format(128)).isEqualTo("128ns");
    assertThat(GoDuration.format(0)).isEqualTo("0s");
    assertThat(GoDuration.format(96_720_186)).isEqualTo("96.720186ms");
    // Go's documented examples (time.Duration.String) and edge cases of its algorithm.
    assertThat(GoDuration.format(86_324_000_000L)).isEqualTo("1m26.324s");
    assertThat(GoDuration.format(3_600_000_000_000L)).isEqualTo("1h0m0s");
    assertThat(GoDuration.format(1_500_000)).isEqualTo("1.5ms");
    assertThat(GoDuration.format(-1_000)).isEqualTo("-1µs");
    assertThat(GoDuration.format(1_000_000_000)).isEqualTo("1s");
    assertThat(GoDuration.format(Long.MIN_VALUE)).isEqualTo("-2562047h47m16.854775808s");
  }
}
