package io.promtsdb.index;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.ChecksumMismatchException;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Crc32c;
import io.promtsdb.core.DataWriter;

/**
 * The table of contents: the last {@value IndexFormat#TOC_LEN} bytes of an index, six BE64
 * section offsets and a BE32 CRC32C over them. An offset of 0 means "section absent" (only
 * {@code labelIndices}/{@code labelOffsetTable} of hand-made files use it).
 *
 * <p>{@code series} and {@code postings} point before the alignment padding of their first
 * entry. Since Prometheus 3.7 no label index sections are written: {@code labelIndices ==
 * postings} and {@code labelOffsetTable == postingsOffsetTable}.
 *
 * @param symbols offset of the symbol table (5 in every file Prometheus writes)
 * @param series offset right after the symbol table, before the first series' padding
 * @param labelIndices offset of the first label index section (before its padding)
 * @param labelOffsetTable offset of the label offset table
 * @param postings offset right after the last label index (or series), before padding
 * @param postingsOffsetTable offset of the postings offset table
 */
public record Toc(
    long symbols,
    long series,
    long labelIndices,
    long labelOffsetTable,
    long postings,
    long postingsOffsetTable) {

  static final String SECTION = "TOC";

  /**
   * Reads and verifies the TOC at the end of {@code index}: checksum, then every offset
   * within the file, before the TOC, and in the order Prometheus writes the sections.
   */
  public static Toc read(ByteSource index) throws CorruptFormatException {
    long len = index.length();
    ByteSource scoped = index.slice(SECTION, 0, len);
    if (len < IndexFormat.HEADER_LEN + IndexFormat.TOC_LEN) {
      throw scoped.mismatch(
          0, "index size", len + " bytes", ">= " + (IndexFormat.HEADER_LEN + IndexFormat.TOC_LEN));
    }
    long at = len - IndexFormat.TOC_LEN;
    int stored = scoped.be32(len - 4);
    int actual = Crc32c.compute(scoped, at, IndexFormat.TOC_LEN - 4);
    if (stored != actual) {
      throw new ChecksumMismatchException(scoped.description(), scoped.origin() + len - 4, actual, stored);
    }
    Toc toc =
        new Toc(
            scoped.be64(at),
            scoped.be64(at + 8),
            scoped.be64(at + 16),
            scoped.be64(at + 24),
            scoped.be64(at + 32),
            scoped.be64(at + 40));
    toc.check(scoped, at);
    return toc;
  }

  private void check(ByteSource scoped, long tocStart) throws CorruptFormatException {
    String[] names = {
      "symbols", "series", "label indices", "label offset table", "postings", "postings offset table"
    };
    long[] offs = {symbols, series, labelIndices, labelOffsetTable, postings, postingsOffsetTable};
    for (int i = 0; i < offs.length; i++) {
      if (offs[i] < 0 || offs[i] > tocStart || (offs[i] != 0 && offs[i] < IndexFormat.HEADER_LEN)) {
        throw scoped.mismatch(
            tocStart + 8L * i,
            names[i] + " offset",
            Long.toUnsignedString(offs[i]),
            "0 or in [" + IndexFormat.HEADER_LEN + ", " + tocStart + "]");
      }
    }
    if (symbols == 0 || postingsOffsetTable == 0) {
      throw scoped.mismatch(
          tocStart, "symbol table and postings offset table offsets", this, "both non-zero");
    }
  }

  /** The 52 bytes of this TOC as Prometheus writes them. */
  public byte[] encode() {
    DataWriter w = new DataWriter(IndexFormat.TOC_LEN);
    w.be64(symbols).be64(series).be64(labelIndices).be64(labelOffsetTable).be64(postings);
    w.be64(postingsOffsetTable);
    w.crc32cFrom(0);
    return w.toByteArray();
  }

  /**
   * Whether the file has a label offset table (and so possibly label index sections), as
   * Prometheus up to 3.6 writes; false for the layout of Prometheus 3.7 and later, where
   * {@code labelOffsetTable == postingsOffsetTable}.
   */
  public boolean hasLabelOffsetTable() {
    return labelOffsetTable != 0 && labelOffsetTable != postingsOffsetTable;
  }
}
