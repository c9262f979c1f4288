package io.promtsdb.index;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Crc32c;
import io.promtsdb.core.DataWriter;
import io.promtsdb.core.Labels;
import io.promtsdb.core.MappedFileSource;
import io.promtsdb.core.Varints;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes a block index byte for byte as Prometheus' {@code index.Writer} does for the same
 * symbols, series and chunk metas, in format version 2.
 *
 * <p>Use it as Prometheus' compactor does: {@link #addSymbol} every symbol in ascending
 * byte order, then {@link #addSeries} every series in ascending label order, then {@link
 * #close()}, which writes the postings, the postings offset table (and, in the {@link
 * Layout#WITH_LABEL_INDICES} layout, the label index sections and label offset table) and the
 * TOC, and syncs the file.
 *
 * <p>Memory does not grow with the number of series: series are streamed to the file; the
 * postings are collected in a fixed-size buffer that spills sorted runs to temporary files
 * next to the index ({@code index_tmp_*}, removed on close); symbol references are looked up
 * in the symbol table just written (mapped, every 32nd position in memory) behind a
 * fixed-size cache. Only the label offset table entries (one per label name) are held.
 *
 * <p>Misuse (symbols or series out of order, a label whose symbol was not added, chunk metas
 * out of order) throws {@link IllegalArgumentException} and leaves the writer usable: the
 * rejected call wrote nothing. Not thread-safe.
 */
public final class IndexWriter implements Closeable {

  /** Which sections the file has. */
  public enum Layout {
    /**
     * Label index sections and the label offset table, between series and postings and
     * between postings and the postings offset table: Prometheus 2.1 up to 3.6 (the 3.5.3
     * and 2.53.3 fixtures).
     */
    WITH_LABEL_INDICES,
    /**
     * No label index sections and no label offset table; the TOC's label indices offset
     * equals its postings offset and its label offset table offset equals its postings offset
     * table offset: Prometheus 3.7 and later.
     */
    WITHOUT_LABEL_INDICES
  }

  /**
   * Writer settings.
   *
   * @param layout the sections to write
   * @param sortBufferEntries postings incidences held in memory before a sorted run is
   *     spilled (24 bytes each while sorting)
   * @param symbolCacheSize entries of the symbol reference cache (a power of two)
   * @param tempDir where sort runs and the postings offset table are staged; null for the
   *     index's own directory, as Prometheus does
   */
  public record Options(Layout layout, int sortBufferEntries, int symbolCacheSize, Path tempDir) {
    public static final Options DEFAULT = new Options(Layout.WITH_LABEL_INDICES, 1 << 21, 1 << 16, null);

    public Options {
      if (layout == null) {
        throw new NullPointerException("layout");
      }
      if (sortBufferEntries < 16) {
        throw new IllegalArgumentException("sortBufferEntries must be >= 16: " + sortBufferEntries);
      }
      if (symbolCacheSize < 2 || Integer.bitCount(symbolCacheSize) != 1) {
        throw new IllegalArgumentException("symbolCacheSize must be a power of two: " + symbolCacheSize);
      }
    }

    public Options withLayout(Layout l) {
      return new Options(l, sortBufferEntries, symbolCacheSize, tempDir);
    }

    public Options withSortBufferEntries(int n) {
      return new Options(layout, n, symbolCacheSize, tempDir);
    }
  }

  private enum Stage {
    NONE,
    SYMBOLS,
    SERIES,
    DONE
  }

  private static final int OUT_BUFFER = 1 << 20;

  private final Path file;
  private final Options options;
  private final Path tempDir;
  private final String tempPrefix;
  private final FileSink out;
  private Stage stage = Stage.NONE;
  private boolean failed;

  // Symbols.
  private long symbolsStart;
  private int numSymbols;
  private byte[] lastSymbol;
  private final CRC32C symbolsCrc = new CRC32C();
  private MappedFileSource mapped;
  private SymbolTable.V2 symbols;
  private SymbolRefs refs;

  // Series.
  private Labels lastSeries;
  private long lastChunkRef;
  private long seriesCount;
  private final DataWriter entry = new DataWriter(512);
  private long[] labelRefs = new long[32];
  private PostingsSorter sorter;
  // Every series reference, in order: the all-postings list, staged on disk.
  private PostingsSorter.RunWriter allIds;

  // TOC.
  private long tocSeries;
  private long tocLabelIndices;
  private long tocLabelOffsetTable;
  private long tocPostings;
  private long tocPostingsOffsetTable;

  private IndexWriter(Path file, Options options) throws IOException {
    this.file = file;
    this.options = options;
    Path parent = file.toAbsolutePath().getParent();
    this.tempDir = options.tempDir() != null ? options.tempDir() : parent;
    this.tempPrefix = file.getFileName().toString();
    this.out = new FileSink(file, OUT_BUFFER, IndexFormat.MAX_INDEX_SIZE);
    try {
      out.writeBe32(IndexFormat.MAGIC);
      out.writeByte(IndexFormat.FORMAT_V2);
    } catch (IOException e) {
      out.close();
      throw e;
    }
  }

  /** Creates (replacing) {@code file} with the default options. */
  public static IndexWriter create(Path file) throws IOException {
    return create(file, Options.DEFAULT);
  }

  public static IndexWriter create(Path file, Options options) throws IOException {
    Files.deleteIfExists(file);
    return new IndexWriter(file, options);
  }

  /** The index being written. */
  public Path path() {
    return file;
  }

  /** Adds the next symbol; symbols must be strictly ascending by UTF-8 bytes. */
  public void addSymbol(String symbol) throws IOException {
    addSymbol(symbol.getBytes(StandardCharsets.UTF_8));
  }

  /** Adds the next symbol given as UTF-8 bytes. */
  public void addSymbol(byte[] utf8) throws IOException {
    ensureStage(Stage.SYMBOLS);
    if (numSymbols > 0 && Arrays.compareUnsigned(utf8, lastSymbol) <= 0) {
      throw new IllegalArgumentException(
          "symbol " + quote(utf8) + " out of order after " + quote(lastSymbol));
    }
    out.reserve(Varints.MAX_LEN);
    byte[] b = out.buffer();
    int at = out.bufferPos();
    int end = Varints.putUvarint(b, at, utf8.length);
    symbolsCrc.update(b, at, end - at);
    out.advance(end - at);
    out.write(utf8);
    symbolsCrc.update(utf8, 0, utf8.length);
    lastSymbol = utf8;
    numSymbols++;
  }

  /** Adds every symbol of {@code sorted} in order. */
  public void addSymbols(Iterable<String> sorted) throws IOException {
    for (String s : sorted) {
      addSymbol(s);
    }
  }

  /** See {@link #addSeries(Labels, ChunkMetaList)}. */
  public long addSeries(Labels labels, List<ChunkMeta> chunks) throws IOException {
    return addSeries(labels, ChunkMetaList.of(chunks));
  }

  public long addSeries(Labels labels, ChunkMeta... chunks) throws IOException {
    return addSeries(labels, Arrays.asList(chunks));
  }

  /**
   * Adds the next series and returns its reference (file offset / 16). Series must be
   * strictly ascending by labels (and not empty), every label name and value must have been
   * added as a symbol, and chunk metas must satisfy Prometheus' writer: {@code maxTime >=
   * minTime}, each chunk starting after the previous one's {@code maxTime}, and chunk
   * references never decreasing across the whole index.
   */
  public long addSeries(Labels labels, ChunkMetaList chunks) throws IOException {
    ensureStage(Stage.SERIES);
    if (lastSeries == null ? labels.isEmpty() : labels.compareTo(lastSeries) <= 0) {
      throw new IllegalArgumentException(
          "out-of-order series added with label set " + labels + ", last label set "
              + (lastSeries == null ? "{}" : lastSeries));
    }
    long lastRef = lastChunkRef;
    long lastMaxT = 0;
    for (int i = 0; i < chunks.size(); i++) {
      long ref = chunks.ref(i);
      long mint = chunks.minTime(i);
      long maxt = chunks.maxTime(i);
      if (Long.compareUnsigned(ref, lastRef) < 0) {
        throw new IllegalArgumentException(
            "unsorted chunk reference: " + Long.toUnsignedString(ref) + ", previous: "
                + Long.toUnsignedString(lastRef));
      }
      lastRef = ref;
      if (i > 0 && mint <= lastMaxT) {
        throw new IllegalArgumentException(
            "chunk minT " + mint + " is not higher than previous chunk maxT " + lastMaxT);
      }
      if (maxt < mint) {
        throw new IllegalArgumentException("chunk maxT " + maxt + " is less than minT " + mint);
      }
      lastMaxT = maxt;
    }

    int n = labels.size();
    if (labelRefs.length < 2 * n) {
      labelRefs = new long[2 * n];
    }
    DataWriter e = entry;
    e.reset();
    e.uvarint(n);
    for (int i = 0; i < n; i++) {
      long name = refs.ref(labels.name(i));
      long value = refs.ref(labels.value(i));
      labelRefs[2 * i] = name;
      labelRefs[2 * i + 1] = value;
      e.uvarint(name).uvarint(value);
    }
    int k = chunks.size();
    e.uvarint(k);
    if (k > 0) {
      long t0 = chunks.minTime(0);
      long maxt = chunks.maxTime(0);
      long ref0 = chunks.ref(0);
      e.varint(t0).uvarint(maxt - t0).uvarint(ref0);
      t0 = maxt;
      for (int i = 1; i < k; i++) {
        long mint = chunks.minTime(i);
        maxt = chunks.maxTime(i);
        long ref = chunks.ref(i);
        e.uvarint(mint - t0).uvarint(maxt - mint).varint(ref - ref0);
        t0 = maxt;
        ref0 = ref;
      }
    }

    // Everything validated and encoded: write.
    failIfBroken();
    try {
      out.pad(IndexFormat.SERIES_ALIGNMENT);
      long pos = out.position();
      long seriesRef = pos / IndexFormat.SERIES_ALIGNMENT;
      int len = e.size();
      out.reserve(Varints.MAX_LEN + len + 4);
      byte[] b = out.buffer();
      int at = out.bufferPos();
      int p = Varints.putUvarint(b, at, len);
      System.arraycopy(e.array(), 0, b, p, len);
      BigEndian.putInt(b, p + len, Crc32c.compute(e.array(), 0, len));
      out.advance(p + len + 4 - at);
      int id = (int) seriesRef;
      for (int i = 0; i < n; i++) {
        sorter.add(PostingsSorter.key(labelRefs[2 * i], labelRefs[2 * i + 1]), id);
      }
      allIds.write(0, id);
      lastSeries = labels;
      lastChunkRef = lastRef;
      seriesCount++;
      return seriesRef;
    } catch (IOException | RuntimeException ex) {
      failed = true;
      throw ex;
    }
  }

  /** Number of series added. */
  public long seriesCount() {
    return seriesCount;
  }

  private void failIfBroken() throws IOException {
    if (failed) {
      throw new IOException(file + ": an earlier write failed; the index is incomplete");
    }
  }

  private void ensureStage(Stage s) throws IOException {
    failIfBroken();
    if (stage == s) {
      return;
    }
    if (stage.ordinal() > s.ordinal()) {
      throw new IllegalStateException("invalid stage " + s + ", currently at " + stage);
    }
    if (stage.ordinal() < s.ordinal() - 1) {
      ensureStage(Stage.values()[s.ordinal() - 1]);
    }
    try {
      switch (s) {
        case SYMBOLS -> startSymbols();
        case SERIES -> {
          finishSymbols();
          tocSeries = out.position();
          sorter = new PostingsSorter(tempDir, tempPrefix, options.sortBufferEntries());
          allIds = new PostingsSorter.RunWriter(allTemp());
        }
        case DONE -> finishIndex();
        default -> throw new AssertionError(s);
      }
    } catch (IOException | RuntimeException ex) {
      failed = true;
      throw ex;
    }
    stage = s;
  }

  private void startSymbols() throws IOException {
    symbolsStart = out.position();
    // len and count, patched when the symbols are done.
    out.writeBe32(0);
    out.writeBe32(0);
  }

  private void finishSymbols() throws IOException {
    long tableSize = out.position() - symbolsStart - 4;
    if (tableSize > 0xFFFFFFFFL) {
      throw new IOException("symbol table size exceeds 4294967295 bytes: " + tableSize);
    }
    byte[] head = new byte[8];
    BigEndian.putInt(head, 0, (int) tableSize);
    BigEndian.putInt(head, 4, numSymbols);
    out.patch(symbolsStart, head);
    int crc =
        Crc32c.combine(Crc32c.compute(head, 4, 4), (int) symbolsCrc.getValue(), tableSize - 4);
    out.writeBe32(crc);
    out.flush();
    mapped = MappedFileSource.open(file);
    try {
      symbols = new SymbolTable.V2(mapped, symbolsStart);
    } catch (CorruptFormatException e) {
      throw new IllegalStateException("the symbol table just written does not read back", e);
    }
    refs = new SymbolRefs(symbols, options.symbolCacheSize());
  }

  /** Finishes the index: postings, tables, TOC; syncs and releases temporary files. */
  @Override
  public void close() throws IOException {
    if (stage == Stage.DONE) {
      return;
    }
    try {
      if (!failed) {
        ensureStage(Stage.DONE);
        out.sync();
      }
    } finally {
      try {
        out.close();
      } finally {
        if (sorter != null) {
          sorter.close();
        }
        if (allIds != null) {
          allIds.close();
        }
        Files.deleteIfExists(poTemp());
        Files.deleteIfExists(allTemp());
        if (mapped != null) {
          mapped.close();
        }
        stage = Stage.DONE;
      }
    }
  }

  private Path poTemp() {
    return tempDir.resolve(tempPrefix + "_tmp_po");
  }

  private Path allTemp() {
    return tempDir.resolve(tempPrefix + "_tmp_all");
  }

  private void finishIndex() throws IOException {
    tocLabelIndices = out.position();
    sorter.finish();
    CrcBlock block = new CrcBlock(out);
    long[] labelIndexTable = new long[0];
    int labelIndexCount = 0;
    if (options.layout() == Layout.WITH_LABEL_INDICES) {
      labelIndexTable = new long[32];
      try (PostingsSorter.Stream st = sorter.keyStream()) {
        long curName = -1;
        long start = 0;
        long count = 0;
        while (st.next()) {
          long key = st.key();
          long name = PostingsSorter.nameRef(key);
          long value = PostingsSorter.valueRef(key);
          if (name != curName) {
            if (curName >= 0) {
              endLabelIndex(block, start, count);
            }
            out.pad(IndexFormat.POSTINGS_ALIGNMENT);
            start = out.position();
            if (labelIndexCount * 2 == labelIndexTable.length) {
              labelIndexTable = Arrays.copyOf(labelIndexTable, labelIndexTable.length * 2);
            }
            labelIndexTable[2 * labelIndexCount] = name;
            labelIndexTable[2 * labelIndexCount + 1] = start;
            labelIndexCount++;
            // len, names = 1 and count, patched at the end
            out.writeBe32(0);
            out.writeBe32(0);
            out.writeBe32(0);
            block.begin();
            curName = name;
            count = 0;
          }
          block.be32((int) value);
          count++;
        }
        if (curName >= 0) {
          endLabelIndex(block, start, count);
        }
      }
      tocPostings = out.position();
    } else {
      tocPostings = tocLabelIndices;
    }

    long poCount = writePostings(block);

    if (options.layout() == Layout.WITH_LABEL_INDICES) {
      tocLabelOffsetTable = out.position();
      long start = out.position();
      out.writeBe32(0);
      block.begin();
      block.be32(labelIndexCount);
      SymbolEntries names = new SymbolEntries(symbols);
      for (int i = 0; i < labelIndexCount; i++) {
        block.uvarint(1);
        names.copyEntry(labelIndexTable[2 * i], block);
        block.uvarint(labelIndexTable[2 * i + 1]);
      }
      endTable(block, start, "label indexes offset table");
    } else {
      tocLabelOffsetTable = out.position();
    }

    tocPostingsOffsetTable = out.position();
    long start = out.position();
    out.writeBe32(0);
    block.begin();
    block.be32((int) poCount);
    byte[] buf = new byte[1 << 16];
    try (InputStream in = new BufferedInputStream(Files.newInputStream(poTemp()), 1 << 16)) {
      for (int r = in.read(buf); r > 0; r = in.read(buf)) {
        block.bytes(buf, 0, r);
      }
    }
    endTable(block, start, "postings offset table");
    Files.deleteIfExists(poTemp());

    Toc toc =
        new Toc(
            symbolsStart,
            tocSeries,
            tocLabelIndices,
            tocLabelOffsetTable,
            tocPostings,
            tocPostingsOffsetTable);
    out.write(toc.encode());
  }

  private void endLabelIndex(CrcBlock block, long start, long count) throws IOException {
    long len = 8 + 4 * count;
    if (len > 0xFFFFFFFFL) {
      throw new IOException("label index size exceeds 4 bytes: " + len);
    }
    byte[] head = new byte[12];
    BigEndian.putInt(head, 0, (int) len);
    BigEndian.putInt(head, 4, 1);
    BigEndian.putInt(head, 8, (int) count);
    int body = block.crc();
    out.patch(start, head);
    out.writeBe32(Crc32c.combine(Crc32c.compute(head, 4, 8), body, 4 * count));
  }

  private void endTable(CrcBlock block, long start, String what) throws IOException {
    int crc = block.crc();
    long len = out.position() - start - 4;
    if (len > 0xFFFFFFFFL) {
      throw new IOException(what + " length exceeds 4 bytes: " + len);
    }
    byte[] head = new byte[4];
    BigEndian.putInt(head, 0, (int) len);
    out.patch(start, head);
    out.writeBe32(crc);
  }

  /**
   * The postings section: the all-postings list, then one list per (name, value) in order;
   * each list's offset table entry goes to the staging file. Returns the number of lists.
   */
  private long writePostings(CrcBlock block) throws IOException {
    long lists = 0;
    SymbolEntries names = new SymbolEntries(symbols);
    SymbolEntries values = new SymbolEntries(symbols);
    byte[] scratch = new byte[64];
    allIds.close();
    try (OutputStream po = new BufferedOutputStream(Files.newOutputStream(poTemp()), 1 << 16);
        PostingsSorter.Stream st = sorter.stream()) {
      // The all-postings list, key ("", ""), first.
      long start = beginList(block);
      writeOffsetEntry(po, null, null, -1, -1, start, scratch);
      long count = 0;
      try (PostingsSorter.RunReader all = new PostingsSorter.RunReader(allTemp())) {
        while (all.next()) {
          block.be32((int) all.id);
          count++;
        }
      }
      endList(block, start, count);
      lists++;
      long curKey = -1;
      count = 0;
      while (st.next()) {
        long key = st.key();
        if (key != curKey) {
          if (curKey >= 0) {
            endList(block, start, count);
            lists++;
          }
          curKey = key;
          start = beginList(block);
          long name = PostingsSorter.nameRef(key);
          writeOffsetEntry(po, names, values, name, PostingsSorter.valueRef(key), start, scratch);
          count = 0;
        }
        block.be32(st.id());
        count++;
      }
      if (curKey >= 0) {
        endList(block, start, count);
        lists++;
      }
    }
    return lists;
  }

  private long beginList(CrcBlock block) throws IOException {
    block.flush();
    out.pad(IndexFormat.POSTINGS_ALIGNMENT);
    long start = out.position();
    out.writeBe32(0);
    out.writeBe32(0);
    block.begin();
    return start;
  }

  private void endList(CrcBlock block, long start, long count) throws IOException {
    long len = 4 + 4 * count;
    if (len > 0xFFFFFFFFL) {
      throw new IOException("posting size exceeds 4 bytes: " + len);
    }
    byte[] head = new byte[8];
    BigEndian.putInt(head, 0, (int) len);
    BigEndian.putInt(head, 4, (int) count);
    int body = block.crc();
    out.patch(start, head);
    out.writeBe32(Crc32c.combine(Crc32c.compute(head, 4, 4), body, 4 * count));
  }

  private void writeOffsetEntry(
      OutputStream po,
      SymbolEntries names,
      SymbolEntries values,
      long name,
      long value,
      long offset,
      byte[] scratch)
      throws IOException {
    if (names == null) {
      // keycount 2, "" and "".
      po.write(2);
      po.write(0);
      po.write(0);
    } else {
      po.write(2);
      names.writeEntry(name, po);
      values.writeEntry(value, po);
    }
    int n = Varints.putUvarint(scratch, 0, offset);
    po.write(scratch, 0, n);
  }

  private static String quote(byte[] utf8) {
    return '"' + new String(utf8, StandardCharsets.UTF_8) + '"';
  }
}
