package io.promtsdb.index;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import java.util.Arrays;

/**
 * A sequential reader over a large section through a 16 KiB heap window, refilled with bulk
 * copies: array-speed parsing of a mapped section (the symbol table and postings offset
 * table walks at open) without holding the section in memory. Every read is bounds-checked
 * against the section. Not thread-safe.
 */
final class Window {
  private static final int SIZE = 1 << 14;

  private final ByteSource src;
  private final long limit;
  private final byte[] buf = new byte[SIZE];
  // Section position of buf[0], and number of valid bytes in buf.
  private long base;
  private int len;
  // Index in buf of the current position.
  private int i;

  Window(ByteSource src, long pos) throws CorruptFormatException {
    this.src = src;
    this.limit = src.length();
    seek(pos);
  }

  long position() {
    return base + i;
  }

  long remaining() {
    return limit - base - i;
  }

  private void seek(long pos) throws CorruptFormatException {
    base = pos;
    i = 0;
    len = (int) Math.min(SIZE, limit - pos);
    src.copyTo(pos, buf, 0, len);
  }

  /** Makes {@code n} bytes (at most the window size) available at the current position. */
  private void need(int n) throws CorruptFormatException {
    if (n > len - i) {
      if (n > limit - base - i) {
        throw src.corrupt(base + i, "need " + n + " bytes, only " + (limit - base - i) + " remain");
      }
      seek(base + i);
    }
  }

  int u8() throws CorruptFormatException {
    if (i >= len) {
      need(1);
    }
    return buf[i++] & 0xFF;
  }

  long uvarint() throws CorruptFormatException {
    if (len - i >= 10) {
      // Fast path: the whole varint is in the window.
      long start = base + i;
      long x = 0;
      for (int shift = 0; shift < 70; shift += 7) {
        int b = buf[i++];
        if (b >= 0) {
          if (shift == 63 && b > 1) {
            break;
          }
          return x | ((long) b << shift);
        }
        x |= (long) (b & 0x7F) << shift;
      }
      throw src.corrupt(start, "uvarint overflows 64 bits");
    }
    long start = base + i;
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
    long start = base + i;
    long n = uvarint();
    if (Long.compareUnsigned(n, remaining()) > 0) {
      throw src.corrupt(
          start, "length " + Long.toUnsignedString(n) + " exceeds the " + remaining() + " remaining bytes");
    }
    return (int) n;
  }

  int be32() throws CorruptFormatException {
    need(4);
    int v = BigEndian.getInt(buf, i);
    i += 4;
    return v;
  }

  void skip(long n) throws CorruptFormatException {
    if (n < 0 || n > remaining()) {
      throw src.corrupt(base + i, "need " + n + " bytes, only " + remaining() + " remain");
    }
    if (n <= len - i) {
      i += (int) n;
    } else {
      seek(base + i + n);
    }
  }

  byte[] bytes(int n) throws CorruptFormatException {
    if (n <= SIZE) {
      need(n);
      byte[] out = Arrays.copyOfRange(buf, i, i + n);
      i += n;
      return out;
    }
    long at = position();
    skip(n);
    return src.toByteArray(at, n);
  }

  /** Whether the next {@code n} bytes equal {@code other} (not consumed). */
  boolean nextEquals(int n, byte[] other) throws CorruptFormatException {
    if (n != other.length) {
      return false;
    }
    if (n <= SIZE) {
      need(n);
      if (n <= 16) {
        // Label names are short; a loop beats the intrinsic's call overhead.
        for (int k = 0; k < n; k++) {
          if (buf[i + k] != other[k]) {
            return false;
          }
        }
        return true;
      }
      return Arrays.equals(buf, i, i + n, other, 0, n);
    }
    return Arrays.equals(src.toByteArray(position(), n), other);
  }

  /**
   * Skips {@code count} uvarint-prefixed strings, recording the position of every
   * {@code factor}th in {@code samples}: the symbol table walk, as a tight loop over the
   * window for one-byte lengths.
   */
  void skipStrings(int count, int factor, long[] samples) throws CorruptFormatException {
    int untilSample = 0;
    int sample = 0;
    for (int k = 0; k < count; k++) {
      if (len - i < 129 && base + len < limit) {
        seek(base + i); // keep a whole one-byte-length string in the window
      }
      if (untilSample == 0) {
        samples[sample++] = base + i;
        untilSample = factor;
      }
      untilSample--;
      int b = i < len ? buf[i] : -1;
      if (b >= 0 && b < len - i) {
        i += 1 + b;
      } else {
        skip(length());
      }
    }
  }

  /** Section position of the value of the last entry {@link #tryEntryOf} consumed. */
  long valuePos;

  /**
   * The common postings offset table entry as one tight step: if the next entry is {@code
   * (2, name, value, offset)} with short lengths and lies wholly in the window, consumes it
   * and returns the value's length ({@link #valuePos} its position); otherwise returns -1
   * and consumes nothing, for the general path to read it (and report what is wrong).
   */
  int tryEntryOf(byte[] name) {
    final byte[] b = buf;
    int p = i;
    int nl = name.length;
    if (nl > 127 || len - p < nl + 14) {
      return -1;
    }
    if (b[p] != 2 || b[p + 1] != nl) {
      return -1;
    }
    p += 2;
    if (nl <= 8) {
      // Label names are short: one 8-byte comparison (8 bytes are in the window).
      long mask = nl == 8 ? -1L : ~(-1L >>> (8 * nl));
      if ((BigEndian.getLong(b, p) & mask) != (nameWord(name) & mask)) {
        return -1;
      }
    } else {
      for (int k = 0; k < nl; k++) {
        if (b[p + k] != name[k]) {
          return -1;
        }
      }
    }
    p += nl;
    int vl = b[p];
    if (vl < 0) {
      return -1;
    }
    int v = p + 1;
    p = v + vl;
    if (len - p < 10) {
      return -1;
    }
    // The postings offset, a uvarint, skipped: its last byte is the first without the
    // continuation bit among the next eight.
    long stops = ~BigEndian.getLong(b, p) & 0x8080808080808080L;
    if (stops == 0) {
      return -1;
    }
    i = p + (Long.numberOfLeadingZeros(stops) >>> 3) + 1;
    valuePos = base + v;
    return vl;
  }

  // The first eight bytes of name, big-endian, zero-filled; cached for the current name.
  private byte[] wordOf;
  private long word;

  private long nameWord(byte[] name) {
    if (name != wordOf) {
      long w = 0;
      for (int k = 0; k < 8; k++) {
        w = (w << 8) | (k < name.length ? name[k] & 0xFF : 0);
      }
      word = w;
      wordOf = name;
    }
    return word;
  }

  CorruptFormatException corrupt(long at, String detail) {
    return src.corrupt(at, detail);
  }
}
