package io.promtsdb.index;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.DataReader;
import io.promtsdb.core.Sections;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The full integrity pass of {@link IndexReader#checkIntegrity()}: walks the file section by
 * section in layout order, reading every byte once (padding included), and checks every
 * rule of the format.
 *
 * <p>Postings are matched to series without holding either in memory: every (label pair,
 * series) incidence contributes {@code h(name, value) × g(series)} to a 64-bit sum, once from
 * the series entries and once from the postings lists (where {@code Σ g} is kept per list
 * and multiplied by {@code h} when the postings offset table names the list's pair). Equal
 * sums mean equal incidence multisets, up to a 2^-64 chance.
 */
final class IntegrityCheck {
  private final IndexReaderBase r;
  private final ByteSource index;
  private final Toc toc;
  private final long tocStart;

  private long[] seriesBits;
  private long seriesCount;
  private long chunkCount;
  private long seriesFingerprint;
  private long postingsFingerprint;
  private long postingsEntries;

  // Postings lists in file order.
  private long[] listOffsets = new long[64];
  private long[] listCounts = new long[64];
  private long[] listSums = new long[64];
  private int lists;
  private long[] listUsed;
  private boolean sawAllPostings;

  // Label index sections in file order.
  private long[] labelIndexOffsets = new long[16];
  private long[][] labelIndexRefs = new long[16][];
  private int labelIndices;

  IntegrityCheck(IndexReaderBase r) {
    this.r = r;
    this.index = r.index;
    this.toc = r.toc;
    this.tocStart = index.length() - IndexFormat.TOC_LEN;
  }

  IntegrityReport run() throws CorruptFormatException {
    IndexReader.readVersion(index);
    Toc.read(index);
    checkLayout();

    checkZeros(IndexFormat.HEADER_LEN, toc.symbols(), "header");
    long symbolsEnd = checkSymbols();
    require(symbolsEnd == toc.series(), toc.series(), "series section start", toc.series(), symbolsEnd);

    long seriesEnd = r.seriesEnd();
    checkSeries(toc.series(), seriesEnd);

    long postingsStart = seriesEnd;
    if (toc.labelIndices() != 0 && toc.labelIndices() != toc.postings()) {
      require(toc.labelIndices() == seriesEnd, seriesEnd, "label indices start", toc.labelIndices(), seriesEnd);
      long end = r.labelIndicesEnd();
      checkLabelIndices(toc.labelIndices(), end);
      postingsStart = end;
    }
    require(toc.postings() == postingsStart, postingsStart, "postings start", toc.postings(), postingsStart);
    long postingsEnd = r.postingsEnd();
    checkPostings(toc.postings(), postingsEnd);

    long next = postingsEnd;
    List<LabelIndices.Entry> labelTable = List.of();
    if (toc.hasLabelOffsetTable()) {
      require(toc.labelOffsetTable() == next, next, "label offset table start", toc.labelOffsetTable(), next);
      Sections.Section s = Sections.readBe32(index, toc.labelOffsetTable(), LabelIndices.TABLE);
      labelTable = LabelIndices.parseTable(s.payload());
      next = s.end();
    }
    require(toc.postingsOffsetTable() == next, next, "postings offset table start", toc.postingsOffsetTable(), next);
    Map<String, Long> valueSums = checkPostingsOffsetTable();
    long poEnd = Sections.readBe32(index, toc.postingsOffsetTable(), PostingsOffsetTable.SECTION, false).end();
    require(poEnd == tocStart, poEnd, "TOC start (end of the postings offset table)", tocStart, poEnd);

    checkLabelOffsetTable(labelTable, valueSums);

    if (!sawAllPostings) {
      // Hand-written files (Prometheus 2.1's tests) list only some pairs: check that each
      // posting names a series carrying the pair, not that every pair is listed.
      checkPostingsAreCarried();
    } else if (seriesFingerprint != postingsFingerprint) {
      throw in(PostingsList.SECTION).corrupt(
          toc.postings(),
          "the postings lists do not hold exactly the series carrying each label pair"
              + " (fingerprint of series labels "
              + Long.toHexString(seriesFingerprint)
              + " vs of postings "
              + Long.toHexString(postingsFingerprint)
              + ")");
    }
    return new IntegrityReport(
        index.length(), r.symbols.count(), seriesCount, chunkCount, labelIndices, lists, postingsEntries);
  }

  private void checkLayout() throws CorruptFormatException {
    // Symbols, then series (possibly empty), label indices and postings, then the tables.
    long prev = IndexFormat.HEADER_LEN;
    String[] names = {"symbols", "series", "postings", "postings offset table"};
    long[] offs = {toc.symbols(), toc.series(), toc.postings(), toc.postingsOffsetTable()};
    for (int i = 0; i < offs.length; i++) {
      if (offs[i] < prev || (i == 1 && offs[i] == prev)) {
        throw in(Toc.SECTION)
            .corrupt(tocStart, "TOC offset of " + names[i] + " (" + offs[i] + ") is before " + prev);
      }
      prev = offs[i];
    }
  }

  // ---- symbol table ----

  private long checkSymbols() throws CorruptFormatException {
    Sections.Section s = Sections.readBe32(index, toc.symbols(), SymbolTable.SECTION);
    ByteSource p = s.payload();
    DataReader d = new DataReader(p);
    int count = d.checkCount(d.be32Unsigned(), 1, "symbol count");
    require(count == r.symbols.count(), toc.symbols(), "symbol count", count, r.symbols.count());
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    byte[] prev = null;
    for (int i = 0; i < count; i++) {
      long at = d.position();
      byte[] sym = d.uvarintBytes();
      try {
        utf8.decode(ByteBuffer.wrap(sym));
      } catch (CharacterCodingException e) {
        throw p.corrupt(at, "symbol " + i + " is not valid UTF-8");
      }
      if (prev != null && Arrays.compareUnsigned(prev, sym) >= 0) {
        throw p.corrupt(at, "symbol " + i + " is not greater than the previous one: the table is not sorted");
      }
      prev = sym;
    }
    d.expectEnd(SymbolTable.SECTION);
    return s.end();
  }

  // ---- series ----

  private void checkSeries(long start, long end) throws CorruptFormatException {
    int align = r.seriesAlignment();
    seriesBits = new long[(int) ((r.seriesRef(end) >>> 6) + 1)];
    ByteSource region = r.seriesRegion;
    long[] prev = new long[0];
    long[] cur = new long[16];
    long lastChunkRef = 0;
    ChunkMetaList chunks = new ChunkMetaList();
    long pos = start;
    while (pos < end) {
      if (align > 1) {
        long pad = Math.floorMod(-pos, (long) align);
        if (pad > 0) {
          if (pos + pad >= end) {
            throw in(IndexReaderBase.SERIES).corrupt(pos, (end - pos) + " bytes after the last series entry");
          }
          checkZeros(pos, pos + pad, IndexReaderBase.SERIES);
          pos += pad;
        }
      }
      ByteSource payload = r.entryPayload(pos - start, true);
      long entryEnd = payload.origin() - region.origin() + start + payload.length() + 4;
      DataReader d = new DataReader(payload);
      int n = d.uvarintCount(2, "label count");
      if (n == 0) {
        throw payload.corrupt(0, "series without labels");
      }
      if (cur.length < 2 * n) {
        cur = new long[2 * n];
      }
      long ref = r.seriesRef(pos);
      long seriesG = g(ref);
      for (int i = 0; i < n; i++) {
        long at = d.position();
        long name = d.uvarint32();
        long value = d.uvarint32();
        checkSymbolRef(payload, at, name);
        checkSymbolRef(payload, at, value);
        if (i > 0 && name <= cur[2 * i - 2]) {
          throw payload.corrupt(at, "label names not strictly ascending (duplicate or unsorted label " + i + ")");
        }
        cur[2 * i] = name;
        cur[2 * i + 1] = value;
        seriesFingerprint += h(name, value) * seriesG;
      }
      if (Arrays.compare(prev, 0, prev.length, cur, 0, 2 * n) >= 0 && seriesCount > 0) {
        throw payload.corrupt(0, "series labels not strictly greater than the previous series'");
      }
      prev = Arrays.copyOf(cur, 2 * n);
      chunks.clear();
      long chunksAt = d.position();
      IndexReaderBase.readChunkMetas(d, chunks);
      d.expectEnd("series entry");
      for (int i = 0; i < chunks.size(); i++) {
        if (chunks.maxTime(i) < chunks.minTime(i)) {
          throw payload.corrupt(chunksAt, "chunk " + i + " maxt " + chunks.maxTime(i) + " is less than its mint " + chunks.minTime(i));
        }
        if (i > 0 && chunks.minTime(i) <= chunks.maxTime(i - 1)) {
          throw payload.corrupt(chunksAt, "chunk " + i + " mint " + chunks.minTime(i) + " is not after the previous chunk's maxt " + chunks.maxTime(i - 1));
        }
        if (Long.compareUnsigned(chunks.ref(i), lastChunkRef) < 0) {
          throw payload.corrupt(chunksAt, "chunk reference " + chunks.ref(i) + " is less than the previous one, " + lastChunkRef);
        }
        lastChunkRef = chunks.ref(i);
      }
      chunkCount += chunks.size();
      seriesBits[(int) (ref >>> 6)] |= 1L << ref;
      seriesCount++;
      pos = entryEnd;
    }
    if (pos != end) {
      throw in(IndexReaderBase.SERIES).corrupt(pos, "series section overruns its end " + end);
    }
  }

  private void checkSymbolRef(ByteSource where, long at, long ref) throws CorruptFormatException {
    boolean ok =
        r.symbols instanceof SymbolTable.V1 v1 ? v1.isEntryOffset(ref) : ref < r.symbols.count();
    if (!ok) {
      throw where.corrupt(at, "symbol reference " + ref + " does not name a symbol");
    }
  }

  private boolean isSeries(long ref) {
    long w = ref >>> 6;
    return w < seriesBits.length && (seriesBits[(int) w] & (1L << ref)) != 0;
  }

  // ---- label indices ----

  private void checkLabelIndices(long start, long end) throws CorruptFormatException {
    long pos = start;
    while (pos < end) {
      pos = skipPadding(pos, end, IndexFormat.POSTINGS_ALIGNMENT, LabelIndices.SECTION);
      long[] refs = LabelIndices.read(index, pos);
      for (long ref : refs) {
        checkSymbolRef(in(LabelIndices.SECTION), pos, ref);
      }
      if (labelIndices == labelIndexOffsets.length) {
        labelIndexOffsets = Arrays.copyOf(labelIndexOffsets, labelIndices * 2);
        labelIndexRefs = Arrays.copyOf(labelIndexRefs, labelIndices * 2);
      }
      labelIndexOffsets[labelIndices] = pos;
      labelIndexRefs[labelIndices] = refs;
      labelIndices++;
      pos += 8 + Integer.toUnsignedLong(index.be32(pos));
    }
    if (pos != end) {
      throw in(LabelIndices.SECTION).corrupt(pos, "label index section overruns its end " + end);
    }
  }

  private void checkLabelOffsetTable(List<LabelIndices.Entry> table, Map<String, Long> valueSums)
      throws CorruptFormatException {
    boolean[] used = new boolean[labelIndices];
    for (LabelIndices.Entry e : table) {
      int i = Arrays.binarySearch(labelIndexOffsets, 0, labelIndices, e.offset());
      if (i < 0 || used[i]) {
        throw in(LabelIndices.TABLE).corrupt(
            toc.labelOffsetTable(),
            "label offset table entry " + e.names() + " points at " + e.offset() + ", which is "
                + (i < 0 ? "not the start of a label index" : "named twice"));
      }
      used[i] = true;
      if (e.names().size() == 1 && labelIndexRefs[i].length > 0) {
        String name = e.names().get(0);
        long sum = 0;
        long nameRef = r.symbols.reverseLookup(SymbolTable.utf8(name));
        for (long v : labelIndexRefs[i]) {
          sum += h(nameRef, v);
        }
        Long expected = valueSums.get(name);
        if (expected == null || expected != sum) {
          throw in(LabelIndices.SECTION).corrupt(
              e.offset(), "label index of " + name + " does not list the values of the postings offset table");
        }
      }
    }
    for (int i = 0; i < labelIndices; i++) {
      if (!used[i]) {
        throw in(LabelIndices.SECTION).corrupt(labelIndexOffsets[i], "label index not named by the label offset table");
      }
    }
  }

  // ---- postings ----

  private void checkPostings(long start, long end) throws CorruptFormatException {
    long pos = start;
    while (pos < end) {
      pos = skipPadding(pos, end, IndexFormat.POSTINGS_ALIGNMENT, PostingsList.SECTION);
      Sections.Section s = Sections.readBe32(index, pos, PostingsList.SECTION);
      ByteSource p = s.payload();
      DataReader d = new DataReader(p);
      long n = d.be32Unsigned();
      if (p.length() != 4 + 4 * n) {
        throw p.mismatch(0, "postings list length for " + n + " postings", p.length(), 4 + 4 * n);
      }
      long prev = -1;
      long sum = 0;
      for (long i = 0; i < n; i++) {
        long ref = d.be32Unsigned();
        if (ref <= prev) {
          throw p.corrupt(4 + 4 * i, "postings not strictly ascending: " + ref + " after " + prev);
        }
        if (!isSeries(ref)) {
          throw p.corrupt(4 + 4 * i, "posting " + ref + " is not the reference of a series");
        }
        sum += g(ref);
        prev = ref;
      }
      if (lists == listOffsets.length) {
        listOffsets = Arrays.copyOf(listOffsets, lists * 2);
        listCounts = Arrays.copyOf(listCounts, lists * 2);
        listSums = Arrays.copyOf(listSums, lists * 2);
      }
      listOffsets[lists] = pos;
      listCounts[lists] = n;
      listSums[lists] = sum;
      lists++;
      postingsEntries += n;
      pos = s.end();
    }
    if (pos != end) {
      throw in(PostingsList.SECTION).corrupt(pos, "postings section overruns its end " + end);
    }
  }

  private Map<String, Long> checkPostingsOffsetTable() throws CorruptFormatException {
    listUsed = new long[(lists >>> 6) + 1];
    Map<String, Long> valueSums = new HashMap<>();
    boolean sorted = r.postingsOffsetTableSorted();
    byte[][] prev = new byte[2][];
    Map<String, Long> nameRefs = new HashMap<>();
    ByteSource table = index.slice(PostingsOffsetTable.SECTION, toc.postingsOffsetTable() + 4, 0);
    r.forEachPostingsOffset(
        (entryPos, name, value, off) -> {
          if (sorted && prev[0] != null) {
            int c = Arrays.compareUnsigned(prev[0], name);
            if (c > 0 || (c == 0 && Arrays.compareUnsigned(prev[1], value) >= 0)) {
              throw table.corrupt(entryPos, "entries not strictly ascending by (name, value)");
            }
          }
          prev[0] = name;
          prev[1] = value;
          int i = Arrays.binarySearch(listOffsets, 0, lists, off);
          if (i < 0) {
            throw table.corrupt(entryPos, "postings offset " + off + " is not the start of a postings list");
          }
          if ((listUsed[i >>> 6] & (1L << i)) != 0) {
            throw table.corrupt(entryPos, "postings list at " + off + " is named twice");
          }
          listUsed[i >>> 6] |= 1L << i;
          if (name.length == 0 && value.length == 0) {
            sawAllPostings = true;
            if (listCounts[i] != seriesCount) {
              throw table.corrupt(
                  entryPos,
                  "the all-postings list holds " + listCounts[i] + " series, the series section " + seriesCount);
            }
            return;
          }
          String nameStr = new String(name, StandardCharsets.UTF_8);
          Long nameRef = nameRefs.get(nameStr);
          if (nameRef == null) {
            nameRef = r.symbols.reverseLookup(name);
            nameRefs.put(nameStr, nameRef);
          }
          long valueRef = r.symbols.reverseLookup(value);
          if (nameRef < 0 || valueRef < 0) {
            throw table.corrupt(entryPos, "label name or value is not in the symbol table");
          }
          long hv = h(nameRef, valueRef);
          postingsFingerprint += hv * listSums[i];
          valueSums.merge(nameStr, hv, Long::sum);
        });
    for (int i = 0; i < lists; i++) {
      if ((listUsed[i >>> 6] & (1L << i)) == 0) {
        throw in(PostingsList.SECTION).corrupt(listOffsets[i], "postings list not named by the postings offset table");
      }
    }
    return valueSums;
  }

  private void checkPostingsAreCarried() throws CorruptFormatException {
    r.forEachPostingsOffset(
        (entryPos, name, value, off) -> {
          long nameRef = r.symbols.reverseLookup(name);
          long valueRef = r.symbols.reverseLookup(value);
          Postings p = PostingsList.open(index, off, true);
          for (long ref = p.next(); ref != Postings.END; ref = p.next()) {
            DataReader d = new DataReader(r.entryPayload(r.seriesOffset(ref) - toc.series(), true));
            int n = d.uvarintCount(2, "label count");
            boolean found = false;
            for (int i = 0; i < n && !found; i++) {
              found = d.uvarint32() == nameRef & d.uvarint32() == valueRef;
            }
            if (!found) {
              throw in(PostingsList.SECTION).corrupt(
                  off,
                  "series " + ref + " is in the postings list of "
                      + new String(name, StandardCharsets.UTF_8) + "="
                      + new String(value, StandardCharsets.UTF_8) + " but does not carry that label");
            }
          }
        });
  }

  // ---- helpers ----

  private long skipPadding(long pos, long end, int align, String section)
      throws CorruptFormatException {
    long pad = Math.floorMod(-pos, (long) align);
    if (pad > 0) {
      if (pos + pad >= end) {
        throw in(section).corrupt(pos, (end - pos) + " stray bytes at the end of the " + section + " section");
      }
      checkZeros(pos, pos + pad, section);
    }
    return pos + pad;
  }

  private void checkZeros(long from, long to, String section) throws CorruptFormatException {
    for (long p = from; p < to; p++) {
      if (index.get(p) != 0) {
        throw in(section).corrupt(p, "non-zero padding byte");
      }
    }
  }

  private void require(boolean ok, long at, String what, Object actual, Object expected)
      throws CorruptFormatException {
    if (!ok) {
      throw in(Toc.SECTION).mismatch(at, what + " (TOC layout)", actual, expected);
    }
  }

  /** The whole file, described as {@code section} (positions stay absolute). */
  private ByteSource in(String section) {
    try {
      return index.slice(section, 0, index.length());
    } catch (CorruptFormatException e) {
      throw new AssertionError("a source's own range is always valid", e);
    }
  }

  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xff51afd7ed558ccdL;
    x ^= x >>> 33;
    x *= 0xc4ceb9fe1a85ec53L;
    x ^= x >>> 33;
    return x;
  }

  private static long g(long series) {
    return mix(series * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
  }

  private static long h(long name, long value) {
    return mix(mix(name + 0x3C6EF372FE94F82BL) ^ (value * 0xBF58476D1CE4E5B9L)) | 1;
  }
}
