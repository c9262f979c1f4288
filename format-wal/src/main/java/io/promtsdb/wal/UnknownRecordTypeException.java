package io.promtsdb.wal;

import io.promtsdb.core.CorruptFormatException;

/**
 * A record whose type byte Prometheus does not define (or an empty record, which has none).
 * Prometheus' replay skips such records as coming from a newer version; a codec reports
 * them, and the caller decides.
 */
public final class UnknownRecordTypeException extends CorruptFormatException {
  private static final long serialVersionUID = 1L;

  private final int typeByte;

  public UnknownRecordTypeException(String resource, long offset, int typeByte) {
    super(
        resource,
        offset,
        typeByte < 0
            ? "empty record: no record type byte"
            : "unknown record type " + typeByte + " (known: 1..13)");
    this.typeByte = typeByte;
  }

  /** The type byte read, or -1 for an empty record. */
  public int typeByte() {
    return typeByte;
  }
}
