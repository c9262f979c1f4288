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

  /** The reflected CRC-32C polynomial. */
  private static final int POLY = 0x82F63B78;

  /**
   * The CRC32C of the concatenation {@code A || B} from {@code crcA = CRC32C(A)},
   * {@code crcB = CRC32C(B)} and the length of {@code B} (zlib's {@code crc32_combine}, in
   * O(log lenB)). Streaming writers use it when a section's checksum covers a count that is
   * only known after its entries were written (index postings and label indices).
   */
  public static int combine(int crcA, int crcB, long lenB) {
    if (lenB < 0) {
      throw new IllegalArgumentException("negative length " + lenB);
    }
    // Shift crcA through lenB zero bytes: one precomputed operator per set bit of lenB.
    int crc = crcA;
    for (int k = 0; lenB != 0; k++, lenB >>>= 1) {
      if ((lenB & 1) != 0) {
        crc = times(ZEROS[k], crc);
      }
    }
    return crc ^ crcB;
  }

  // ZEROS[k]: the GF(2) operator (32 columns) appending 2^k zero bytes to a CRC.
  private static final int[][] ZEROS = zeroOperators();

  private static int[][] zeroOperators() {
    int[][] ops = new int[63][];
    int[] odd = new int[32];
    // The operator for one zero bit.
    odd[0] = POLY;
    int row = 1;
    for (int n = 1; n < 32; n++) {
      odd[n] = row;
      row <<= 1;
    }
    int[] two = new int[32];
    square(two, odd); // 2 bits
    int[] four = new int[32];
    square(four, two); // 4 bits
    int[] op = new int[32];
    square(op, four); // 8 bits: one byte
    ops[0] = op;
    for (int k = 1; k < ops.length; k++) {
      ops[k] = new int[32];
      square(ops[k], ops[k - 1]);
    }
    return ops;
  }

  private static int times(int[] mat, int vec) {
    int sum = 0;
    for (int i = 0; vec != 0; i++, vec >>>= 1) {
      if ((vec & 1) != 0) {
        sum ^= mat[i];
      }
    }
    return sum;
  }

  private static void square(int[] square, int[] mat) {
    for (int n = 0; n < 32; n++) {
      square[n] = times(mat, mat[n]);
    }
  }
}
