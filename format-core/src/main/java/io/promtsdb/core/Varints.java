package io.promtsdb.core;

/**
 * Go {@code encoding/binary} varints: unsigned LEB128 (7 bits per byte, low group first, high
 * bit set on every byte but the last) and zig-zag signed varints. Encoders always write the
 * minimal form, as Go does. Decoding lives in {@link DataReader}.
 */
public final class Varints {
  /** Longest encoding of a 64-bit value. */
  public static final int MAX_LEN = 10;

  private Varints() {}

  /** Bytes {@code putUvarint} writes for {@code v} (taken as uint64). */
  public static int uvarintSize(long v) {
    // 1 + floor((63 - nlz) / 7), with v == 0 taking one byte.
    return 1 + (63 - Long.numberOfLeadingZeros(v | 1)) / 7;
  }

  /** Bytes {@code putVarint} writes for {@code v}. */
  public static int varintSize(long v) {
    return uvarintSize(zigZagEncode(v));
  }

  /** Writes {@code v} (as uint64) at {@code dst[off]} and returns the offset after it. */
  public static int putUvarint(byte[] dst, int off, long v) {
    // One and two bytes cover most symbol references, lengths and deltas.
    if ((v & ~0x7FL) == 0) {
      dst[off] = (byte) v;
      return off + 1;
    }
    if ((v & ~0x3FFFL) == 0) {
      dst[off] = (byte) (v | 0x80);
      dst[off + 1] = (byte) (v >>> 7);
      return off + 2;
    }
    while ((v & ~0x7FL) != 0) {
      dst[off++] = (byte) (v | 0x80);
      v >>>= 7;
    }
    dst[off++] = (byte) v;
    return off;
  }

  /** Writes the zig-zag varint of {@code v} and returns the offset after it. */
  public static int putVarint(byte[] dst, int off, long v) {
    return putUvarint(dst, off, zigZagEncode(v));
  }

  /** Go's {@code ux := uint64(x) << 1; if x < 0 { ux = ^ux }}. */
  public static long zigZagEncode(long v) {
    return (v << 1) ^ (v >> 63);
  }

  /** Inverse of {@link #zigZagEncode}. */
  public static long zigZagDecode(long u) {
    return (u >>> 1) ^ -(u & 1);
  }
}
