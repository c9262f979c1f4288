/**
 * The Prometheus block tombstones file ({@code <block>/tombstones}): deleted time ranges per
 * series, read and written byte for byte, with Prometheus' interval merging.
 */
module io.promtsdb.tombstones {
  requires transitive io.promtsdb.core;

  exports io.promtsdb.tombstones;
}
