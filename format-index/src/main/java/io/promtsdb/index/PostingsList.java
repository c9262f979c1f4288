package io.promtsdb.index;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Sections;
import java.nio.ByteBuffer;

/**
 * One postings list, the series that carry one (label name, label value) pair:
 *
 * <pre>
 * len      BE32   4 + 4 × count
 * count    BE32
 * refs     count × BE32 series reference, ascending
 * crc      BE32   CRC32C over count and refs
 * </pre>
 *
 * Each list starts at a multiple of 4 (zero padding before it).
 */
final class PostingsList {
  static final String SECTION = "postings";

  private PostingsList() {}

  /**
   * The list whose len field is at {@code offset}, as lazy postings over the mapped bytes.
   * The length is checked against the file and the count; the checksum when {@code verify}.
   */
  static Postings open(ByteSource index, long offset, boolean verify) throws CorruptFormatException {
    ByteSource payload = Sections.readBe32(index, offset, SECTION, verify).payload();
    if (payload.length() < 4) {
      throw payload.mismatch(0, "postings list length", payload.length(), ">= 4");
    }
    long n = Integer.toUnsignedLong(payload.be32(0));
    if (payload.length() != 4 + 4 * n) {
      throw payload.mismatch(
          0, "postings list length for " + n + " postings", payload.length(), 4 + 4 * n);
    }
    if (n == 0) {
      return Postings.empty();
    }
    if (4 * n > Integer.MAX_VALUE - 8) {
      // 2^29 series in one list: beyond any index Prometheus can write in practice.
      throw payload.corrupt(0, "postings list of " + n + " series is larger than 2 GiB; not supported");
    }
    int bytes = (int) (4 * n);
    ByteBuffer refs = payload.byteBuffer(4, bytes);
    if (refs == null) {
      // The list straddles two chunks of a large mapping: read it once into memory.
      refs = ByteBuffer.wrap(payload.toByteArray(4, bytes));
    }
    return new BigEndianPostings(refs, (int) n);
  }
}
