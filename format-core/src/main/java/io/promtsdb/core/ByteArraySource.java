package io.promtsdb.core;

import java.nio.ByteBuffer;
import java.util.zip.Checksum;

/** A {@link ByteSource} over (a range of) a {@code byte[]}. The array is not copied. */
public final class ByteArraySource implements ByteSource {
  private final String resource;
  private final String section;
  private final byte[] array;
  private final int offset;
  private final int length;
  private final long origin;

  /** A source over {@code array[offset..offset+length)}, described as {@code resource}. */
  public ByteArraySource(String resource, byte[] array, int offset, int length) {
    this(resource, null, array, offset, length, 0);
  }

  private ByteArraySource(
      String resource, String section, byte[] array, int offset, int length, long origin) {
    if (offset < 0 || length < 0 || offset > array.length - length) {
      throw new IllegalArgumentException(
          "range [" + offset + ", +" + length + ") outside array of " + array.length);
    }
    this.resource = resource;
    this.section = section;
    this.array = array;
    this.offset = offset;
    this.length = length;
    this.origin = origin;
  }

  /** The backing array; bytes of this source are {@code array()[arrayOffset() + pos]}. */
  public byte[] array() {
    return array;
  }

  public int arrayOffset() {
    return offset;
  }

  @Override
  public String description() {
    return ByteSource.describe(resource, section);
  }

  @Override
  public long origin() {
    return origin;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public byte get(long pos) throws CorruptFormatException {
    if (pos < 0 || pos >= length) {
      checkRange(pos, 1);
    }
    return array[offset + (int) pos];
  }

  @Override
  public int be16(long pos) throws CorruptFormatException {
    checkRange(pos, 2);
    int i = offset + (int) pos;
    return ((array[i] & 0xFF) << 8) | (array[i + 1] & 0xFF);
  }

  @Override
  public int be32(long pos) throws CorruptFormatException {
    checkRange(pos, 4);
    return BigEndian.getInt(array, offset + (int) pos);
  }

  @Override
  public long be64(long pos) throws CorruptFormatException {
    checkRange(pos, 8);
    return BigEndian.getLong(array, offset + (int) pos);
  }

  @Override
  public void copyTo(long pos, byte[] dst, int off, int len) throws CorruptFormatException {
    checkRange(pos, len);
    System.arraycopy(array, offset + (int) pos, dst, off, len);
  }

  @Override
  public ByteBuffer byteBuffer(long pos, int len) throws CorruptFormatException {
    checkRange(pos, len);
    return ByteBuffer.wrap(array, offset + (int) pos, len).slice().asReadOnlyBuffer();
  }

  @Override
  public void updateChecksum(Checksum checksum, long pos, long len) throws CorruptFormatException {
    checkRange(pos, len);
    checksum.update(array, offset + (int) pos, (int) len);
  }

  @Override
  public ByteSource slice(String newSection, long pos, long len) throws CorruptFormatException {
    checkRange(pos, len);
    return new ByteArraySource(
        resource,
        newSection == null ? section : newSection,
        array,
        offset + (int) pos,
        (int) len,
        origin + pos);
  }

  @Override
  public String toString() {
    return description() + " (" + length + " bytes in memory)";
  }
}
