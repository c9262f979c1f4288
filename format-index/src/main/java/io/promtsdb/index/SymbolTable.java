package io.promtsdb.index;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Sections;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The symbol table: every label name and value of the block, deduplicated and sorted by raw
 * UTF-8 bytes.
 *
 * <pre>
 * len     BE32   bytes from count through the last entry
 * count   BE32
 * entries count × (uvarint byte length, UTF-8 bytes)
 * crc     BE32   CRC32C over count and entries
 * </pre>
 *
 * Opening verifies the checksum, walks every entry once and keeps the position of every
 * {@value IndexFormat#SAMPLE_FACTOR}th: a lookup walks at most 31 entries from there, as
 * Prometheus' {@code Symbols} does. The two versions differ only in what a reference is:
 * the index of the entry (v2) or its absolute file offset (v1).
 */
abstract sealed class SymbolTable permits SymbolTable.V1, SymbolTable.V2 {
  static final String SECTION = "symbol table";

  /** count and entries, without len and crc. */
  final ByteSource payload;

  final ByteBuffer view;
  final int count;
  // Position in payload of entry i * SAMPLE_FACTOR.
  final long[] samples;

  SymbolTable(ByteSource index, long offset) throws CorruptFormatException {
    this.payload = Sections.readBe32(index, offset, SECTION).payload();
    this.view = Cursor.viewOf(payload);
    Window r = new Window(payload, 0);
    long n = Integer.toUnsignedLong(r.be32());
    if (n > r.remaining()) {
      throw payload.corrupt(0, "symbol count " + n + " needs at least " + n + " bytes, only " + r.remaining() + " remain");
    }
    this.count = (int) n;
    long[] s = new long[(count + IndexFormat.SAMPLE_FACTOR - 1) / IndexFormat.SAMPLE_FACTOR];
    r.skipStrings(count, IndexFormat.SAMPLE_FACTOR, s);
    if (r.remaining() != 0) {
      throw payload.corrupt(r.position(), "unexpected " + r.remaining() + " bytes left in " + SECTION);
    }
    this.samples = s;
  }

  /** Number of symbols. */
  final int count() {
    return count;
  }

  /** The symbol a series entry or label index refers to with {@code ref}. */
  abstract String lookup(long ref) throws CorruptFormatException;

  /** The reference of the symbol with these UTF-8 bytes, or -1 if there is none. */
  abstract long reverseLookup(byte[] utf8) throws CorruptFormatException;

  final Cursor cursor(long pos) {
    return new Cursor(payload, view, pos);
  }

  /** Position of entry {@code index} (0-based) in the payload. */
  final long positionOf(int index) throws CorruptFormatException {
    long start = samples[index / IndexFormat.SAMPLE_FACTOR];
    int skip = index % IndexFormat.SAMPLE_FACTOR;
    ByteBuffer v = view;
    if (v != null) {
      // Fast path over the verified table: one-byte lengths, bounds still checked.
      int p = (int) start;
      int lim = v.limit();
      for (; skip > 0 && p < lim; skip--) {
        int b = v.get(p);
        if (b < 0) {
          break;
        }
        p += 1 + b;
      }
      start = p;
    }
    Cursor c = cursor(start);
    for (; skip > 0; skip--) {
      c.skipString();
    }
    return c.pos;
  }

  /**
   * Index of the entry equal to {@code utf8}, or -1; a binary search over the samples, then
   * a walk of at most 31 entries. Also returns the entry's position through {@code posOut[0]}.
   */
  final int indexOf(byte[] utf8, long[] posOut) throws CorruptFormatException {
    if (count == 0) {
      return -1;
    }
    int lo = 0;
    int hi = samples.length - 1;
    // Last sample <= utf8.
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      Cursor c = cursor(samples[mid]);
      int len = c.length();
      if (c.compareNext(len, utf8) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    Cursor c = cursor(samples[lo]);
    int end = Math.min(count, (lo + 1) * IndexFormat.SAMPLE_FACTOR);
    for (int i = lo * IndexFormat.SAMPLE_FACTOR; i < end; i++) {
      long at = c.pos;
      int len = c.length();
      int cmp = c.compareNext(len, utf8);
      if (cmp == 0) {
        if (posOut != null) {
          posOut[0] = at;
        }
        return i;
      }
      if (cmp > 0) {
        return -1;
      }
      c.skip(len);
    }
    return -1;
  }

  /** All symbols in table order. */
  final Iterator<String> iterator() {
    return new Iterator<>() {
      private final Cursor c = cursor(4);
      private int i;

      @Override
      public boolean hasNext() {
        return i < count;
      }

      @Override
      public String next() {
        if (i >= count) {
          throw new NoSuchElementException();
        }
        i++;
        try {
          return c.string();
        } catch (CorruptFormatException e) {
          // The table was walked entry by entry when it was opened.
          throw new IllegalStateException("symbol table changed after it was verified", e);
        }
      }
    };
  }

  /** Version 2 and 3: a reference is the 0-based index of the entry. */
  static final class V2 extends SymbolTable {
    V2(ByteSource index, long offset) throws CorruptFormatException {
      super(index, offset);
    }

    @Override
    String lookup(long ref) throws CorruptFormatException {
      if (ref < 0 || ref >= count) {
        throw payload.mismatch(0, "symbol reference", Long.toUnsignedString(ref), "< " + count);
      }
      Cursor c = cursor(positionOf((int) ref));
      return c.string();
    }

    @Override
    long reverseLookup(byte[] utf8) throws CorruptFormatException {
      return indexOf(utf8, null);
    }
  }

  /** Version 1: a reference is the absolute file offset of the entry. */
  static final class V1 extends SymbolTable {
    V1(ByteSource index, long offset) throws CorruptFormatException {
      super(index, offset);
    }

    @Override
    String lookup(long ref) throws CorruptFormatException {
      long pos = ref - payload.origin();
      if (pos < 4 || pos >= payload.length()) {
        throw payload.mismatch(
            0,
            "symbol reference (v1: file offset)",
            Long.toUnsignedString(ref),
            "in [" + (payload.origin() + 4) + ", " + (payload.origin() + payload.length()) + ")");
      }
      return cursor(pos).string();
    }

    @Override
    long reverseLookup(byte[] utf8) throws CorruptFormatException {
      long[] pos = new long[1];
      return indexOf(utf8, pos) < 0 ? -1 : payload.origin() + pos[0];
    }

    /** Whether {@code ref} is the offset of an entry (not the middle of one). */
    boolean isEntryOffset(long ref) throws CorruptFormatException {
      long pos = ref - payload.origin();
      if (pos < 4 || pos >= payload.length()) {
        return false;
      }
      int s = Arrays.binarySearch(samples, pos);
      if (s >= 0) {
        return true;
      }
      int sample = -s - 2;
      Cursor c = cursor(samples[sample]);
      int end = Math.min(count, (sample + 1) * IndexFormat.SAMPLE_FACTOR);
      for (int i = sample * IndexFormat.SAMPLE_FACTOR; i < end && c.pos <= pos; i++) {
        if (c.pos == pos) {
          return true;
        }
        c.skipString();
      }
      return false;
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
