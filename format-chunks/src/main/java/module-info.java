/**
 * Prometheus TSDB chunks: the XOR, XOR2, integer and float native-histogram chunk encodings
 * (and their start-timestamp variants), block chunk segment files ({@code <block>/chunks/})
 * and head chunk files ({@code chunks_head/}), byte-exact with Prometheus 2.x and 3.x.
 * Depends on {@code io.promtsdb.core} only.
 */
module io.promtsdb.chunks {
  requires transitive io.promtsdb.core;

  exports io.promtsdb.chunks;
}
