package io.promtsdb.core;

/**
 * The section framing used throughout the index (symbol table, postings, postings offset
 * table) and, with a varint length, the index series entries:
 *
 * <pre>
 * len  BE32 or uvarint   number of payload bytes
 * payload
 * crc  BE32              CRC32C over the payload only
 * </pre>
 *
 * The claimed length is checked against the bytes that remain before it is used, and the
 * CRC is verified before the payload is handed out.
 */
public final class Sections {
  private Sections() {}

  /** A located section: its payload and the position right after its CRC. */
  public record Section(ByteSource payload, long end) {}

  /** Reads a BE32-length section at {@code offset} of {@code src}, verifying its CRC. */
  public static Section readBe32(ByteSource src, long offset, String section)
      throws CorruptFormatException {
    return readBe32(src, offset, section, true);
  }

  /** Reads a BE32-length section at {@code offset}; {@code verify} controls the CRC check. */
  public static Section readBe32(ByteSource src, long offset, String section, boolean verify)
      throws CorruptFormatException {
    ByteSource scoped = src.slice(section, 0, src.length());
    if (offset < 0 || offset > scoped.length() - 4) {
      throw scoped.corrupt(
          Math.max(0, Math.min(offset, scoped.length())),
          "section length field at " + offset + " is outside the " + scoped.length() + " bytes");
    }
    long len = Integer.toUnsignedLong(scoped.be32(offset));
    return finish(scoped, offset, offset + 4, len, verify);
  }

  /** Reads a uvarint-length section at {@code offset} of {@code src}, verifying its CRC. */
  public static Section readUvarint(ByteSource src, long offset, String section, boolean verify)
      throws CorruptFormatException {
    ByteSource scoped = src.slice(section, 0, src.length());
    DataReader r = new DataReader(scoped);
    r.position(offset);
    long len = r.uvarint();
    return finish(scoped, offset, r.position(), len, verify);
  }

  private static Section finish(
      ByteSource scoped, long lenPos, long payloadPos, long len, boolean verify)
      throws CorruptFormatException {
    long available = scoped.length() - payloadPos - 4;
    if (len < 0 || len > available) {
      throw scoped.corrupt(
          lenPos,
          "section length "
              + Long.toUnsignedString(len)
              + " exceeds the "
              + Math.max(0, available)
              + " bytes available before the checksum");
    }
    if (verify) {
      Crc32c.verify(scoped, payloadPos, len, payloadPos + len);
    }
    return new Section(scoped.slice(null, payloadPos, len), payloadPos + len + 4);
  }
}
