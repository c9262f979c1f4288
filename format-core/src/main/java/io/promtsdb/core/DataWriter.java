package io.promtsdb.core;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable in-memory encoder, the counterpart of {@link DataReader} and of Prometheus'
 * {@code encoding.Encbuf}: big-endian fixed-width integers, minimal varints, length-prefixed
 * strings, and back-patching of section lengths and CRCs. Not thread-safe.
 */
public final class DataWriter {
  private byte[] buf;
  private int size;

  public DataWriter() {
    this(256);
  }

  public DataWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  /** Number of bytes written so far. */
  public int size() {
    return size;
  }

  /** Discards everything written, keeping the buffer. */
  public void reset() {
    size = 0;
  }

  /** Drops bytes after {@code newSize}. */
  public void truncate(int newSize) {
    if (newSize < 0 || newSize > size) {
      throw new IllegalArgumentException("truncate to " + newSize + " of " + size);
    }
    size = newSize;
  }

  /** The internal buffer; valid bytes are {@code [0, size())}. Changes with further writes. */
  public byte[] array() {
    return buf;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }

  /** The written bytes as a source (not copied; invalidated by further writes). */
  public ByteSource asSource(String description) {
    return new ByteArraySource(description, buf, 0, size);
  }

  private void ensure(int extra) {
    if (extra > buf.length - size) {
      long needed = (long) size + extra;
      if (needed > Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("in-memory buffer would exceed 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8L, buf.length * 2L)));
    }
  }

  public DataWriter u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
    return this;
  }

  public DataWriter be16(int v) {
    ensure(2);
    BigEndian.putShort(buf, size, v);
    size += 2;
    return this;
  }

  public DataWriter be32(int v) {
    ensure(4);
    BigEndian.putInt(buf, size, v);
    size += 4;
    return this;
  }

  public DataWriter be64(long v) {
    ensure(8);
    BigEndian.putLong(buf, size, v);
    size += 8;
    return this;
  }

  /** A float64 as big-endian raw IEEE-754 bits (NaN payloads kept). */
  public DataWriter be64Double(double v) {
    return be64(Double.doubleToRawLongBits(v));
  }

  public DataWriter uvarint(long v) {
    ensure(Varints.MAX_LEN);
    size = Varints.putUvarint(buf, size, v);
    return this;
  }

  public DataWriter varint(long v) {
    ensure(Varints.MAX_LEN);
    size = Varints.putVarint(buf, size, v);
    return this;
  }

  public DataWriter bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  public DataWriter bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
    return this;
  }

  /** Appends {@code len} bytes of {@code src} starting at {@code pos}. */
  public DataWriter bytes(ByteSource src, long pos, int len) throws CorruptFormatException {
    ensure(len);
    src.copyTo(pos, buf, size, len);
    size += len;
    return this;
  }

  /** A uvarint byte length, then the bytes. */
  public DataWriter uvarintBytes(byte[] b) {
    uvarint(b.length);
    return bytes(b);
  }

  /** A uvarint byte length, then the UTF-8 bytes of {@code s}. */
  public DataWriter uvarintString(String s) {
    return uvarintBytes(s.getBytes(StandardCharsets.UTF_8));
  }

  /** {@code n} zero bytes. */
  public DataWriter zeros(int n) {
    ensure(n);
    Arrays.fill(buf, size, size + n, (byte) 0);
    size += n;
    return this;
  }

  /**
   * Zero bytes until {@code (base + size()) % alignment == 0}, where {@code base} is the
   * absolute position of this buffer's first byte in the file being written.
   */
  public DataWriter padTo(long base, int alignment) {
    int rem = (int) Math.floorMod(base + size, (long) alignment);
    return rem == 0 ? this : zeros(alignment - rem);
  }

  /** Overwrites 4 bytes at {@code pos} with {@code v}, big-endian. */
  public void setBE32(int pos, int v) {
    if (pos < 0 || pos > size - 4) {
      throw new IllegalArgumentException("setBE32 at " + pos + " of " + size);
    }
    BigEndian.putInt(buf, pos, v);
  }

  /** CRC32C of the bytes {@code [from, to)} written so far. */
  public int crc32c(int from, int to) {
    if (from < 0 || to > size || from > to) {
      throw new IllegalArgumentException("crc32c of [" + from + ", " + to + ") of " + size);
    }
    return Crc32c.compute(buf, from, to - from);
  }

  /** Appends the big-endian CRC32C of {@code [from, size())}. */
  public DataWriter crc32cFrom(int from) {
    return be32(crc32c(from, size));
  }

  /**
   * Starts a "BE32 len | payload | BE32 CRC32C(payload)" section: reserves the length and
   * returns the token to pass to {@link #endBe32Section}.
   */
  public int beginBe32Section() {
    int at = size;
    be32(0);
    return at;
  }

  /** Fills in the length of the section begun at {@code token} and appends its CRC. */
  public void endBe32Section(int token) {
    int payloadStart = token + 4;
    long len = size - payloadStart;
    setBE32(token, (int) len);
    crc32cFrom(payloadStart);
  }

  public void writeTo(OutputStream out) throws IOException {
    out.write(buf, 0, size);
  }
}
