package io.promtsdb.chunks;

import io.promtsdb.core.BigEndian;
import java.util.Arrays;

/**
 * The MSB-first bit stream chunks are written in (Go's {@code bstream} writer): the first bit
 * written is bit 7 of the first byte, the last byte is zero-padded in its low bits.
 *
 * <p>Bits are ORed straight into a zero-filled array with one 64-bit big-endian store, so a
 * write of up to 64 bits costs one load, one store and at most one spill byte. Invariant: every
 * byte at or after the current bit position holds zeros in the bits not yet written, and the
 * array has at least 9 bytes past the byte holding the current bit position.
 *
 * <p>{@link WriterFlavor#PROMETHEUS_2} reproduces Go 2.x's spare byte: Go's {@code writeBits}
 * decomposes a write of {@code n} bits into {@code n/8} byte writes followed by {@code n%8}
 * bit writes, and 2.x leaves a zero byte behind when the last primitive was a byte write that
 * ended byte-aligned. {@link #writeBits} and {@link #writeByte} record that position; a write
 * that Go does with separate calls uses {@link #writePrefixed} so that only the last call
 * counts.
 */
final class BitWriter {
  private final boolean v2;
  private byte[] buf;
  private long bitPos;
  /** Bit position after the last Go byte write that ended byte-aligned; -1 if none. */
  private long v2SpareAt = -1;

  BitWriter(int headerBytes, int initialCapacity, WriterFlavor flavor) {
    this.v2 = flavor == WriterFlavor.PROMETHEUS_2;
    this.buf = new byte[Math.max(initialCapacity, headerBytes + 16)];
    this.bitPos = (long) headerBytes << 3;
  }

  /** Forgets everything but the header bytes' positions (which are zeroed). */
  void reset(int headerBytes) {
    int used = Math.min(buf.length, byteLength() + 9);
    Arrays.fill(buf, 0, used, (byte) 0);
    bitPos = (long) headerBytes << 3;
    v2SpareAt = -1;
  }

  /** Bits written so far, header bytes included. */
  long bitPosition() {
    return bitPos;
  }

  /**
   * Continues writing at {@code bitPosition} in a copy of {@code bytes}: bits at and after the
   * position are cleared, as Go's restored {@code bstream.count} would overwrite them.
   */
  void resumeAt(byte[] bytes, int length, long bitPosition) {
    int need = (int) ((bitPosition + 7) >>> 3) + 16;
    buf = new byte[Math.max(need, length + 16)];
    System.arraycopy(bytes, 0, buf, 0, length);
    int idx = (int) (bitPosition >>> 3);
    int off = (int) (bitPosition & 7);
    if (off != 0) {
      buf[idx] &= (byte) (0xFF << (8 - off));
      idx++;
    }
    Arrays.fill(buf, idx, buf.length, (byte) 0);
    bitPos = bitPosition;
    v2SpareAt = -1;
  }

  /** Number of bytes of the stream, including Go 2.x's spare byte when it applies. */
  int byteLength() {
    int n = (int) ((bitPos + 7) >>> 3);
    if (v2 && v2SpareAt == bitPos) {
      n++;
    }
    return n;
  }

  /** The backing array; valid up to {@link #byteLength()}. */
  byte[] array() {
    return buf;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, byteLength());
  }

  int getByte(int index) {
    return buf[index] & 0xFF;
  }

  void setByte(int index, int value) {
    buf[index] = (byte) value;
  }

  int getShort(int index) {
    return BigEndian.getUnsignedShort(buf, index);
  }

  void setShort(int index, int value) {
    BigEndian.putShort(buf, index, value);
  }

  private void ensure(long pos) {
    int need = (int) (pos >>> 3) + 9;
    if (need > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(need, buf.length * 2));
    }
  }

  /** Go's {@code writeBit(zero)}, {@code n} times ({@code n <= 64}). */
  void writeZeros(int n) {
    long p = bitPos + n;
    ensure(p);
    bitPos = p;
  }

  /** Go's {@code writeBit(zero)}. */
  void writeZero() {
    long p = bitPos + 1;
    ensure(p);
    bitPos = p;
  }

  /** Go's {@code writeBit}. */
  void writeBit(boolean bit) {
    long p = bitPos;
    ensure(p);
    if (bit) {
      buf[(int) (p >>> 3)] |= (byte) (0x80 >>> (p & 7));
    }
    bitPos = p + 1;
  }

  /**
   * Go's {@code writeBits(v, n)}: the low {@code n} bits of {@code v}, most significant
   * first, {@code 1 <= n <= 64}. Higher bits of {@code v} are ignored.
   */
  void writeBits(long v, int n) {
    put(v, n);
    if ((n & 7) == 0) {
      markByteWrite();
    }
  }

  /** Go's {@code writeByte}: 8 bits. */
  void writeByte(int b) {
    put(b, 8);
    markByteWrite();
  }

  /**
   * Go's {@code writeBits(prefix, prefixBits)} followed by {@code writeBits(payload,
   * payloadBits)}, in one store when they fit in 64 bits. Only the payload write counts for
   * the 2.x spare byte.
   */
  void writePrefixed(long prefix, int prefixBits, long payload, int payloadBits) {
    int n = prefixBits + payloadBits;
    if (n <= 64) {
      long mask = payloadBits == 64 ? -1L : (1L << payloadBits) - 1;
      put((prefix << payloadBits) | (payload & mask), n);
    } else {
      put(prefix, prefixBits);
      put(payload, payloadBits);
    }
    if ((payloadBits & 7) == 0) {
      markByteWrite();
    }
  }

  private void markByteWrite() {
    if ((bitPos & 7) == 0) {
      v2SpareAt = bitPos;
    }
  }

  /** ORs the low {@code n} bits of {@code v} (1..64) at the current position. */
  private void put(long v, int n) {
    long p = bitPos;
    ensure(p);
    int idx = (int) (p >>> 3);
    int off = (int) (p & 7);
    long x = v << (64 - n); // n == 64 shifts by 0: all bits kept.
    BigEndian.putLong(buf, idx, BigEndian.getLong(buf, idx) | (x >>> off));
    if (off + n > 64) {
      // The last off+n-64 (at most 7) bits spill into the ninth byte.
      buf[idx + 8] |= (byte) ((x << (64 - off)) >>> 56);
    }
    bitPos = p + n;
  }

  /** Go's {@code writeByte} of each byte of {@code putVarint(v)}. */
  void writeVarintBytes(long v) {
    writeUvarintBytes((v << 1) ^ (v >> 63));
  }

  /** Go's {@code writeByte} of each byte of {@code putUvarint(v)}. */
  void writeUvarintBytes(long v) {
    while (Long.compareUnsigned(v, 0x80) >= 0) {
      writeByte((int) (v | 0x80) & 0xFF);
      v >>>= 7;
    }
    writeByte((int) v);
  }
}
