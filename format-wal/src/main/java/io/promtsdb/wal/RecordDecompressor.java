package io.promtsdb.wal;

import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;

/**
 * Decompresses whole records for a reader, reusing one output buffer. Not thread-safe. Sizes
 * claimed by the compressed data are checked before anything is allocated: a snappy block
 * cannot expand more than 64/3 times (a 3-byte copy tag yields at most 64 bytes), and no
 * record may exceed {@link #MAX_RECORD_SIZE}.
 */
final class RecordDecompressor {
  /** Largest decompressed record accepted. */
  static final int MAX_RECORD_SIZE = 1 << 30;

  private final SnappyDecompressor snappy = new SnappyDecompressor();
  private final ZstdDecompressor zstd = new ZstdDecompressor();
  private byte[] out = new byte[4096];

  byte[] buffer() {
    return out;
  }

  /** Decompresses into {@link #buffer()} and returns the length; throws with a reason. */
  int decompress(Compression c, byte[] in, int off, int len) throws DecompressionException {
    try {
      if (c == Compression.SNAPPY) {
        long claimed = snappyLength(in, off, len);
        if (claimed > (long) len * 22 + 16 || claimed > MAX_RECORD_SIZE) {
          throw new DecompressionException(
              "snappy block claims " + claimed + " bytes from " + len + " compressed bytes");
        }
        ensure((int) claimed);
        int n = snappy.decompress(in, off, len, out, 0, out.length);
        if (n != claimed) {
          throw new DecompressionException(
              "snappy block decoded to " + n + " bytes, header says " + claimed);
        }
        return n;
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

  /** The uvarint uncompressed length at the start of a snappy block. */
  private static long snappyLength(byte[] in, int off, int len) throws DecompressionException {
    long x = 0;
    for (int i = 0, shift = 0; i < 5 && i < len; i++, shift += 7) {
      int b = in[off + i] & 0xFF;
      x |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        return x;
      }
    }
    throw new DecompressionException("snappy block has no valid length header");
  }

  /** Why a compressed record could not be decoded. */
  static final class DecompressionException extends Exception {
    private static final long serialVersionUID = 1L;

    DecompressionException(String message) {
      super(message, null, false, false);
    }
  }
}
