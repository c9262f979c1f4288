package io.promtsdb.index;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.DataReader;
import io.promtsdb.core.Sections;
import java.nio.ByteBuffer;

/**
 * The postings offset table: where the postings list of each (label name, label value) pair
 * starts.
 *
 * <pre>
 * len      BE32
 * count    BE32   number of entries
 * entries  count × (uvarint keycount = 2, uvarint-str name, uvarint-str value, uvarint64 offset)
 * crc      BE32   CRC32C over count and entries
 * </pre>
 *
 * Version 2 writers sort the entries by name, then value (raw bytes), the all-postings key
 * {@code ("", "")} first; version 1 tables may be in any order. The two readers of the table
 * ({@link SampledPostingsOffsets}, {@link FullPostingsOffsets}) share this entry walk.
 */
final class PostingsOffsetTable {
  static final String SECTION = "postings offset table";

  private PostingsOffsetTable() {}

  /** The verified payload (count and entries) of the table at {@code offset}. */
  static ByteSource read(ByteSource index, long offset) throws CorruptFormatException {
    return Sections.readBe32(index, offset, SECTION).payload();
  }

  /** Receives the entries of the table in file order. */
  interface EntryVisitor {
    /**
     * @param entryPos position of the entry in the payload (after the len field)
     * @param name the label name's UTF-8 bytes
     * @param value the label value's UTF-8 bytes
     * @param postingsOffset absolute file offset of the postings list
     */
    void entry(long entryPos, byte[] name, byte[] value, long postingsOffset)
        throws CorruptFormatException;
  }

  /** Walks every entry; the table must hold exactly {@code count} entries. */
  static int forEach(ByteSource payload, EntryVisitor visitor) throws CorruptFormatException {
    DataReader r = new DataReader(payload);
    long n = r.be32Unsigned();
    // An entry takes at least 4 bytes: keycount, two empty strings, an offset.
    int count = r.checkCount(n, 4, "postings offset table entry count");
    for (int i = 0; i < count; i++) {
      long at = r.position();
      long keys = r.uvarint();
      if (keys != 2) {
        throw payload.mismatch(at, "number of keys of a postings offset table entry", keys, 2);
      }
      byte[] name = r.uvarintBytes();
      byte[] value = r.uvarintBytes();
      long off = r.uvarint();
      visitor.entry(at, name, value, off);
    }
    r.expectEnd(SECTION);
    return count;
  }

  static ByteBuffer view(ByteSource payload) throws CorruptFormatException {
    return Cursor.viewOf(payload);
  }
}
