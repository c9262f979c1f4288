/**
 * The Prometheus TSDB block index: reading format v2 (and v1) from a memory-mapped file,
 * writing it byte for byte as Prometheus does, and lazy postings operations over it.
 *
 * <p>Start at {@link io.promtsdb.index.IndexReader#open(java.nio.file.Path)} and {@link
 * io.promtsdb.index.IndexWriter#create(java.nio.file.Path)}.
 */
module io.promtsdb.index {
  requires transitive io.promtsdb.core;

  exports io.promtsdb.index;
}
