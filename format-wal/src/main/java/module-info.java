/**
 * The Prometheus write-ahead log: segments of 32 KiB pages holding fragmented, optionally
 * snappy- or zstd-compressed records; the record codecs for every record type (1 to 13);
 * readers that report corruption with segment and offset, repair, a live reader that tails
 * a segment being written; a writer; checkpoints; the out-of-order write-behind log; and the
 * memory snapshot.
 */
module io.promtsdb.wal {
  requires transitive io.promtsdb.core;
  requires aircompressor;

  exports io.promtsdb.wal;
}
