package io.promtsdb.core;

/** A CRC32C stored in the file does not match the CRC32C of the bytes it covers. */
public final class ChecksumMismatchException extends CorruptFormatException {
  private static final long serialVersionUID = 1L;

  private final int actual;
  private final int expected;

  /**
   * @param offset absolute offset of the stored checksum
   * @param actual the checksum computed over the covered bytes
   * @param expected the checksum stored in the file
   */
  public ChecksumMismatchException(String resource, long offset, int actual, int expected) {
    super(
        resource,
        offset,
        "CRC32C mismatch: actual " + hex(actual) + " vs expected " + hex(expected));
    this.actual = actual;
    this.expected = expected;
  }

  public int actual() {
    return actual;
  }

  public int expected() {
    return expected;
  }

  static String hex(int crc) {
    return String.format("0x%08x", crc);
  }
}
