package io.promtsdb.wal;

import io.promtsdb.core.CorruptFormatException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The snappy block format as Prometheus writes it: {@code github.com/golang/snappy}'s {@code
 * Encode} ported step for step, so that a record compresses to exactly the bytes Prometheus
 * stores (its amd64 assembly and its Go fallback produce the same output; the fixtures'
 * snappy segments are checked byte for byte), and a decoder with Go's {@code Decode}
 * acceptance rules.
 *
 * <p>Block: uvarint decoded length, then elements; the two low bits of a tag byte give the
 * element: 00 literal (length-1 in the upper six bits, or 60..63 for 1..4 little-endian
 * length bytes after it), 01 copy with 3-bit length-4 and an 11-bit offset, 10 copy with a
 * 6-bit length-1 and a 16-bit offset, 11 copy with a 32-bit offset.
 *
 * <p>The same block format serves Prometheus' remote read and write. Encoding needs an
 * instance, one per thread: it keeps its hash table between calls. Go zeroes a table per 64
 * KiB block; here every entry carries the block's {@code base}, and an entry older than the
 * current block reads as 0, which is what Go's zeroed entry holds: the same output without
 * clearing 32 KiB per record. Decoding is static; bad blocks give a {@link
 * CorruptFormatException} naming the byte of the block where decoding stopped.
 */
public final class Snappy {
  private static final int MAX_BLOCK_SIZE = 65536;
  private static final int INPUT_MARGIN = 16 - 1;
  private static final int MIN_NON_LITERAL_BLOCK_SIZE = 1 + 1 + INPUT_MARGIN;
  private static final int MAX_TABLE_SIZE = 1 << 14;
  private static final int TAG_LITERAL = 0x00;
  private static final int TAG_COPY1 = 0x01;
  private static final int TAG_COPY2 = 0x02;
  private static final int TAG_COPY4 = 0x03;

  /** Bytes {@link #decode} may write past the decoded length (wild copies): size for them. */
  public static final int DECODE_SLACK = 32;

  private static final String RESOURCE = "snappy block";

  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int[] table = new int[MAX_TABLE_SIZE];
  // Entries below base belong to earlier blocks. Starts at 1 so that the zeroed table is old.
  private int base = 1;

  public Snappy() {}

  /** Go's {@code MaxEncodedLen}, or -1 if the input is too large for snappy. */
  public static long maxEncodedLength(long srcLen) {
    if (srcLen > 0xFFFFFFFFL) {
      return -1;
    }
    long n = 32 + srcLen + srcLen / 6;
    return n > 0xFFFFFFFFL ? -1 : n;
  }

  /**
   * Go's {@code snappy.Encode(dst, src)}: writes the block to {@code dst} (at least {@link
   * #maxEncodedLength} bytes from {@code dstOff}) and returns its length.
   */
  public int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
    int d = dstOff;
    long v = len & 0xFFFFFFFFL;
    while (v >= 0x80) {
      dst[d++] = (byte) (v | 0x80);
      v >>>= 7;
    }
    dst[d++] = (byte) v;
    int p = off;
    int end = off + len;
    while (p < end) {
      int n = Math.min(end - p, MAX_BLOCK_SIZE);
      if (n < MIN_NON_LITERAL_BLOCK_SIZE) {
        d = emitLiteral(dst, d, src, p, n);
      } else {
        d = encodeBlock(dst, d, src, p, n);
      }
      p += n;
    }
    return d - dstOff;
  }

  private static int hash(int u, int shift) {
    return (u * 0x1e35a7bd) >>> shift;
  }

  private static int load32(byte[] b, int i) {
    return (int) INT.get(b, i);
  }

  private static long load64(byte[] b, int i) {
    return (long) LONG.get(b, i);
  }

  /** Go's {@code encodeBlock} over {@code src[p, p+n)}, {@code 17 <= n <= 65536}. */
  private int encodeBlock(byte[] dst, int d, byte[] src, int p, int n) {
    final int[] table = this.table;
    if (base > Integer.MAX_VALUE - 2 * MAX_BLOCK_SIZE) {
      Arrays.fill(table, 0);
      base = 1;
    }
    final int b = base;
    base += n;
    int shift = 32 - 8;
    for (int tableSize = 1 << 8; tableSize < MAX_TABLE_SIZE && tableSize < n; tableSize *= 2) {
      shift--;
    }
    // Positions are relative to the block, as in Go; src index = p + position.
    final int sLimit = n - INPUT_MARGIN;
    int nextEmit = 0;
    int s = 1;
    int nextHash = hash(load32(src, p + s), shift);
    outer:
    while (true) {
      int skip = 32;
      int nextS = s;
      int candidate;
      while (true) {
        s = nextS;
        int between = skip >> 5;
        nextS = s + between;
        skip += between;
        if (nextS > sLimit) {
          break outer;
        }
        int e = table[nextHash];
        candidate = e >= b ? e - b : 0;
        table[nextHash] = b + s;
        nextHash = hash(load32(src, p + nextS), shift);
        if (load32(src, p + s) == load32(src, p + candidate)) {
          break;
        }
      }
      d = emitLiteral(dst, d, src, p + nextEmit, s - nextEmit);
      while (true) {
        int start = s;
        s = extendMatch(src, p + candidate + 4, p + s + 4, p + n) - p;
        d = emitCopy(dst, d, start - candidate, s - start);
        nextEmit = s;
        if (s >= sLimit) {
          break outer;
        }
        long x = load64(src, p + s - 1);
        table[hash((int) x, shift)] = b + s - 1;
        int currHash = hash((int) (x >>> 8), shift);
        int e = table[currHash];
        candidate = e >= b ? e - b : 0;
        table[currHash] = b + s;
        if ((int) (x >>> 8) != load32(src, p + candidate)) {
          nextHash = hash((int) (x >>> 16), shift);
          s++;
          break;
        }
      }
    }
    if (nextEmit < n) {
      d = emitLiteral(dst, d, src, p + nextEmit, n - nextEmit);
    }
    return d;
  }

  /** The first {@code j >= j0} (up to {@code end}) where {@code src[i] != src[j]}, i - j fixed. */
  private static int extendMatch(byte[] src, int i, int j, int end) {
    // Short matches (the common case) in 8-byte steps; a long one is handed to
    // Arrays.mismatch, which compares a vector at a time.
    for (int k = 0; k < 2 && j + 8 <= end; k++) {
      long diff = load64(src, i) ^ load64(src, j);
      if (diff != 0) {
        return j + (Long.numberOfTrailingZeros(diff) >>> 3);
      }
      i += 8;
      j += 8;
    }
    int m = java.util.Arrays.mismatch(src, i, i + (end - j), src, j, end);
    return m < 0 ? end : j + m;
  }

  private static int emitLiteral(byte[] dst, int d, byte[] src, int p, int len) {
    int n = len - 1;
    if (n < 60) {
      dst[d++] = (byte) (n << 2 | TAG_LITERAL);
    } else if (n < 1 << 8) {
      dst[d++] = (byte) (60 << 2 | TAG_LITERAL);
      dst[d++] = (byte) n;
    } else {
      dst[d++] = (byte) (61 << 2 | TAG_LITERAL);
      dst[d++] = (byte) n;
      dst[d++] = (byte) (n >>> 8);
    }
    System.arraycopy(src, p, dst, d, len);
    return d + len;
  }

  private static int emitCopy(byte[] dst, int d, int offset, int length) {
    if (length >= 68) {
      // 64-byte copies as one 4-byte store each: the fourth byte is overwritten by the
      // element that always follows (at least the remainder of this copy).
      int tag = (63 << 2 | TAG_COPY2) | (offset & 0xFFFF) << 8;
      do {
        INT.set(dst, d, tag);
        d += 3;
        length -= 64;
      } while (length >= 68);
    }
    if (length > 64) {
      dst[d] = (byte) (59 << 2 | TAG_COPY2);
      dst[d + 1] = (byte) offset;
      dst[d + 2] = (byte) (offset >>> 8);
      d += 3;
      length -= 60;
    }
    if (length >= 12 || offset >= 2048) {
      dst[d] = (byte) ((length - 1) << 2 | TAG_COPY2);
      dst[d + 1] = (byte) offset;
      dst[d + 2] = (byte) (offset >>> 8);
      return d + 3;
    }
    dst[d] = (byte) ((offset >>> 8) << 5 | (length - 4) << 2 | TAG_COPY1);
    dst[d + 1] = (byte) offset;
    return d + 2;
  }

  // ---- decoding -------------------------------------------------------------------------

  /**
   * The decoded length a block claims (Go's {@code DecodedLen}); its header must be a
   * uvarint that fits 32 bits.
   */
  public static long decodedLength(byte[] src, int off, int len) throws CorruptFormatException {
    long x = 0;
    for (int i = 0, shift = 0; i < len && i < 10; i++, shift += 7) {
      int c = src[off + i] & 0xFF;
      if (c < 0x80) {
        if (i == 9 && c > 1) {
          break;
        }
        x |= (long) c << shift;
        if (Long.compareUnsigned(x, 0xFFFFFFFFL) > 0) {
          throw new CorruptFormatException(RESOURCE, 0, "decoded length "
              + Long.toUnsignedString(x) + " exceeds 32 bits");
        }
        return x;
      }
      x |= (long) (c & 0x7F) << shift;
    }
    throw new CorruptFormatException(RESOURCE, 0, "no valid uvarint length header");
  }

  /** Bytes of the length header (a valid one: call {@link #decodedLength} first). */
  private static int headerLength(byte[] src, int off) {
    int i = 0;
    while ((src[off + i] & 0x80) != 0) {
      i++;
    }
    return i + 1;
  }

  /**
   * Go's {@code snappy.Decode}: decodes the block {@code src[off, off+len)} into {@code dst},
   * which must hold {@link #decodedLength} + {@link #DECODE_SLACK} bytes (bytes after the
   * decoded ones are scratch); check the claimed length before allocating for it. Returns the
   * decoded length. Rejects what Go rejects: lengths or offsets
   * outside the input or output, offset 0, and output shorter or longer than the header says.
   */
  public static int decode(byte[] src, int off, int len, byte[] dst) throws CorruptFormatException {
    long claimed = decodedLength(src, off, len);
    if (dst.length - DECODE_SLACK < claimed) {
      throw new IllegalArgumentException("output buffer too small");
    }
    final int dLen = (int) claimed;
    final int sEnd = off + len;
    // Wild copies of 16 bytes: output writes stay below dLen + 16 < dst.length because
    // every element is checked to end within dLen; input reads need 16 bytes of the array.
    final int srcFast = src.length - 16;
    int s = off + headerLength(src, off);
    int d = 0;
    while (s < sEnd) {
      int tag = src[s] & 0xFF;
      int kind = tag & 0x03;
      if (kind == TAG_LITERAL) {
        int x = tag >>> 2;
        int length;
        if (x < 60) {
          s++;
          length = x + 1;
          if (length <= 16 && s <= srcFast) {
            if (length > dLen - d || length > sEnd - s) {
              throw corrupt("literal of " + length + " bytes runs past the "
                  + (length > dLen - d ? "output" : "input"), s, off);
            }
            LONG.set(dst, d, (long) LONG.get(src, s));
            LONG.set(dst, d + 8, (long) LONG.get(src, s + 8));
            s += length;
            d += length;
            continue;
          }
        } else {
          int extra = x - 59;
          if (sEnd - s <= extra) {
            throw corrupt("literal length runs past the input", s, off);
          }
          long l = 0;
          for (int i = 0; i < extra; i++) {
            l |= (long) (src[s + 1 + i] & 0xFF) << (8 * i);
          }
          s += 1 + extra;
          if (l + 1 > Integer.MAX_VALUE) {
            throw corrupt("literal length " + (l + 1) + " too large", s, off);
          }
          length = (int) (l + 1);
        }
        if (length > dLen - d || length > sEnd - s) {
          throw corrupt("literal of " + length + " bytes runs past the "
              + (length > dLen - d ? "output" : "input"), s, off);
        }
        System.arraycopy(src, s, dst, d, length);
        d += length;
        s += length;
        continue;
      }
      int length;
      int offset;
      if (kind == TAG_COPY1) {
        if (sEnd - s < 2) {
          throw corrupt("truncated copy", s, off);
        }
        length = 4 + ((tag >>> 2) & 0x7);
        offset = (tag & 0xE0) << 3 | (src[s + 1] & 0xFF);
        s += 2;
      } else if (kind == TAG_COPY2) {
        if (sEnd - s < 3) {
          throw corrupt("truncated copy", s, off);
        }
        length = 1 + (tag >>> 2);
        offset = (src[s + 1] & 0xFF) | (src[s + 2] & 0xFF) << 8;
        s += 3;
      } else {
        if (sEnd - s < 5) {
          throw corrupt("truncated copy", s, off);
        }
        length = 1 + (tag >>> 2);
        long o = (int) INT.get(src, s + 1) & 0xFFFFFFFFL;
        s += 5;
        offset = (int) Math.min(o, Integer.MAX_VALUE);
      }
      if (offset <= 0 || d < offset) {
        throw corrupt("copy offset " + offset + " at output byte " + d, s, off);
      }
      if (length > dLen - d) {
        throw corrupt("copy of " + length + " bytes runs past the output", s, off);
      }
      int from = d - offset;
      if (offset >= 8) {
        // 8-byte steps never read bytes this copy has not written yet; the last step may
        // write up to 15 bytes past the copy, into bytes later elements overwrite or the
        // slack.
        LONG.set(dst, d, (long) LONG.get(dst, from));
        LONG.set(dst, d + 8, (long) LONG.get(dst, from + 8));
        for (int i = 16; i < length; i += 8) {
          LONG.set(dst, d + i, (long) LONG.get(dst, from + i));
        }
      } else {
        for (int i = 0; i < length; i++) {
          dst[d + i] = dst[from + i];
        }
      }
      d += length;
    }
    if (d != dLen) {
      throw new CorruptFormatException(
          RESOURCE, len, "decoded " + d + " bytes, the header says " + dLen);
    }
    return dLen;
  }

  private static CorruptFormatException corrupt(String what, int s, int off) {
    return new CorruptFormatException(RESOURCE, s - off, what);
  }
}
