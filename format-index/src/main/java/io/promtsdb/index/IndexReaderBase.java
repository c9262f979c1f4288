package io.promtsdb.index;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Crc32c;
import io.promtsdb.core.DataReader;
import io.promtsdb.core.Labels;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * What the version 1 and version 2 readers share: the header and TOC, the series section and
 * the legacy label index sections, which are laid out alike in both versions. What a
 * reference means (symbol and series) and how the postings offset table is held are theirs.
 */
abstract sealed class IndexReaderBase permits IndexReaderV1, IndexReaderV2 {
  static final String SERIES = "series";

  final ByteSource index;
  final int version;
  final Toc toc;
  final IndexReader.Options options;
  private final Closeable owned;
  final SymbolTable symbols;

  /** The whole file, described as the postings section (for errors at absolute offsets). */
  private final ByteSource postingsSection;

  /** The series section: [toc.series, start of the next section). */
  final ByteSource seriesRegion;
  private final ByteBuffer seriesView;

  // Label name symbols (sorted refs and their strings): half of all lookups, few distinct.
  private long[] nameRefs = new long[0];
  private String[] nameStrings = new String[0];

  IndexReaderBase(
      ByteSource index, int version, IndexReader.Options options, Closeable owned, boolean v1)
      throws CorruptFormatException {
    this.index = index;
    this.version = version;
    this.options = options;
    this.owned = owned;
    this.toc = Toc.read(index);
    this.symbols =
        v1 ? new SymbolTable.V1(index, toc.symbols()) : new SymbolTable.V2(index, toc.symbols());
    long start = toc.series();
    long end = seriesEnd();
    this.seriesRegion = index.slice(SERIES, start, Math.max(0, end - start));
    this.seriesView = Cursor.viewOf(seriesRegion);
    this.postingsSection = index.slice(PostingsList.SECTION, 0, index.length());
  }

  /**
   * End of the section starting at {@code start}: the smallest of {@code followers} (TOC
   * offsets of the sections that may come next) that is not before it, or the TOC.
   */
  final long sectionEnd(long start, long... followers) {
    long end = index.length() - IndexFormat.TOC_LEN;
    for (long o : followers) {
      if (o >= start && o < end && o != 0) {
        end = o;
      }
    }
    return end;
  }

  final long seriesEnd() {
    return sectionEnd(
        toc.series(), toc.labelIndices(), toc.postings(), toc.labelOffsetTable(), toc.postingsOffsetTable());
  }

  final long labelIndicesEnd() {
    return sectionEnd(toc.labelIndices(), toc.postings(), toc.labelOffsetTable(), toc.postingsOffsetTable());
  }

  final long postingsEnd() {
    return sectionEnd(toc.postings(), toc.labelOffsetTable(), toc.postingsOffsetTable());
  }

  /** Builds the label name cache from the names of the postings offset table. */
  final void cacheNames(List<String> names) throws CorruptFormatException {
    long[] refs = new long[names.size()];
    String[] strs = new String[names.size()];
    int n = 0;
    for (String name : names) {
      if (name.isEmpty()) {
        continue;
      }
      long ref = symbols.reverseLookup(SymbolTable.utf8(name));
      if (ref < 0) {
        throw symbols.payload.corrupt(
            0, "label name " + name + " of the postings offset table is not in the symbol table");
      }
      refs[n] = ref;
      strs[n] = name;
      n++;
    }
    // Sort by ref for binary search.
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    final long[] r = refs;
    Arrays.sort(order, (a, b) -> Long.compare(r[a], r[b]));
    long[] sortedRefs = new long[n];
    String[] sortedStrs = new String[n];
    for (int i = 0; i < n; i++) {
      sortedRefs[i] = refs[order[i]];
      sortedStrs[i] = strs[order[i]];
    }
    nameRefs = sortedRefs;
    nameStrings = sortedStrs;
  }

  private String nameSymbol(long ref) throws CorruptFormatException {
    int i = Arrays.binarySearch(nameRefs, ref);
    return i >= 0 ? nameStrings[i] : valueSymbol(ref);
  }

  /** A recently looked-up symbol. Entries are immutable, so racing readers are safe. */
  private record CachedSymbol(long ref, String value) {}

  private static final int VALUE_CACHE = 1 << 12;
  private final CachedSymbol[] valueCache = new CachedSymbol[VALUE_CACHE];

  private String valueSymbol(long ref) throws CorruptFormatException {
    int slot = (int) ((ref * 0x9E3779B97F4A7C15L) >>> 52);
    CachedSymbol c = valueCache[slot];
    if (c != null && c.ref == ref) {
      return c.value;
    }
    String v = symbols.lookup(ref);
    valueCache[slot] = new CachedSymbol(ref, v);
    return v;
  }

  /** File offset of the series entry {@code ref} refers to. */
  abstract long seriesOffset(long ref) throws CorruptFormatException;

  /** The series reference of the entry at file offset {@code offset}. */
  abstract long seriesRef(long offset);

  /** Alignment of series entries: 16 in v2, none in v1. */
  abstract int seriesAlignment();

  // ---- IndexReader methods shared by both versions ----

  public final int version() {
    return version;
  }

  public final Toc toc() {
    return toc;
  }

  public final ByteSource source() {
    return index;
  }

  public final int symbolCount() {
    return symbols.count();
  }

  public final Iterator<String> symbols() {
    return symbols.iterator();
  }

  public final String symbol(long ref) throws CorruptFormatException {
    return symbols.lookup(ref);
  }

  public final Labels labels(long ref) throws CorruptFormatException {
    return readSeries(ref, null);
  }

  public final Labels series(long ref, ChunkMetaList chunks) throws CorruptFormatException {
    return readSeries(ref, chunks);
  }

  public final Optional<String> labelValueFor(long ref, String name)
      throws CorruptFormatException {
    SeriesDecoder d = seriesDecoder(ref, new long[1]);
    int n = d.count(2, "label count");
    for (int i = 0; i < n; i++) {
      long nameRef = d.uvarint32();
      long valueRef = d.uvarint32();
      if (nameSymbol(nameRef).equals(name)) {
        return Optional.of(valueSymbol(valueRef));
      }
    }
    return Optional.empty();
  }

  // A series entry:
  //   len      uvarint (at most 5 bytes)
  //   payload  nlabels uvarint, nlabels × (name ref uvarint32, value ref uvarint32),
  //            nchunks uvarint, chunk metas
  //   crc      BE32 CRC32C over payload

  /** The payload of the series entry at {@code pos} of the series region. */
  final ByteSource entryPayload(long pos, boolean verify) throws CorruptFormatException {
    Cursor c = new Cursor(seriesRegion, seriesView, pos);
    long len = c.uvarint();
    if (c.pos - pos > 5) {
      throw seriesRegion.corrupt(pos, "series length uvarint longer than 5 bytes");
    }
    long p = c.pos;
    if (len < 2) {
      // The label count and the chunk count take a byte each.
      throw seriesRegion.mismatch(pos, "series entry length", len, ">= 2");
    }
    if (Long.compareUnsigned(len, seriesRegion.length() - p - 4) > 0) {
      throw seriesRegion.corrupt(
          pos,
          "series entry length "
              + Long.toUnsignedString(len)
              + " exceeds the "
              + Math.max(0, seriesRegion.length() - p - 4)
              + " bytes left in the section before its checksum");
    }
    if (verify) {
      Crc32c.verify(seriesRegion, p, len, p + len);
    }
    return seriesRegion.slice(null, p, len);
  }

  final Labels readSeries(long ref, ChunkMetaList chunks) throws CorruptFormatException {
    long[] base = new long[1];
    SeriesDecoder d = seriesDecoder(ref, base);
    int n = d.count(2, "label count");
    String[] pairs = new String[2 * n];
    for (int i = 0; i < n; i++) {
      pairs[2 * i] = nameSymbol(d.uvarint32());
      pairs[2 * i + 1] = valueSymbol(d.uvarint32());
    }
    if (chunks != null) {
      chunks.clear();
      d.chunkMetas(chunks);
      d.expectEnd();
    }
    return Labels.of(pairs);
  }

  /** The entry of series {@code ref}, copied to the heap and checked, ready to decode. */
  private SeriesDecoder seriesDecoder(long ref, long[] base) throws CorruptFormatException {
    long off = seriesOffset(ref);
    long pos = off - toc.series();
    ByteSource region = seriesRegion;
    if (pos < 0 || pos >= region.length()) {
      throw region.corrupt(
          Math.max(0, Math.min(pos, region.length())),
          "series reference " + ref + " (offset " + off + ") lies outside the series section ["
              + toc.series() + ", " + (toc.series() + region.length()) + ")");
    }
    Cursor c = new Cursor(region, seriesView, pos);
    long len = c.uvarint();
    if (c.pos - pos > 5) {
      throw region.corrupt(pos, "series length uvarint longer than 5 bytes");
    }
    long p = c.pos;
    if (len < 2) {
      throw region.mismatch(pos, "series entry length", len, ">= 2");
    }
    if (Long.compareUnsigned(len, region.length() - p - 4) > 0) {
      throw region.corrupt(
          pos, "series entry length " + Long.toUnsignedString(len) + " exceeds the "
              + Math.max(0, region.length() - p - 4) + " bytes left in the section before its checksum");
    }
    byte[] b = new byte[(int) len];
    if (seriesView != null) {
      seriesView.get((int) p, b);
    } else {
      region.copyTo(p, b, 0, b.length);
    }
    if (options.verifySeriesChecksums()) {
      int stored = region.be32(p + len);
      int actual = Crc32c.compute(b);
      if (stored != actual) {
        throw new io.promtsdb.core.ChecksumMismatchException(
            region.description(), region.origin() + p + len, actual, stored);
      }
    }
    base[0] = p;
    return new SeriesDecoder(b, region, p);
  }

  /**
   * Chunk metas: count, then the first as (mint varint, maxt − mint uvarint, ref uvarint),
   * the others as (mint − previous maxt uvarint, maxt − mint uvarint, ref − previous ref
   * varint).
   */
  static void readChunkMetas(DataReader r, ChunkMetaList chunks) throws CorruptFormatException {
    int k = r.uvarintCount(3, "chunk count");
    if (k == 0) {
      return;
    }
    long t0 = r.varint();
    long maxt = r.uvarint() + t0;
    long ref = r.uvarint();
    chunks.add(ref, t0, maxt);
    t0 = maxt;
    for (int i = 1; i < k; i++) {
      long mint = r.uvarint() + t0;
      maxt = r.uvarint() + mint;
      ref += r.varint();
      t0 = maxt;
      chunks.add(ref, mint, maxt);
    }
  }

  // ---- legacy label indices ----

  public final List<String> labelIndexNames() throws CorruptFormatException {
    return LabelIndices.names(this);
  }

  public final Optional<List<String>> labelIndexValues(String name)
      throws CorruptFormatException {
    return LabelIndices.values(this, name);
  }

  public final IntegrityReport checkIntegrity() throws CorruptFormatException {
    return new IntegrityCheck(this).run();
  }

  // ---- hooks of the integrity check ----

  /** Walks the postings offset table entries (name, value, postings offset). */
  abstract void forEachPostingsOffset(PostingsOffsetTable.EntryVisitor visitor)
      throws CorruptFormatException;

  /** Each value of {@code name} with the count field of its postings list. */
  abstract void forEachValueCount(String name, PostingsStats.ValueCounts f)
      throws CorruptFormatException;

  /** The count field of the postings list at {@code offset}, its length checked. */
  final long postingsCount(long offset) throws CorruptFormatException {
    ByteSource lists = postingsSection;
    lists.checkRange(offset, 8);
    long len = Integer.toUnsignedLong(lists.be32(offset));
    long n = Integer.toUnsignedLong(lists.be32(offset + 4));
    if (len != 4 + 4 * n || offset + 8 + 4 * n + 4 > lists.length()) {
      throw lists.mismatch(offset, "postings list length for " + n + " postings", len, 4 + 4 * n);
    }
    return n;
  }

  /** Whether the postings offset table must be sorted (v2). */
  abstract boolean postingsOffsetTableSorted();

  public void close() throws IOException {
    if (owned != null) {
      owned.close();
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + index.description() + ", " + toc + "]";
  }
}
