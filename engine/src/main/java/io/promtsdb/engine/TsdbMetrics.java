package io.promtsdb.engine;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.SummaryWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Quantiles;
import java.util.function.ToDoubleFunction;

/**
 * The engine's metrics under Prometheus' names (tsdb/head.go, db.go, wlog), read from {@link
 * Tsdb#stats()} at scrape time so that appending pays nothing for them.
 */
final class TsdbMetrics {
  private TsdbMetrics() {}

  static void register(Tsdb db, PrometheusRegistry r) {
    gauge(r, db, "prometheus_tsdb_head_series", "Total number of series in the head block.", Tsdb.Stats::headSeries);
    gauge(r, db, "prometheus_tsdb_head_min_time", "Minimum time bound of the head block.",
        s -> s.headMinTime() == Long.MAX_VALUE ? Double.NaN : s.headMinTime());
    gauge(r, db, "prometheus_tsdb_head_max_time", "Maximum timestamp of the head block.",
        s -> s.headMaxTime() == Long.MIN_VALUE ? Double.NaN : s.headMaxTime());
    gauge(r, db, "prometheus_tsdb_blocks_loaded", "Number of currently loaded data blocks", Tsdb.Stats::blocksLoaded);
    CounterWithCallback.builder()
        .name("prometheus_tsdb_head_samples_appended_total")
        .help("Total number of appended samples.")
        .labelNames("type")
        .callback(cb -> {
          Tsdb.Stats s = db.stats();
          cb.call(s.floatsAppended(), "float");
          cb.call(s.histogramsAppended(), "histogram");
        })
        .register(r);
    counter(r, db, "prometheus_tsdb_head_out_of_order_samples_appended_total",
        "Total number of appended out of order samples.", Tsdb.Stats::outOfOrderAppended);
    counter(r, db, "prometheus_tsdb_out_of_order_samples_total",
        "Total number of out of order samples ingestion failed attempts due to out of order being disabled.",
        Tsdb.Stats::droppedAtCommit);
    counter(r, db, "prometheus_tsdb_exemplar_exemplars_appended_total",
        "Total number of appended exemplars.", Tsdb.Stats::exemplarsAppended);
    counter(r, db, "prometheus_tsdb_compactions_total",
        "Total number of compactions that were executed for the partition.", Tsdb.Stats::compactions);
    counter(r, db, "prometheus_tsdb_compactions_failed_total",
        "Total number of compactions that failed for the partition.", Tsdb.Stats::compactionsFailed);
    counter(r, db, "prometheus_tsdb_checkpoint_creations_total",
        "Total number of checkpoint creations attempted.", s -> s.checkpoints() + s.checkpointsFailed());
    counter(r, db, "prometheus_tsdb_checkpoint_creations_failed_total",
        "Total number of checkpoint creations that failed.", Tsdb.Stats::checkpointsFailed);
    counter(r, db, "prometheus_tsdb_wal_truncations_total",
        "Total number of write log truncations attempted.", Tsdb.Stats::walTruncations);
    counter(r, db, "prometheus_tsdb_head_truncations_total",
        "Total number of head truncations attempted.", Tsdb.Stats::headTruncations);
    SummaryWithCallback.builder()
        .name("prometheus_tsdb_wal_fsync_duration_seconds")
        .help("Duration of write log fsync.")
        .callback(cb -> {
          Tsdb.Stats s = db.stats();
          cb.call(s.walFsyncs(), s.walFsyncSeconds(), Quantiles.EMPTY);
        })
        .register(r);
  }

  private static void gauge(PrometheusRegistry r, Tsdb db, String name, String help, ToDoubleFunction<Tsdb.Stats> f) {
    GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(f.applyAsDouble(db.stats()))).register(r);
  }

  private static void counter(PrometheusRegistry r, Tsdb db, String name, String help, ToDoubleFunction<Tsdb.Stats> f) {
    CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(f.applyAsDouble(db.stats()))).register(r);
  }
}
