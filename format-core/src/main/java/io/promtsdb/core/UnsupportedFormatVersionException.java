package io.promtsdb.core;

/**
 * A file announces a format version this implementation cannot read. Distinct from other
 * corruption so that a caller can tell "newer Prometheus" from "damaged bytes".
 */
public final class UnsupportedFormatVersionException extends CorruptFormatException {
  private static final long serialVersionUID = 1L;

  private final int minSupported;
  private final int maxSupported;
  private final int actual;

  public UnsupportedFormatVersionException(
      String resource, long offset, int actual, int minSupported, int maxSupported) {
    super(
        resource,
        offset,
        "unsupported format version: actual "
            + actual
            + " vs expected "
            + (minSupported == maxSupported
                ? Integer.toString(minSupported)
                : minSupported + " to " + maxSupported));
    this.minSupported = minSupported;
    this.maxSupported = maxSupported;
    this.actual = actual;
  }

  public int minSupported() {
    return minSupported;
  }

  public int maxSupported() {
    return maxSupported;
  }

  public int actual() {
    return actual;
  }
}
