package io.promtsdb.wal;

import io.promtsdb.core.CorruptFormatException;

/**
 * Corruption in a segment, Prometheus' {@code wlog.CorruptionErr}: names the directory, the
 * segment number and the byte offset in the segment where reading failed, so that {@link
 * WalRepair} can cut the log there. {@link #recordOffset()} is where the record being read
 * started: every record before it is intact.
 */
public final class WalCorruptionException extends CorruptFormatException {
  private static final long serialVersionUID = 1L;

  private final String dir;
  private final int segment;
  private final long recordOffset;

  public WalCorruptionException(
      String dir, int segment, long offset, long recordOffset, String detail, Throwable cause) {
    super(
        segment < 0 ? String.valueOf(dir) : Segments.fileName(dir, segment),
        offset,
        detail + (recordOffset != offset && recordOffset >= 0
            ? " (record starting at offset " + recordOffset + ")"
            : ""),
        cause);
    this.dir = dir;
    this.segment = segment;
    this.recordOffset = recordOffset;
  }

  /** The directory of the segment (a WAL, WBL, checkpoint or snapshot directory). */
  public String dir() {
    return dir;
  }

  /** The segment number, or -1 when the bytes did not come from a numbered segment. */
  public int segment() {
    return segment;
  }

  /** Offset in the segment of the first byte of the record that could not be read. */
  public long recordOffset() {
    return recordOffset;
  }
}
