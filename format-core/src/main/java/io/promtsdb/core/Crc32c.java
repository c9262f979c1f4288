package io.promtsdb.core;

import java.util.zip.CRC32C;

/**
 * CRC-32C (Castagnoli), the only checksum in the Prometheus TSDB formats. Stored big-endian
 * right after the bytes it covers. Backed by {@link CRC32C}, which the JVM computes with
 * the CPU's CRC32 instructions.
 */
public final class Crc32c {
  private Crc32c() {}

  public static int compute(byte[] b) {
    return compute(b, 0, b.length);
  }

  public static int compute(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    return (int) crc.getValue();
  }

  /** CRC32C of {@code len} bytes of {@code src} starting at {@code pos}. */
  public static int compute(ByteSource src, long pos, long len) throws CorruptFormatException {
    CRC32C crc = new CRC32C();
    src.updateChecksum(crc, pos, len);
    return (int) crc.getValue();
  }

  /**
   * Verifies that the big-endian CRC32C stored at {@code crcPos} matches the bytes
   * {@code [pos, pos+len)}; throws {@link ChecksumMismatchException} naming the stored
   * checksum's absolute offset otherwise.
   */
  public static void verify(ByteSource src, long pos, long len, long crcPos)
      throws CorruptFormatException {
    int expected = src.be32(crcPos);
    int actual = compute(src, pos, len);
    if (actual != expected) {
      throw new ChecksumMismatchException(
          src.description(), src.origin() + crcPos, actual, expected);
    }
  }
}
