package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.promtsdb.core.Labels;
import io.promtsdb.wal.SyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's metrics, under Prometheus' names, follow what the engine did. */
class TsdbMetricsTest {
  @TempDir Path tmp;

  static MetricSnapshot find(MetricSnapshots all, String name) {
    for (MetricSnapshot m : all) {
      if (m.getMetadata().getPrometheusName().equals(name)) {
        return m;
      }
    }
    throw new AssertionError("no metric " + name);
  }

  static double counter(MetricSnapshots all, String name, String type) {
    CounterSnapshot c = (CounterSnapshot) find(all, name);
    for (CounterSnapshot.CounterDataPointSnapshot d : c.getDataPoints()) {
      if (type == null || type.equals(d.getLabels().get("type"))) {
        return d.getValue();
      }
    }
    throw new AssertionError(name + " has no type " + type);
  }

  @Test
  void metricsFollowTheEngine() throws Exception {
    PrometheusRegistry reg = new PrometheusRegistry();
    TsdbOptions o = TsdbOptions.defaults().withNativeHistograms(true).withCompaction(false)
        .withWalSyncPolicy(SyncPolicy.EVERY_BATCH).withOutOfOrderTimeWindow(Duration.ofMinutes(10));
    try (Tsdb db = Tsdb.open(tmp, o)) {
      db.registerMetrics(reg);
      for (int i = 0; i < 4 * 240; i++) {
        try (Appender app = db.appender()) {
          app.append(Labels.of("__name__", "a"), TsdbTest.T0 + i * 15_000L, i);
          app.append(Labels.of("__name__", "b"), TsdbTest.T0 + i * 15_000L, i);
          app.appendHistogram(Labels.of("__name__", "h"), TsdbTest.T0 + i * 15_000L, TsdbTest.histogram(i));
          app.commit();
        }
      }
      try (Appender app = db.appender()) {
        app.append(Labels.of("__name__", "a"), TsdbTest.T0 + 4 * 240 * 15_000L - 100_000L, -1); // out of order
        app.commit();
      }
      MetricSnapshots s = reg.scrape();
      assertThat(((GaugeSnapshot) find(s, "prometheus_tsdb_head_series")).getDataPoints().get(0).getValue()).isEqualTo(3);
      assertThat(counter(s, "prometheus_tsdb_head_samples_appended", "float")).isEqualTo(2 * 4 * 240);
      assertThat(counter(s, "prometheus_tsdb_head_samples_appended", "histogram")).isEqualTo(4 * 240);
      assertThat(counter(s, "prometheus_tsdb_head_out_of_order_samples_appended", null)).isEqualTo(1);
      assertThat(counter(s, "prometheus_tsdb_compactions", null)).isZero();
      SummarySnapshot fs = (SummarySnapshot) find(s, "prometheus_tsdb_wal_fsync_duration_seconds");
      assertThat(fs.getDataPoints().get(0).getCount()).isGreaterThanOrEqualTo(4 * 240);
      db.compact();
      s = reg.scrape();
      assertThat(counter(s, "prometheus_tsdb_compactions", null)).isPositive();
      assertThat(counter(s, "prometheus_tsdb_head_truncations", null)).isPositive();
      assertThat(((GaugeSnapshot) find(s, "prometheus_tsdb_blocks_loaded")).getDataPoints().get(0).getValue()).isPositive();
    }
  }
}
