package io.promtsdb.wal;

import io.airlift.compress.zstd.ZstdDecompressor;
import io.promtsdb.core.CorruptFormatException;

/**
 * Decompresses whole records for a reader, reusing one output buffer. Not thread-safe. Sizes
 * claimed by the compressed data are checked before anything is allocated: a snappy block
 * cannot expand more than 64/3 times (a 3-byte copy tag yields at most 64 bytes), and no
 * record may exceed {@link #MAX_RECORD_SIZE}.
 */
final class RecordDecompressor {
  /** Largest decompressed record accepted. */
  static final int MAX_RECORD_SIZE = 1 << 30;

  private ZstdDecompressor zstd;
  private byte[] out = new byte[4096];

  byte[] buffer() {
    return out;
  }

  /** Decompresses into {@link #buffer()} and returns the length; throws with a reason. */
  int decompress(Compression c, byte[] in, int off, int len) throws DecompressionException {
    try {
      if (c == Compression.SNAPPY) {
        long claimed;
        try {
          claimed = Snappy.decodedLength(in, off, len);
        } catch (CorruptFormatException e) {
          throw new DecompressionException("snappy: " + e.detail());
        }
        if (claimed > (long) len * 22 + 16 || claimed > MAX_RECORD_SIZE) {
          throw new DecompressionException(
              "snappy block claims " + claimed + " bytes from " + len + " compressed bytes");
        }
        ensure((int) claimed + Snappy.DECODE_SLACK);
        try {
          return Snappy.decode(in, off, len, out);
        } catch (CorruptFormatException e) {
          throw new DecompressionException(
              "snappy: " + e.detail() + " (byte " + e.offset() + " of the block)");
        }
      }
      if (zstd == null) {
        zstd = new ZstdDecompressor();
      }
      long size = ZstdDecompressor.getDecompressedSize(in, off, len);
      if (size > MAX_RECORD_SIZE) {
        throw new DecompressionException("zstd frame claims " + size + " bytes");
      }
      if (size >= 0) {
        ensure((int) size);
        return zstd.decompress(in, off, len, out, 0, out.length);
      }
      // No content size in the frame header: grow until it fits.
      for (int cap = Math.max(out.length, len * 4); ; cap = (int) Math.min(MAX_RECORD_SIZE, cap * 2L)) {
        ensure(cap);
        try {
          return zstd.decompress(in, off, len, out, 0, out.length);
        } catch (RuntimeException e) {
          if (cap >= MAX_RECORD_SIZE) {
            throw e;
          }
        }
      }
    } catch (DecompressionException e) {
      throw e;
    } catch (RuntimeException e) {
      // aircompressor reports bad input with MalformedInputException, and a few unchecked
      // exceptions on truncated streams.
      throw new DecompressionException(c.goName() + " decoding failed: " + e.getMessage());
    }
  }

  private void ensure(int n) {
    if (out.length < n) {
      out = new byte[Math.max(n, Math.min(MAX_RECORD_SIZE, out.length * 2))];
    }
  }

  /** Why a compressed record could not be decoded. */
  static final class DecompressionException extends Exception {
    private static final long serialVersionUID = 1L;

    DecompressionException(String message) {
      super(message, null, false, false);
    }
  }
}
