package io.promtsdb.index;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cheap sequential reader over a section that was bounds- and checksum-checked when the
 * index was opened (symbol table, postings offset table): a mutable position over the
 * section's contiguous view when there is one, its positional methods otherwise. Every read
 * is still bounds-checked against the section, so a wrong offset is a {@link
 * CorruptFormatException}, never an unchecked exception. One per lookup; not thread-safe.
 */
final class Cursor {
  private final ByteSource src;
  private final ByteBuffer bb; // view of src, or null
  private final long limit;
  long pos;

  Cursor(ByteSource src, ByteBuffer bb, long pos) {
    this.src = src;
    this.bb = bb;
    this.limit = src.length();
    this.pos = pos;
  }

  /** The contiguous view of a whole section, or {@code null}. */
  static ByteBuffer viewOf(ByteSource src) throws CorruptFormatException {
    return src.length() <= Integer.MAX_VALUE ? src.byteBuffer(0, (int) src.length()) : null;
  }

  long remaining() {
    return limit - pos;
  }

  int u8() throws CorruptFormatException {
    long p = pos;
    if (p >= limit) {
      throw src.corrupt(Math.min(p, limit), "unexpected end of section");
    }
    pos = p + 1;
    return bb != null ? bb.get((int) p) & 0xFF : src.u8(p);
  }

  /** Go's {@code binary.Uvarint}: at most 10 bytes, the tenth at most 1. */
  long uvarint() throws CorruptFormatException {
    long start = pos;
    long x = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      int b = u8();
      if (b < 0x80) {
        if (shift == 63 && b > 1) {
          break;
        }
        return x | ((long) b << shift);
      }
      x |= (long) (b & 0x7F) << shift;
    }
    throw src.corrupt(start, "uvarint overflows 64 bits");
  }

  /** A uvarint length that must fit in what remains of the section. */
  int length() throws CorruptFormatException {
    long start = pos;
    long n = uvarint();
    if (Long.compareUnsigned(n, limit - pos) > 0) {
      throw src.corrupt(
          start,
          "length " + Long.toUnsignedString(n) + " exceeds the " + (limit - pos) + " remaining bytes");
    }
    return (int) n;
  }

  void skip(long n) throws CorruptFormatException {
    if (n < 0 || n > limit - pos) {
      throw src.corrupt(pos, "need " + n + " bytes, only " + (limit - pos) + " remain");
    }
    pos += n;
  }

  /** Skips a uvarint-prefixed string. */
  void skipString() throws CorruptFormatException {
    int n = length();
    pos += n;
  }

  byte[] bytes(int n) throws CorruptFormatException {
    if (n > limit - pos) {
      skip(n);
    }
    byte[] out = new byte[n];
    if (bb != null) {
      bb.get((int) pos, out, 0, n);
    } else {
      src.copyTo(pos, out, 0, n);
    }
    pos += n;
    return out;
  }

  /** A uvarint-prefixed UTF-8 string. */
  String string() throws CorruptFormatException {
    return new String(bytes(length()), StandardCharsets.UTF_8);
  }

  /** A uvarint-prefixed byte string. */
  byte[] stringBytes() throws CorruptFormatException {
    return bytes(length());
  }

  /**
   * Compares the next {@code n} bytes with {@code other} as unsigned bytes (Go's string
   * order) without consuming them.
   */
  int compareNext(int n, byte[] other) throws CorruptFormatException {
    if (n > limit - pos) {
      skip(n);
    }
    if (bb != null) {
      int p = (int) pos;
      int m = Math.min(n, other.length);
      for (int i = 0; i < m; i++) {
        int c = (bb.get(p + i) & 0xFF) - (other[i] & 0xFF);
        if (c != 0) {
          return c;
        }
      }
      return n - other.length;
    }
    byte[] mine = new byte[n];
    src.copyTo(pos, mine, 0, n);
    return Arrays.compareUnsigned(mine, other);
  }

  CorruptFormatException corrupt(long at, String detail) {
    return src.corrupt(at, detail);
  }

  ByteSource source() {
    return src;
  }
}
