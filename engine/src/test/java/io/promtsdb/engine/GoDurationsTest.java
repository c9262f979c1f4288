package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationsTest {
  @Test
  void formatsAsGoTimeDurationString() {
    // The first five are from a Prometheus 3.5.3 "WAL replay completed" log line.
    assertThat(GoDurations.format(49_897)).isEqualTo("49.897µs");
    assertThat(GoDurations.format(2_644_719_039L)).isEqualTo("2.644719039s");
    assertThat(GoDurations.format(128)).isEqualTo("128ns");
    assertThat(GoDurations.format(0)).isEqualTo("0s");
    assertThat(GoDurations.format(96_720_186)).isEqualTo("96.720186ms");
    // Go's documented examples (time.Duration.String) and edge cases of its algorithm.
    assertThat(GoDurations.format(86_324_000_000L)).isEqualTo("1m26.324s");
    assertThat(GoDurations.format(3_600_000_000_000L)).isEqualTo("1h0m0s");
    assertThat(GoDurations.format(1_500_000)).isEqualTo("1.5ms");
    assertThat(GoDurations.format(-1_000)).isEqualTo("-1µs");
    assertThat(GoDurations.format(1_000_000_000)).isEqualTo("1s");
    assertThat(GoDurations.format(Long.MIN_VALUE)).isEqualTo("-2562047h47m16.854775808s");
  }

  @Test
  void replayDurationsLogFieldsInPrometheusOrder() {
    ReplayReport.Durations d =
        new ReplayReport.Durations(
            Duration.ofNanos(49_897), Duration.ofNanos(2_644_719_039L), Duration.ofNanos(128), Duration.ZERO,
            Duration.ofNanos(96_720_186), Duration.ofNanos(2_741_569_935L));
    assertThat(d.logFields())
        .isEqualTo("checkpoint_replay_duration=49.897µs wal_replay_duration=2.644719039s wbl_replay_duration=128ns"
            + " chunk_snapshot_load_duration=0s mmap_chunk_replay_duration=96.720186ms"
            + " total_replay_duration=2.741569935s");
  }
}
