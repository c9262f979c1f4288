package io.promtsdb.wal;

import io.airlift.compress.zstd.ZstdCompressor;

/**
 * Compresses whole records for a writer, reusing one output buffer. Not thread-safe.
 *
 * <p>Snappy output is Go's byte for byte ({@link Snappy}), so snappy segments are identical
 * to Prometheus'. Zstd frames are aircompressor's: valid zstd that Prometheus reads, but not
 * the bytes of Go's klauspost encoder.
 */
final class RecordCompressor {
  private final Compression compression;
  private final Snappy snappy;
  private final ZstdCompressor zstd;
  private byte[] out = new byte[0];

  RecordCompressor(Compression compression) {
    this.compression = compression;
    this.snappy = compression == Compression.SNAPPY ? new Snappy() : null;
    this.zstd = compression == Compression.ZSTD ? new ZstdCompressor() : null;
  }

  /** The output buffer of the last {@link #compress} call. */
  byte[] buffer() {
    return out;
  }

  /**
   * Compresses {@code rec[off, off+len)} into {@link #buffer()} and returns the compressed
   * length, or {@link Integer#MAX_VALUE} if the record is too large to compress. Empty input
   * is never compressed (Go returns it as is).
   */
  int compress(byte[] rec, int off, int len) {
    long max =
        compression == Compression.SNAPPY
            ? Snappy.maxEncodedLength(len)
            : zstd.maxCompressedLength(len);
    if (max < 0 || max > Integer.MAX_VALUE - 8) {
      // Too large to compress (Go: MaxEncodedLen < 0): the caller stores it raw.
      return Integer.MAX_VALUE;
    }
    if (out.length < max) {
      out = new byte[(int) Math.min(Integer.MAX_VALUE - 8, Math.max(max, out.length * 2L))];
    }
    return compression == Compression.SNAPPY
        ? snappy.encode(rec, off, len, out, 0)
        : zstd.compress(rec, off, len, out, 0, out.length);
  }
}
