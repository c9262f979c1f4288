package io.promtsdb.wal;

import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.zstd.ZstdCompressor;

/**
 * Compresses whole records for a writer, reusing one output buffer. Not thread-safe.
 *
 * <p>The compressed bytes are valid snappy block / zstd frame data that Prometheus reads,
 * but they are aircompressor's, not Go's: compressed WAL segments are not expected to be
 * byte-identical to Prometheus' (uncompressed ones are).
 */
final class RecordCompressor {
  private final Compression compression;
  private final SnappyCompressor snappy;
  private final ZstdCompressor zstd;
  private byte[] out = new byte[0];

  RecordCompressor(Compression compression) {
    this.compression = compression;
    this.snappy = compression == Compression.SNAPPY ? new SnappyCompressor() : null;
    this.zstd = compression == Compression.ZSTD ? new ZstdCompressor() : null;
  }

  /** The output buffer of the last {@link #compress} call. */
  byte[] buffer() {
    return out;
  }

  /**
   * Compresses {@code rec[off, off+len)} into {@link #buffer()} and returns the compressed
   * length. Empty input is never compressed (Go returns it as is).
   */
  int compress(byte[] rec, int off, int len) {
    int max =
        compression == Compression.SNAPPY
            ? snappy.maxCompressedLength(len)
            : zstd.maxCompressedLength(len);
    if (out.length < max) {
      out = new byte[Math.max(max, out.length * 2)];
    }
    return compression == Compression.SNAPPY
        ? snappy.compress(rec, off, len, out, 0, out.length)
        : zstd.compress(rec, off, len, out, 0, out.length);
  }
}
