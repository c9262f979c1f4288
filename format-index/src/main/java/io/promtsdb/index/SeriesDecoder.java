package io.promtsdb.index;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;

/**
 * Decodes one series entry payload copied to the heap: the hot path of queries, so a plain
 * array walk instead of a {@link io.promtsdb.core.DataReader} over a mapped slice. Errors
 * name the series section and the absolute offset.
 */
final class SeriesDecoder {
  private final byte[] b;
  private final ByteSource where;
  private final long base;
  private int i;

  /** {@code b} holds the payload that starts at position {@code base} of {@code where}. */
  SeriesDecoder(byte[] b, ByteSource where, long base) {
    this.b = b;
    this.where = where;
    this.base = base;
  }

  long uvarint() throws CorruptFormatException {
    int p = i;
    byte[] a = b;
    if (p < a.length && a[p] >= 0) {
      i = p + 1;
      return a[p];
    }
    long x = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (p >= a.length) {
        throw where.corrupt(base + i, "truncated uvarint in series entry");
      }
      int v = a[p++];
      if (v >= 0) {
        if (shift == 63 && v > 1) {
          break;
        }
        i = p;
        return x | ((long) v << shift);
      }
      x |= (long) (v & 0x7F) << shift;
    }
    throw where.corrupt(base + i, "uvarint overflows 64 bits");
  }

  long varint() throws CorruptFormatException {
    long u = uvarint();
    return (u >>> 1) ^ -(u & 1);
  }

  long uvarint32() throws CorruptFormatException {
    int at = i;
    long v = uvarint();
    if (Long.compareUnsigned(v, 0xFFFFFFFFL) > 0) {
      throw where.mismatch(base + at, "uvarint32 overflow", Long.toUnsignedString(v), "<= 4294967295");
    }
    return v;
  }

  /** A uvarint count of items of at least {@code minBytes} each, checked against what is left. */
  int count(int minBytes, String what) throws CorruptFormatException {
    int at = i;
    long n = uvarint();
    if (n < 0 || n * minBytes > b.length - i) {
      throw where.corrupt(
          base + at,
          what + ": count " + Long.toUnsignedString(n) + " needs at least "
              + (n < 0 ? "too many" : n * minBytes) + " bytes, only " + (b.length - i) + " remain");
    }
    return (int) n;
  }

  void expectEnd() throws CorruptFormatException {
    if (i != b.length) {
      throw where.corrupt(base + i, "unexpected " + (b.length - i) + " bytes left in series entry");
    }
  }

  /** Chunk metas as {@link IndexReaderBase#readChunkMetas} decodes them. */
  void chunkMetas(ChunkMetaList chunks) throws CorruptFormatException {
    int k = count(3, "chunk count");
    if (k == 0) {
      return;
    }
    long t0 = varint();
    long maxt = uvarint() + t0;
    long ref = uvarint();
    chunks.add(ref, t0, maxt);
    t0 = maxt;
    for (int j = 1; j < k; j++) {
      long mint = uvarint() + t0;
      maxt = uvarint() + mint;
      ref += varint();
      t0 = maxt;
      chunks.add(ref, mint, maxt);
    }
  }
}
