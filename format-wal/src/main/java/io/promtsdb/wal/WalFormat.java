package io.promtsdb.wal;

/** The constants of the segment format ({@code tsdb/wlog}). */
public final class WalFormat {
  private WalFormat() {}

  /** Segments are written in pages of 32 KiB; a fragment never starts in one page and ends in another. */
  public static final int PAGE_SIZE = 32 * 1024;

  /** Fragment header: type byte, BE16 payload length, BE32 CRC32C of the payload. */
  public static final int FRAGMENT_HEADER_SIZE = 7;

  /** Largest fragment payload: a whole page less one header. */
  public static final int MAX_FRAGMENT_PAYLOAD = PAGE_SIZE - FRAGMENT_HEADER_SIZE;

  /** Default segment size, 128 MiB; any multiple of the page size is valid. */
  public static final int DEFAULT_SEGMENT_SIZE = 128 * 1024 * 1024;

  /** Fragment type 0: the rest of the page is zero padding. */
  static final int PAGE_TERM = 0;
  /** A whole record in one fragment. */
  static final int FULL = 1;
  /** First fragment of a record that continues in the next ones. */
  static final int FIRST = 2;
  /** A fragment between the first and the last. */
  static final int MIDDLE = 3;
  /** Final fragment of a record. */
  static final int LAST = 4;

  /** Low three bits of the type byte: the fragment type. */
  static final int FRAGMENT_TYPE_MASK = 0x07;
  /** Bits 5 to 7 of the type byte: never set by Prometheus. */
  static final int RESERVED_MASK = 0xE0;

  /** Go's {@code recType.String()}. */
  static String fragmentName(int type) {
    return switch (type) {
      case PAGE_TERM -> "zero";
      case FULL -> "full";
      case FIRST -> "first";
      case MIDDLE -> "middle";
      case LAST -> "last";
      default -> "<invalid>";
    };
  }
}
