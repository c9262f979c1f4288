package io.promtsdb.core;

import java.io.IOException;

/**
 * Bytes that do not follow the format they claim to be in.
 *
 * <p>Every reader in PromTSDB reports bad input with this exception (or a subclass), never
 * with an unchecked exception. The message always names the resource (a file, optionally
 * followed by the section in brackets, e.g. {@code 01H.../index [postings offset table]}),
 * the absolute offset in that resource where the problem was found, and what was wrong,
 * preferably as "actual X vs expected Y".
 */
public class CorruptFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Offset value used when the problem has no single position (e.g. a missing file). */
  public static final long NO_OFFSET = -1;

  private final String resource;
  private final long offset;
  private final String detail;

  public CorruptFormatException(String resource, long offset, String detail) {
    this(resource, offset, detail, null);
  }

  public CorruptFormatException(String resource, long offset, String detail, Throwable cause) {
    super(format(resource, offset, detail), cause);
    this.resource = resource;
    this.offset = offset;
    this.detail = detail;
  }

  /**
   * A value read from disk differs from what the format requires: the message reads
   * "{@code what}: actual {@code actual} vs expected {@code expected}".
   */
  public static CorruptFormatException mismatch(
      String resource, long offset, String what, Object actual, Object expected) {
    return new CorruptFormatException(
        resource, offset, what + ": actual " + actual + " vs expected " + expected);
  }

  /** The resource (file and section) in which the problem was found. */
  public String resource() {
    return resource;
  }

  /** Absolute offset in the resource, or {@link #NO_OFFSET}. */
  public long offset() {
    return offset;
  }

  /** The description of the problem, without resource and offset. */
  public String detail() {
    return detail;
  }

  private static String format(String resource, long offset, String detail) {
    return offset == NO_OFFSET
        ? resource + ": " + detail
        : resource + " at offset " + offset + ": " + detail;
  }
}
