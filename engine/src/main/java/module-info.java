/**
 * The PromTSDB engine: opens Prometheus data directories (blocks, and the head rebuilt from
 * the WAL, its checkpoint, the head chunk files and the out-of-order WBL), matches labels with
 * Prometheus' semantics, and answers queries by merging blocks and head exactly as Prometheus
 * does.
 */
module io.promtsdb.engine {
  requires transitive io.promtsdb.core;
  requires transitive io.promtsdb.chunks;
  requires transitive io.promtsdb.index;
  requires transitive io.promtsdb.tombstones;
  requires io.promtsdb.wal;
  requires re2j;
  requires com.fasterxml.jackson.databind;
  requires transitive io.prometheus.metrics.model;
  requires io.prometheus.metrics.core;

  exports io.promtsdb.engine;
}
