package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplayDurationsTest {
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
