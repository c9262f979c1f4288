package io.promtsdb.core;

import java.nio.ByteBuffer;
import java.util.zip.Checksum;

/**
 * Positional, read-only bytes: a whole file, or a slice of one.
 *
 * <p>Codecs never see files; they see a {@code ByteSource}, so the same code runs on a
 * {@code byte[]} in a test and on a memory-mapped 60 GiB index in production. Positions are
 * relative to the start of this source; {@link #origin()} maps them back to offsets in the
 * underlying resource, which is what error messages report.
 *
 * <p>Every read past the end throws {@link CorruptFormatException} naming the resource and
 * the absolute offset: a length taken from disk that points outside the data is corruption,
 * not a programming error. Implementations are safe for concurrent reads.
 */
public interface ByteSource {

  /** The resource (usually a file path) and, for slices, the section in brackets. */
  String description();

  /** Absolute offset of position 0 of this source within the underlying resource. */
  long origin();

  /** Number of bytes in this source. */
  long length();

  /** The byte at {@code pos}. */
  byte get(long pos) throws CorruptFormatException;

  /** The unsigned byte at {@code pos}. */
  default int u8(long pos) throws CorruptFormatException {
    return get(pos) & 0xFF;
  }

  /** The big-endian unsigned 16-bit value at {@code pos}. */
  default int be16(long pos) throws CorruptFormatException {
    checkRange(pos, 2);
    return ((get(pos) & 0xFF) << 8) | (get(pos + 1) & 0xFF);
  }

  /** The big-endian 32-bit value at {@code pos}; use {@link Integer#toUnsignedLong} for uint32. */
  default int be32(long pos) throws CorruptFormatException {
    checkRange(pos, 4);
    return ((get(pos) & 0xFF) << 24)
        | ((get(pos + 1) & 0xFF) << 16)
        | ((get(pos + 2) & 0xFF) << 8)
        | (get(pos + 3) & 0xFF);
  }

  /** The big-endian 64-bit value at {@code pos}. */
  default long be64(long pos) throws CorruptFormatException {
    checkRange(pos, 8);
    return ((long) be32(pos) << 32) | (be32(pos + 4) & 0xFFFFFFFFL);
  }

  /** Copies {@code len} bytes starting at {@code pos} into {@code dst[off..off+len)}. */
  void copyTo(long pos, byte[] dst, int off, int len) throws CorruptFormatException;

  /** A fresh array with the {@code len} bytes starting at {@code pos}. */
  default byte[] toByteArray(long pos, int len) throws CorruptFormatException {
    checkRange(pos, len);
    byte[] out = new byte[len];
    copyTo(pos, out, 0, len);
    return out;
  }

  /** The whole source as a fresh array; fails if it is longer than an array can be. */
  default byte[] toByteArray() throws CorruptFormatException {
    if (length() > Integer.MAX_VALUE - 8) {
      throw corrupt(0, "cannot copy " + length() + " bytes into one array");
    }
    return toByteArray(0, (int) length());
  }

  /**
   * A read-only, big-endian view of the {@code len} bytes starting at {@code pos} (position 0
   * of the view is {@code pos}), or {@code null} when those bytes are not contiguous in memory
   * (a range that straddles two chunks of a large mapping) or the source does not expose its
   * memory. Hot loops (postings, series entries) read through the view and fall back to the
   * positional methods when it is {@code null}. The range is bounds-checked either way.
   */
  default ByteBuffer byteBuffer(long pos, int len) throws CorruptFormatException {
    checkRange(pos, len);
    return null;
  }

  /** Feeds {@code len} bytes starting at {@code pos} to {@code checksum}. */
  void updateChecksum(Checksum checksum, long pos, long len) throws CorruptFormatException;

  /**
   * A view of {@code length} bytes starting at {@code offset}. The slice is described as
   * this source's resource with {@code section} in brackets; a {@code null} section keeps
   * this source's section.
   */
  ByteSource slice(String section, long offset, long length) throws CorruptFormatException;

  /**
   * Throws unless {@code [pos, pos+len)} lies within this source. The one bounds check
   * every reader uses before trusting a length read from disk.
   */
  default void checkRange(long pos, long len) throws CorruptFormatException {
    if (pos < 0 || len < 0 || pos > length() - len) {
      throw corrupt(
          Math.max(pos, 0),
          "read of "
              + len
              + " bytes at position "
              + pos
              + " exceeds the available "
              + Math.max(0, length() - Math.max(pos, 0))
              + " bytes");
    }
  }

  /** An exception for a problem at position {@code pos} of this source. */
  default CorruptFormatException corrupt(long pos, String detail) {
    return new CorruptFormatException(description(), origin() + pos, detail);
  }

  /** An "actual vs expected" exception for a problem at position {@code pos}. */
  default CorruptFormatException mismatch(long pos, String what, Object actual, Object expected) {
    return CorruptFormatException.mismatch(description(), origin() + pos, what, actual, expected);
  }

  /** Wraps a whole array. */
  static ByteSource of(String description, byte[] bytes) {
    return new ByteArraySource(description, bytes, 0, bytes.length);
  }

  /** Wraps a whole array, described as {@code <memory>}. */
  static ByteSource of(byte[] bytes) {
    return of("<memory>", bytes);
  }

  /** Joins a resource name and a section name as {@code resource [section]}. */
  static String describe(String resource, String section) {
    return section == null ? resource : resource + " [" + section + "]";
  }
}
