package io.promtsdb.chunks;

import io.promtsdb.core.BigEndian;
import java.util.Arrays;

/**
 * The MSB-first bit stream chunks are written in (Go's {@code bstream} writer): the first bit
 * written is bit 7 of the first byte, the last byte is zero-padded in its low bits.
 *
 * <p>Bits collect in a 64-bit accumulator ({@code acc}, top-aligned) that stands for the eight
 * bytes at {@code accByte}; a write that fills it stores the whole word with one big-endian
 * store and carries the rest over. The array is therefore only ever written, never read back
 * per write: a read-modify-write of the last bytes would make every write wait for the previous
 * store (store-to-load forwarding fails on overlapping unaligned words). Invariants: bytes
 * before {@code accByte} are final; {@code accBits = bitPos - 8 * accByte} is 0..63 and the
 * bits of {@code acc} after them are zero; bytes from {@code accByte + 8} on are zero; the array
 * has at least 16 bytes from {@code accByte}. Readers of the array ({@link #toByteArray},
 * {@link #array}) store the accumulator first ({@link #sync}).
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
  /** The bits of the eight bytes at {@link #accByte}, top-aligned; {@link #accBits} of them written. */
  private long acc;
  private int accBits;
  private int accByte;
  /** Bit position after the last Go byte write that ended byte-aligned; -1 if none. */
  private long v2SpareAt = -1;

  BitWriter(int headerBytes, int initialCapacity, WriterFlavor flavor) {
    this.v2 = flavor == WriterFlavor.PROMETHEUS_2;
    this.buf = new byte[Math.max(initialCapacity, headerBytes + 16)];
    this.bitPos = (long) headerBytes << 3;
    this.accByte = headerBytes;
  }

  /** Forgets everything but the header bytes' positions (which are zeroed). */
  void reset(int headerBytes) {
    int used = Math.min(buf.length, Math.max(byteLength(), accByte + 8) + 9);
    Arrays.fill(buf, 0, used, (byte) 0);
    bitPos = (long) headerBytes << 3;
    acc = 0;
    accBits = 0;
    accByte = headerBytes;
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
    }
    Arrays.fill(buf, off != 0 ? idx + 1 : idx, buf.length, (byte) 0);
    bitPos = bitPosition;
    accByte = idx;
    accBits = off;
    acc = off == 0 ? 0 : (long) (buf[idx] & 0xFF) << 56;
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

  /** The backing array, accumulator stored; valid up to {@link #byteLength()}. */
  byte[] array() {
    sync();
    return buf;
  }

  byte[] toByteArray() {
    sync();
    return Arrays.copyOf(buf, byteLength());
  }

  /** Stores the accumulator's word (idempotent: later writes only add bits to it). */
  private void sync() {
    BigEndian.putLong(buf, accByte, acc);
  }

  int getByte(int index) {
    int k = index - accByte;
    if (k < 0 || k >= 8) {
      return buf[index] & 0xFF;
    }
    return (int) (acc >>> (56 - 8 * k)) & 0xFF;
  }

  /** Sets a byte already written (the chunk headers); bits in the accumulator included. */
  void setByte(int index, int value) {
    int k = index - accByte;
    if (k >= 8) {
      throw new IllegalStateException("byte " + index + " is not written yet");
    }
    if (k >= 0) {
      int sh = 56 - 8 * k;
      acc = (acc & ~(0xFFL << sh)) | ((long) (value & 0xFF) << sh);
    } else {
      buf[index] = (byte) value;
    }
  }

  int getShort(int index) {
    return (getByte(index) << 8) | getByte(index + 1);
  }

  /** Sets two bytes already written; the header's sample count, once per sample. */
  void setShort(int index, int value) {
    if (index + 2 <= accByte) {
      BigEndian.putShort(buf, index, value);
    } else {
      setByte(index, (value >>> 8) & 0xFF);
      setByte(index + 1, value & 0xFF);
    }
  }

  /** Stores the full accumulator and starts the next word. */
  private void storeWord(long word) {
    int i = accByte;
    if (i + 24 > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(i + 24, buf.length * 2));
    }
    BigEndian.putLong(buf, i, word);
    accByte = i + 8;
  }

  /** Go's {@code writeBit(zero)}, {@code n} times ({@code n <= 64}). */
  void writeZeros(int n) {
    int used = accBits + n;
    if (used >= 64) {
      storeWord(acc);
      acc = 0;
      used -= 64;
    }
    accBits = used;
    bitPos += n;
  }

  /** Go's {@code writeBit(zero)}. */
  void writeZero() {
    int used = accBits + 1;
    if (used == 64) {
      storeWord(acc);
      acc = 0;
      used = 0;
    }
    accBits = used;
    bitPos++;
  }

  /** Go's {@code writeBit}. */
  void writeBit(boolean bit) {
    put(bit ? 1 : 0, 1);
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
   * payloadBits)}, in one write when they fit in 64 bits. Only the payload write counts for
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

  /** Appends the low {@code n} bits of {@code v} (1..64). */
  private void put(long v, int n) {
    int used = accBits;
    long x = v << (64 - n); // n == 64 shifts by 0: all bits kept.
    int free = 64 - used;
    if (n < free) {
      acc |= x >>> used;
      accBits = used + n;
    } else {
      // Fills the word: store it, keep the n - free bits that did not fit (free < 64 then,
      // unless n == 64 == free, which leaves nothing over).
      storeWord(acc | (x >>> used));
      acc = n == free ? 0 : x << free;
      accBits = n - free;
    }
    bitPos += n;
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
