package io.promtsdb.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A sequential decoder over a {@link ByteSource}, with the semantics of Go's
 * {@code encoding/binary} and Prometheus' {@code encoding.Decbuf}: big-endian fixed-width
 * integers, LEB128 unsigned varints of at most 10 bytes, zig-zag signed varints.
 *
 * <p>Every method checks the bytes it needs against what remains and throws
 * {@link CorruptFormatException} with the absolute offset otherwise. Counts and lengths read
 * from disk are checked with {@link #checkCount} or {@link #bytes} before anything is sized
 * from them. Not thread-safe; create one per reading thread.
 */
public final class DataReader {
  private final ByteSource source;
  // Fast path for array-backed sources; null for others.
  private final byte[] array;
  private final int arrayBase;
  // Fast path for sources that expose contiguous memory (mappings); null for others.
  private final ByteBuffer buffer;
  private final long limit;
  private long pos;

  public DataReader(ByteSource source) {
    this.source = source;
    this.limit = source.length();
    ByteBuffer view = null;
    if (source instanceof ByteArraySource a) {
      this.array = a.array();
      this.arrayBase = a.arrayOffset();
    } else {
      this.array = null;
      this.arrayBase = 0;
      if (limit <= Integer.MAX_VALUE) {
        try {
          view = source.byteBuffer(0, (int) limit);
        } catch (CorruptFormatException e) {
          throw new AssertionError("a source's own range is always valid", e);
        }
      }
    }
    this.buffer = view;
  }

  /** A reader over a whole array. */
  public static DataReader of(String description, byte[] bytes) {
    return new DataReader(ByteSource.of(description, bytes));
  }

  public ByteSource source() {
    return source;
  }

  /** Current position, relative to the start of the source. */
  public long position() {
    return pos;
  }

  /** Current position as an offset in the underlying resource. */
  public long absolutePosition() {
    return source.origin() + pos;
  }

  /** Moves to {@code newPosition}, which must lie within the source (the end included). */
  public void position(long newPosition) throws CorruptFormatException {
    if (newPosition < 0 || newPosition > limit) {
      throw source.corrupt(
          Math.max(0, Math.min(newPosition, limit)),
          "position " + newPosition + " outside the " + limit + " available bytes");
    }
    pos = newPosition;
  }

  public long remaining() {
    return limit - pos;
  }

  public boolean hasRemaining() {
    return pos < limit;
  }

  /** Skips {@code n} bytes. */
  public void skip(long n) throws CorruptFormatException {
    require(n);
    pos += n;
  }

  private void require(long n) throws CorruptFormatException {
    if (n < 0 || n > limit - pos) {
      throw source.corrupt(
          pos, "need " + n + " bytes, only " + (limit - pos) + " remain");
    }
  }

  public int u8() throws CorruptFormatException {
    if (pos >= limit) {
      require(1);
    }
    int v =
        array != null
            ? array[arrayBase + (int) pos] & 0xFF
            : buffer != null ? buffer.get((int) pos) & 0xFF : source.u8(pos);
    pos++;
    return v;
  }

  public int be16() throws CorruptFormatException {
    require(2);
    int v =
        array != null
            ? BigEndian.getUnsignedShort(array, arrayBase + (int) pos)
            : buffer != null ? buffer.getShort((int) pos) & 0xFFFF : source.be16(pos);
    pos += 2;
    return v;
  }

  /** A big-endian 32-bit value; use {@link #be32Unsigned()} for uint32 quantities. */
  public int be32() throws CorruptFormatException {
    require(4);
    int v =
        array != null
            ? BigEndian.getInt(array, arrayBase + (int) pos)
            : buffer != null ? buffer.getInt((int) pos) : source.be32(pos);
    pos += 4;
    return v;
  }

  public long be32Unsigned() throws CorruptFormatException {
    return be32() & 0xFFFFFFFFL;
  }

  public long be64() throws CorruptFormatException {
    require(8);
    long v =
        array != null
            ? BigEndian.getLong(array, arrayBase + (int) pos)
            : buffer != null ? buffer.getLong((int) pos) : source.be64(pos);
    pos += 8;
    return v;
  }

  /** A float64 stored as big-endian IEEE-754 bits; NaN payloads are kept. */
  public double be64Double() throws CorruptFormatException {
    return Double.longBitsToDouble(be64());
  }

  /**
   * An unsigned LEB128 varint as Go's {@code binary.Uvarint} reads it: at most 10 bytes, the
   * tenth at most 1. The result is the uint64 bit pattern; non-minimal encodings are accepted.
   */
  public long uvarint() throws CorruptFormatException {
    if (array != null && limit - pos >= Varints.MAX_LEN) {
      return uvarintFromArray();
    }
    return uvarintSlow();
  }

  // At least MAX_LEN bytes remain: no per-byte limit checks. Same acceptance as the slow path.
  private long uvarintFromArray() throws CorruptFormatException {
    final byte[] a = array;
    int i = arrayBase + (int) pos;
    final int start = i;
    long b = a[i++];
    if (b >= 0) {
      pos++;
      return b;
    }
    long x = b & 0x7F;
    for (int shift = 7; shift < 63; shift += 7) {
      b = a[i++];
      if (b >= 0) {
        pos += i - start;
        return x | (b << shift);
      }
      x |= (b & 0x7F) << shift;
    }
    b = a[i++];
    if (b >= 0 && b <= 1) {
      pos += i - start;
      return x | (b << 63);
    }
    throw source.corrupt(pos, "uvarint overflows 64 bits");
  }

  private long uvarintSlow() throws CorruptFormatException {
    long start = pos;
    long x = 0;
    int shift = 0;
    for (int i = 0; i < Varints.MAX_LEN; i++) {
      if (pos >= limit) {
        throw source.corrupt(start, "truncated uvarint: " + (limit - start) + " bytes remain");
      }
      int b =
          array != null
              ? array[arrayBase + (int) pos] & 0xFF
              : buffer != null ? buffer.get((int) pos) & 0xFF : source.u8(pos);
      pos++;
      if (b < 0x80) {
        if (i == Varints.MAX_LEN - 1 && b > 1) {
          break;
        }
        return x | ((long) b << shift);
      }
      x |= (long) (b & 0x7F) << shift;
      shift += 7;
    }
    throw source.corrupt(start, "uvarint overflows 64 bits");
  }

  /** A zig-zag signed varint as Go's {@code binary.Varint} reads it. */
  public long varint() throws CorruptFormatException {
    return Varints.zigZagDecode(uvarint());
  }

  /** An unsigned varint that must fit in 32 bits (Go's {@code Decbuf.Uvarint32}). */
  public long uvarint32() throws CorruptFormatException {
    long start = pos;
    long v = uvarint();
    if (Long.compareUnsigned(v, 0xFFFFFFFFL) > 0) {
      throw source.mismatch(start, "uvarint32 overflow", Long.toUnsignedString(v), "<= 4294967295");
    }
    return v;
  }

  /**
   * A count of items that each take at least {@code minBytesEach} bytes, checked against the
   * remaining bytes before the caller sizes anything from it.
   */
  public int checkCount(long count, int minBytesEach, String what) throws CorruptFormatException {
    long rem = remaining();
    if (count < 0 || count > Integer.MAX_VALUE - 8 || count * (long) minBytesEach > rem) {
      throw source.corrupt(
          pos,
          what
              + ": count "
              + Long.toUnsignedString(count)
              + " needs at least "
              + (count < 0 ? "too many" : count * (long) minBytesEach)
              + " bytes, only "
              + rem
              + " remain");
    }
    return (int) count;
  }

  /** A uvarint count of items of at least {@code minBytesEach} bytes each; see {@link #checkCount}. */
  public int uvarintCount(int minBytesEach, String what) throws CorruptFormatException {
    return checkCount(uvarint(), minBytesEach, what);
  }

  /** The next {@code n} bytes as a slice of the source (no copy). */
  public ByteSource bytes(long n) throws CorruptFormatException {
    require(n);
    ByteSource s = source.slice(null, pos, n);
    pos += n;
    return s;
  }

  /** The next {@code n} bytes copied into a fresh array. */
  public byte[] byteArray(int n) throws CorruptFormatException {
    require(n);
    byte[] out = new byte[n];
    if (array != null) {
      System.arraycopy(array, arrayBase + (int) pos, out, 0, n);
    } else if (buffer != null) {
      buffer.get((int) pos, out, 0, n);
    } else {
      source.copyTo(pos, out, 0, n);
    }
    pos += n;
    return out;
  }

  /** A uvarint byte length followed by that many bytes. */
  public byte[] uvarintBytes() throws CorruptFormatException {
    long start = pos;
    long n = uvarint();
    if (Long.compareUnsigned(n, remaining()) > 0) {
      throw source.corrupt(
          start,
          "length "
              + Long.toUnsignedString(n)
              + " exceeds the "
              + remaining()
              + " remaining bytes");
    }
    return byteArray((int) n);
  }

  /** A uvarint byte length followed by that many bytes of UTF-8. */
  public String uvarintString() throws CorruptFormatException {
    long start = pos;
    long n = uvarint();
    if (Long.compareUnsigned(n, remaining()) > 0) {
      throw source.corrupt(
          start,
          "string length "
              + Long.toUnsignedString(n)
              + " exceeds the "
              + remaining()
              + " remaining bytes");
    }
    int len = (int) n;
    String s;
    if (array != null) {
      s = new String(array, arrayBase + (int) pos, len, StandardCharsets.UTF_8);
    } else {
      s = new String(source.toByteArray(pos, len), StandardCharsets.UTF_8);
    }
    pos += len;
    return s;
  }

  /**
   * Requires that every byte has been consumed, as Go's record decoders do ("unexpected N
   * bytes left in entry").
   */
  public void expectEnd(String what) throws CorruptFormatException {
    if (pos != limit) {
      throw source.corrupt(pos, "unexpected " + (limit - pos) + " bytes left in " + what);
    }
  }

  /** An exception for a problem at the current position. */
  public CorruptFormatException corrupt(String detail) {
    return source.corrupt(pos, detail);
  }

  /** An exception for a problem at {@code position} of the source. */
  public CorruptFormatException corruptAt(long position, String detail) {
    return source.corrupt(position, detail);
  }

  /** An "actual vs expected" exception for a value read at {@code position}. */
  public CorruptFormatException mismatchAt(
      long position, String what, Object actual, Object expected) {
    return source.mismatch(position, what, actual, expected);
  }

  @Override
  public String toString() {
    return source.description() + " @" + absolutePosition() + " (" + remaining() + " remaining)";
  }
}
