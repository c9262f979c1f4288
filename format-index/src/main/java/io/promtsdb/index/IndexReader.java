package io.promtsdb.index;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Labels;
import io.promtsdb.core.MappedFileSource;
import io.promtsdb.core.UnsupportedFormatVersionException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Reads a block index in place, from a memory-mapped file or any {@link ByteSource}, without
 * loading it.
 *
 * <p>{@link #open} reads the header, picks the reader for its version once (v1: Prometheus
 * 2.0; v2, and the reserved v3 read like v2: everything since), and verifies the small
 * structural sections: the TOC and its checksum, the symbol table (checksum, every entry
 * walked, every 32nd position kept) and the postings offset table (checksum, every entry
 * walked; v2 keeps every 32nd value per label name, v1 the whole table, like Prometheus).
 * Series entries and postings lists are checked (bounds, checksum) when they are read;
 * {@link #checkIntegrity()} reads every byte of the file.
 *
 * <p>Readers are immutable after opening and safe for concurrent use; the {@link Postings}
 * they return are not (one per query).
 */
public sealed interface IndexReader extends Closeable permits IndexReaderV1, IndexReaderV2 {

  /** Reader settings. */
  record Options(boolean verifyPostingsChecksums, boolean verifySeriesChecksums) {
    /** Checksums of postings lists and series entries verified on every read, as Prometheus does. */
    public static final Options DEFAULT = new Options(true, true);
  }

  /** Maps {@code indexFile} and opens it; {@link #close()} releases the mapping. */
  static IndexReader open(Path indexFile) throws IOException {
    return open(indexFile, Options.DEFAULT);
  }

  static IndexReader open(Path indexFile, Options options) throws IOException {
    MappedFileSource src = MappedFileSource.open(indexFile);
    try {
      return open(src, options, src);
    } catch (IOException | RuntimeException e) {
      src.close();
      throw e;
    }
  }

  /** Opens an index held by {@code index} (not closed by the reader). */
  static IndexReader open(ByteSource index) throws CorruptFormatException {
    return open(index, Options.DEFAULT, null);
  }

  static IndexReader open(ByteSource index, Options options) throws CorruptFormatException {
    return open(index, options, null);
  }

  private static IndexReader open(ByteSource index, Options options, Closeable owned)
      throws CorruptFormatException {
    int version = readVersion(index);
    return switch (version) {
      case IndexFormat.FORMAT_V1 -> new IndexReaderV1(index, options, owned);
      case IndexFormat.FORMAT_V2, IndexFormat.FORMAT_V3 ->
          new IndexReaderV2(index, version, options, owned);
      default -> throw new UnsupportedFormatVersionException(
          ByteSource.describe(index.description(), "header"),
          index.origin() + 4,
          version,
          IndexFormat.FORMAT_V1,
          IndexFormat.FORMAT_V3);
    };
  }

  /**
   * Opens an index whose version byte says 1 but whose layout is version 2: the files of
   * Prometheus 2.1's bug (commit 129773b, the blocks whose {@code meta.json} says version 2).
   * Prometheus repairs them when it opens the data directory ({@code repairBadIndexVersion}
   * rewrites byte 4 to 2); a plain {@link #open} reads them as version 1, where postings work
   * and series references fail, exactly as Prometheus' reader does before the repair.
   */
  static IndexReader openAsVersion2(ByteSource index, Options options)
      throws CorruptFormatException {
    readVersion(index);
    return new IndexReaderV2(index, IndexFormat.FORMAT_V2, options, null);
  }

  /** Checks the magic number and returns the version byte. */
  static int readVersion(ByteSource index) throws CorruptFormatException {
    ByteSource header = index.slice("header", 0, index.length());
    if (header.length() < IndexFormat.HEADER_LEN) {
      throw header.mismatch(0, "index size", header.length() + " bytes", ">= " + IndexFormat.HEADER_LEN);
    }
    int magic = header.be32(0);
    if (magic != IndexFormat.MAGIC) {
      throw header.mismatch(
          0, "magic number", String.format("0x%08x", magic), String.format("0x%08x", IndexFormat.MAGIC));
    }
    return header.u8(4);
  }

  /** The version byte of the file (1, 2 or 3). */
  int version();

  Toc toc();

  /** The bytes of the whole index. */
  ByteSource source();

  /** Number of symbols in the symbol table. */
  int symbolCount();

  /** Every symbol in table order (sorted by raw bytes). */
  Iterator<String> symbols();

  /** The symbol a series entry refers to with {@code ref} (index in v2, file offset in v1). */
  String symbol(long ref) throws CorruptFormatException;

  /** Every label name, sorted by raw bytes, without the all-postings name "". */
  List<String> labelNames();

  /** The values of {@code name}, sorted by raw bytes; empty if the name is unknown. */
  List<String> labelValues(String name) throws CorruptFormatException;

  /** The series carrying {@code name} with any of {@code values} (a merge of their lists). */
  Postings postings(String name, Collection<String> values) throws CorruptFormatException;

  default Postings postings(String name, String... values) throws CorruptFormatException {
    return postings(name, Arrays.asList(values));
  }

  /** Every series: the list of the all-postings key {@code ("", "")}. */
  default Postings allPostings() throws CorruptFormatException {
    return postings(IndexFormat.ALL_POSTINGS_NAME, IndexFormat.ALL_POSTINGS_VALUE);
  }

  /**
   * The series carrying {@code name} with a value accepted by {@code match} (a merge of the
   * matching lists; {@code null} accepts all).
   */
  Postings postingsForLabelMatching(String name, Predicate<String> match)
      throws CorruptFormatException;

  /** The series carrying {@code name} with any value. */
  default Postings postingsForAllLabelValues(String name) throws CorruptFormatException {
    return postingsForLabelMatching(name, null);
  }

  /**
   * {@code p} in the order of the series' labels. In a block index, series references
   * already follow label order (the writer adds series sorted), so this returns {@code p}.
   */
  default Postings sortedPostings(Postings p) {
    return p;
  }

  /** The labels of series {@code ref}, without reading its chunk metas. */
  Labels labels(long ref) throws CorruptFormatException;

  /**
   * The labels of series {@code ref}; its chunk metas replace the content of {@code
   * chunks} (nothing is read when {@code chunks} is null).
   */
  Labels series(long ref, ChunkMetaList chunks) throws CorruptFormatException;

  /** Series {@code ref} as a value. */
  default IndexSeries series(long ref) throws CorruptFormatException {
    ChunkMetaList chunks = new ChunkMetaList();
    Labels labels = series(ref, chunks);
    return new IndexSeries(ref, labels, chunks.toList());
  }

  /** The value of label {@code name} of series {@code ref}, if it has that label. */
  Optional<String> labelValueFor(long ref, String name) throws CorruptFormatException;

  /**
   * The names of the legacy label index sections, from the label offset table (written by
   * Prometheus up to 3.6; absent since 3.7). Names of multi-name (tuple) indices of v1 are
   * joined with ",".
   */
  List<String> labelIndexNames() throws CorruptFormatException;

  /** The values of the legacy label index section of {@code name}, if there is one. */
  Optional<List<String>> labelIndexValues(String name) throws CorruptFormatException;

  /**
   * Reads every byte of the file and checks every rule of the format: checksums, zero padding
   * and alignment, symbols valid UTF-8 and strictly ascending, series strictly ascending by
   * labels with valid symbol references and ordered chunk metas, postings ascending and
   * pointing at series, every postings list listed once in the postings offset table (sorted,
   * in v2), the all-postings list equal to the set of series, and the postings of every label
   * pair equal to the series carrying it (compared through an order-independent fingerprint).
   * Files without an all-postings list (hand-written by Prometheus 2.1's tests) may list only
   * some pairs; there every posting is checked to name a series carrying its pair.
   */
  IntegrityReport checkIntegrity() throws CorruptFormatException;

  /** Releases the mapping when the reader opened the file itself. */
  @Override
  void close() throws IOException;
}
