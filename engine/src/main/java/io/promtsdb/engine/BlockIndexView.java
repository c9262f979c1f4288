package io.promtsdb.engine;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Crc32c;
import io.promtsdb.core.Labels;
import io.promtsdb.index.ChunkMetaList;
import io.promtsdb.index.IndexReader;
import io.promtsdb.index.Postings;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

/** A block's index file as an {@link IndexView}. */
final class BlockIndexView implements IndexView {
  private final IndexReader reader;
  private final long blockMinTime;
  private final long blockMaxTime;
  private final ByteSource file;
  private final long seriesStart;
  private byte[] entry = new byte[256];

  /** The index of a block covering {@code [blockMinTime, blockMaxTime)}. */
  BlockIndexView(IndexReader reader, long blockMinTime, long blockMaxTime) {
    this.reader = reader;
    this.blockMinTime = blockMinTime;
    this.blockMaxTime = blockMaxTime;
    this.file = reader.source();
    this.seriesStart = reader.toc().series();
  }

  /**
   * Labels after chunk metas for a range that does not cover the whole block, in a version 2
   * index (series found by offset; chunk metas follow the label references, which need no
   * symbol lookups to skip).
   */
  @Override
  public boolean labelsLater(long mint, long maxt) {
    return reader.version() == 2 && (mint > blockMinTime || maxt < blockMaxTime - 1);
  }

  @Override
  public boolean chunkMetas(long ref, ChunkMetas chunks) throws IOException {
    if (!quickChunkMetas(ref, chunks)) {
      // Anything unexpected: the format module's reader decides, and reports.
      return series(ref, chunks) != null;
    }
    return true;
  }

  // The series entry of a version 2 index at offset 16 ref: length uvarint, payload (label
  // count, label reference pairs, chunk count, chunk metas), CRC32C of the payload. False if
  // it is not read here (out of bounds, checksum mismatch, malformed).
  boolean quickChunkMetas(long ref, ChunkMetas out) {
    if (ref < 0 || ref > Long.MAX_VALUE / 16) {
      return false;
    }
    long off = ref * 16;
    long fileLen = file.length();
    if (off < seriesStart || off >= fileLen) {
      return false;
    }
    try {
      long len = 0;
      long p = off;
      for (int shift = 0; ; shift += 7) {
        if (shift > 28 || p >= fileLen) {
          return false;
        }
        int b = file.get(p++);
        len |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          break;
        }
      }
      if (len < 2 || len > fileLen - p - 4) {
        return false;
      }
      int n = (int) len;
      if (entry.length < n + 4) {
        entry = new byte[Math.max(n + 4, entry.length * 2)];
      }
      byte[] e = entry;
      file.copyTo(p, e, 0, n + 4);
      int stored = (e[n] & 0xFF) << 24 | (e[n + 1] & 0xFF) << 16 | (e[n + 2] & 0xFF) << 8 | (e[n + 3] & 0xFF);
      if (Crc32c.compute(e, 0, n) != stored) {
        return false;
      }
      pos = 0;
      limit = n;
      long labels = uvarint(e);
      if (labels < 0 || labels > n) {
        return false;
      }
      for (long i = 0; i < 2 * labels; i++) {
        if (uvarint(e) < 0) {
          return false;
        }
      }
      long k = uvarint(e);
      if (k < 0 || k > n) {
        return false;
      }
      out.clear();
      if (k == 0) {
        return pos == limit;
      }
      long t0 = varint(e);
      long d = uvarint(e);
      long cref = uvarint(e);
      if (bad || d < 0 || cref < 0) {
        return false;
      }
      long maxt = t0 + d;
      out.add(cref, t0, maxt, null);
      t0 = maxt;
      for (long i = 1; i < k; i++) {
        long a = uvarint(e);
        long b = uvarint(e);
        long dr = varint(e);
        if (bad || a < 0 || b < 0) {
          return false;
        }
        long mint = a + t0;
        maxt = b + mint;
        cref += dr;
        t0 = maxt;
        out.add(cref, mint, maxt, null);
      }
      return pos == limit;
    } catch (CorruptFormatException e) {
      return false;
    }
  }

  // Decoding state of quickChunkMetas (one querier thread uses a view at a time).
  private int pos;
  private int limit;
  private boolean bad;

  // An unsigned varint of at most 63 bits, or -1 when truncated or longer.
  private long uvarint(byte[] e) {
    long x = 0;
    for (int shift = 0; shift < 63; shift += 7) {
      if (pos >= limit) {
        return -1;
      }
      int b = e[pos++];
      x |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return x;
      }
    }
    return -1;
  }

  // A zig-zag varint; sets bad when malformed.
  private long varint(byte[] e) {
    bad = false;
    long ux = 0;
    for (int shift = 0; shift < 70; shift += 7) {
      if (pos >= limit) {
        bad = true;
        return 0;
      }
      int b = e[pos++];
      if (shift == 63 && (b & 0xFF) > 1) {
        bad = true;
        return 0;
      }
      ux |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return (ux >>> 1) ^ -(ux & 1);
      }
    }
    bad = true;
    return 0;
  }

  @Override
  public Postings postings(String name, List<String> values) throws IOException {
    return reader.postings(name, values);
  }

  @Override
  public Postings postingsForLabelMatching(String name, Predicate<String> match) throws IOException {
    return reader.postingsForLabelMatching(name, match);
  }

  @Override
  public Postings postingsForAllLabelValues(String name) throws IOException {
    return reader.postingsForAllLabelValues(name);
  }

  @Override
  public Postings allPostings() throws IOException {
    return reader.allPostings();
  }

  @Override
  public Postings sortedPostings(Postings p) {
    return reader.sortedPostings(p);
  }

  private final ChunkMetaList buf = new ChunkMetaList();

  @Override
  public Labels series(long ref, ChunkMetas chunks) throws IOException {
    if (chunks == null) {
      return reader.labels(ref);
    }
    Labels l = reader.series(ref, buf);
    chunks.clear();
    for (int i = 0; i < buf.size(); i++) {
      chunks.add(buf.ref(i), buf.minTime(i), buf.maxTime(i), null);
    }
    return l;
  }

  @Override
  public List<String> labelValues(String name) throws IOException {
    return reader.labelValues(name);
  }

  @Override
  public List<String> labelNames() {
    return reader.labelNames();
  }
}
