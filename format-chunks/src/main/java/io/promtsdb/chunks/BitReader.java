package io.promtsdb.chunks;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.CorruptFormatException;

/**
 * Reads the MSB-first bit stream of a chunk held in a {@code byte[]} range.
 *
 * <p>Every read starts with {@link #peek()}: the 64 bits at the current position, top-aligned,
 * of which at least 57 are stream bits (one unaligned big-endian load and a shift while 8
 * bytes remain, a zero-padded slow path near the end). Reads past the end therefore see zero
 * bits instead of failing; callers check {@link #overrun()} once per sample, which keeps the
 * hot paths free of per-field bounds checks, and report the overrun as corruption. No value
 * read from the stream is used to size anything before it has been checked against
 * {@link #remainingBits()}.
 */
final class BitReader {
  /** Bits every {@link #peek()} guarantees to be stream bits (or zero padding after the end). */
  static final int PEEK_BITS = 57;

  byte[] a;
  long pos;
  long end;
  int fastLimit;

  /** Leading/trailing window left by {@link #readXor}. */
  int window;

  private String resource;
  private long origin;
  private int base;

  void reset(byte[] array, int chunkStart, int streamStart, int streamEnd, String resource, long origin) {
    this.a = array;
    this.pos = (long) streamStart << 3;
    this.end = (long) streamEnd << 3;
    this.fastLimit = streamEnd - 8;
    this.resource = resource;
    this.origin = origin;
    this.base = chunkStart;
  }

  long position() {
    return pos;
  }

  void skip(int n) {
    pos += n;
  }

  /** Bits left before the end; negative after an overrun. */
  long remainingBits() {
    return end - pos;
  }

  boolean overrun() {
    return pos > end;
  }

  /** The 64 bits at the current position, top-aligned; zeros past the end. */
  long peek() {
    long p = pos;
    int idx = (int) (p >>> 3);
    if (idx <= fastLimit) {
      return BigEndian.getLong(a, idx) << (p & 7);
    }
    return slowPeek(p);
  }

  private long slowPeek(long p) {
    int idx = (int) (p >>> 3);
    int endIdx = (int) (end >>> 3);
    long w = 0;
    for (int i = 0; i < 8; i++) {
      int j = idx + i;
      w = (w << 8) | (j < endIdx && j >= 0 ? a[j] & 0xFF : 0);
    }
    return w << (p & 7);
  }

  boolean readBit() {
    boolean b = peek() < 0;
    pos++;
    return b;
  }

  /** The next {@code n} bits (0..64) as an unsigned value. */
  long readBits(int n) {
    if (n <= PEEK_BITS) {
      if (n == 0) {
        return 0;
      }
      long v = peek() >>> (64 - n);
      pos += n;
      return v;
    }
    long hi = readBits(32);
    long lo = readBits(n - 32);
    return (hi << (n - 32)) | lo;
  }

  /** Go's {@code bstreamReader.ReadByte}: 8 bits. */
  int readByte() {
    return (int) readBits(8);
  }

  /**
   * Go's {@code binary.ReadUvarint} over {@link #readByte()}: at most 10 bytes, the tenth at
   * most 1.
   */
  long readUvarint(String what) throws CorruptFormatException {
    long start = pos;
    long x = 0;
    int shift = 0;
    for (int i = 0; i < 10; i++) {
      int b = readByte();
      if (b < 0x80) {
        if (i == 9 && b > 1) {
          break;
        }
        return x | ((long) b << shift);
      }
      x |= (long) (b & 0x7F) << shift;
      shift += 7;
    }
    throw corruptAt(start, what + ": varint overflows 64 bits");
  }

  long readVarint(String what) throws CorruptFormatException {
    long u = readUvarint(what);
    return (u >>> 1) ^ -(u & 1);
  }

  /**
   * Go's {@code readVarbitInt}: a prefix of up to 8 one-bits ended by a zero (or not, after
   * eight ones) selects 0, 3, 6, 9, 12, 18, 25, 56 or 64 payload bits. Payloads of n < 64 bits
   * in the asymmetric range {@code -(2^(n-1)-1) .. 2^(n-1)}.
   */
  long readVarbitInt() {
    long w = peek();
    int ones = Long.numberOfLeadingZeros(~w);
    if (ones <= 6) {
      // Without a branch on the size (see readBucketDods): 1 + ones + sz <= 32 bits of the peek.
      int sz = (int) (VARBIT_PAYLOAD_LANES >>> (ones << 3)) & 0xFF;
      long raw = ((w << ones << 1) >>> 1) >>> (63 - sz);
      long full = 1L << sz;
      pos += ones + 1 + sz;
      return raw - (full & (((full >>> 1) - raw) >> 63));
    }
    pos += 8;
    if (ones >= 8) {
      return readBits(64);
    }
    // The 56-bit bucket: 8 + 56 bits do not fit one peek.
    long v = readBits(56);
    if (v > (1L << 55)) {
      v -= 1L << 56;
    }
    return v;
  }

  /**
   * Payload bits of the {@code <varbit_int>} buckets 0 to 6, one per byte lane (lane = number of
   * leading one bits): 0, 3, 6, 9, 12, 18, 25. A shift and a mask instead of a table load.
   */
  static final long VARBIT_PAYLOAD_LANES =
      3L << 8 | 6L << 16 | 9L << 24 | 12L << 32 | 18L << 40 | 25L << 48;

  /**
   * Histogram bucket update: for each of {@code count} buckets reads a {@code <varbit_int>}
   * delta of delta, adds it to {@code deltas[i]} and that to {@code buckets[i]}.
   *
   * <p>The position stays in a local; while 8 bytes remain, every value of up to 25 payload bits
   * (prefixes of up to six ones) is decoded without a branch on its size, from one load: bucket
   * dods change size at random, and a mispredicted branch per bucket cost more than the decoding.
   * For {@code sz} payload bits the value is {@code raw} for {@code raw <= 2^(sz-1)}, else
   * {@code raw - 2^sz}; with {@code sz = 0} that is 0. The rest goes through
   * {@link #readVarbitInt()}.
   */
  void readBucketDods(long[] buckets, long[] deltas, int count) {
    long p = pos;
    byte[] arr = a;
    int lim = fastLimit;
    for (int i = 0; i < count; i++) {
      int idx = (int) (p >>> 3);
      long v;
      long w = idx <= lim ? BigEndian.getLong(arr, idx) << (p & 7) : -1L;
      int ones = Long.numberOfLeadingZeros(~w);
      if (ones <= 6) {
        int sz = (int) (VARBIT_PAYLOAD_LANES >>> (ones << 3)) & 0xFF;
        long raw = ((w << ones << 1) >>> 1) >>> (63 - sz);
        long full = 1L << sz;
        v = raw - (full & (((full >>> 1) - raw) >> 63));
        p += ones + 1 + sz;
      } else {
        pos = p;
        v = readVarbitInt();
        p = pos;
      }
      long d = deltas[i] + v;
      deltas[i] = d;
      buckets[i] += d;
    }
    pos = p;
  }

  /**
   * Float histogram bucket update: for each of {@code count} buckets reads a
   * {@code <varbit_xor>} value against {@code values[i]} in the window {@code windows[i]} (as
   * {@link #readXor}) and stores the new value and window. The position stays in a local while 8
   * bytes remain; unchanged values, values in the window and new windows of up to 44
   * significant bits take one load; the rest goes through {@link #readXor}.
   */
  void readXorBuckets(long[] values, int[] windows, int count) throws CorruptFormatException {
    long p = pos;
    byte[] arr = a;
    int lim = fastLimit;
    for (int i = 0; i < count; i++) {
      int idx = (int) (p >>> 3);
      if (idx <= lim) {
        long w = BigEndian.getLong(arr, idx) << (p & 7);
        if (w >= 0) {
          p++;
          continue;
        }
        if ((w << 1) >= 0) {
          int win = windows[i];
          int tr = win & 0xFF;
          int m = 64 - (win >>> 8) - tr;
          if (m <= PEEK_BITS - 2) {
            values[i] ^= ((w << 2) >>> (64 - m)) << tr;
            p += 2 + m;
            continue;
          }
        } else {
          int lead = (int) ((w << 2) >>> 59);
          int sig = (int) ((w << 7) >>> 58);
          if (sig != 0 && sig <= PEEK_BITS - 13 && lead + sig <= 64) {
            int tr = 64 - lead - sig;
            values[i] ^= ((w << 13) >>> (64 - sig)) << tr;
            windows[i] = (lead << 8) | tr;
            p += 13 + sig;
            continue;
          }
        }
      }
      pos = p;
      values[i] = readXor(values[i], windows[i]);
      windows[i] = window;
      p = pos;
    }
    pos = p;
  }

  /** Go's {@code readVarbitUint}: the buckets of {@link #readVarbitInt()}, unsigned. */
  long readVarbitUint() {
    long w = peek();
    int ones = Long.numberOfLeadingZeros(~w);
    if (ones == 0) {
      pos++;
      return 0;
    }
    if (ones >= 8) {
      pos += 8;
      return readBits(64);
    }
    int sz = Varbit.PAYLOAD_BITS[ones];
    pos += ones + 1;
    return readBits(sz);
  }

  /**
   * Reads a Gorilla XOR value ({@code <varbit_xor>}) against {@code prev}. {@code window}
   * packs the current leading (bits 15-8) and trailing (bits 7-0) zero counts; the decoder
   * starts from 0/0. Returns the new value bits and leaves the new window in {@link #window}.
   */
  long readXor(long prev, int window) throws CorruptFormatException {
    long w = peek();
    if (w >= 0) {
      pos++;
      this.window = window;
      return prev;
    }
    int leading;
    int trailing;
    int sig;
    if ((w << 1) >= 0) {
      // '10': reuse the window.
      leading = window >>> 8;
      trailing = window & 0xFF;
      sig = 64 - leading - trailing;
      pos += 2;
    } else {
      // '11': 5 bits leading, 6 bits significant (0 means 64).
      leading = (int) ((w << 2) >>> 59);
      sig = (int) ((w << 7) >>> 58);
      if (sig == 0) {
        sig = 64;
      }
      if (leading + sig > 64) {
        throw corruptAt(pos, "XOR window of " + leading + " leading zeros and " + sig
            + " significant bits exceeds 64 bits");
      }
      trailing = 64 - leading - sig;
      pos += 13;
      window = (leading << 8) | trailing;
    }
    long bits = readBits(sig);
    this.window = window;
    return prev ^ (bits << trailing);
  }

  /** The chunk byte offset of bit position {@code bitPos}, absolute in the resource. */
  long offsetOf(long bitPos) {
    return origin + (bitPos >>> 3) - base;
  }

  String resource() {
    return resource;
  }

  CorruptFormatException corruptAt(long bitPos, String detail) {
    return new CorruptFormatException(resource, offsetOf(bitPos), detail);
  }

  /** The exception for a sample whose bits run past the end of the chunk. */
  CorruptFormatException overrunError(long sampleStart, int sampleIndex, int numSamples) {
    return new CorruptFormatException(
        resource,
        offsetOf(sampleStart),
        "sample " + sampleIndex + " of " + numSamples + " needs " + (pos - sampleStart)
            + " bits, only " + Math.max(0, end - sampleStart) + " remain in the chunk");
  }
}
