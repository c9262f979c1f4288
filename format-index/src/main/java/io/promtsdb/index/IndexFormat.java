package io.promtsdb.index;

/**
 * Wire constants of the index file ({@code <block>/index}), named as in Prometheus'
 * {@code tsdb/index/index.go}.
 */
public final class IndexFormat {
  private IndexFormat() {}

  /** The first four bytes of every index file, big-endian. */
  public static final int MAGIC = 0xBAAAD700;

  /** Magic (4 bytes) and version (1 byte). */
  public static final int HEADER_LEN = 5;

  /** Prometheus 2.0: symbol references and series IDs are file offsets, no alignment. */
  public static final int FORMAT_V1 = 1;

  /** Prometheus 2.1 and later: sequential symbol references, 16-byte aligned series. */
  public static final int FORMAT_V2 = 2;

  /**
   * Reserved: readers of Prometheus 2.55 / 3.0 and later accept it and read it exactly like
   * {@link #FORMAT_V2}; no Prometheus release writes it.
   */
  public static final int FORMAT_V3 = 3;

  /** Six big-endian 64-bit offsets and a CRC32C. */
  public static final int TOC_LEN = 6 * 8 + 4;

  /** Series entries start at multiples of 16; a series ID is its offset divided by 16. */
  public static final int SERIES_ALIGNMENT = 16;

  /** Postings lists and label index sections start at multiples of 4. */
  public static final int POSTINGS_ALIGNMENT = 4;

  /**
   * Readers keep every 32nd symbol offset and every 32nd label value of the postings offset
   * table in memory (Prometheus' {@code symbolFactor}).
   */
  public static final int SAMPLE_FACTOR = 32;

  /** Name and value of the key whose postings list holds every series ("all postings"). */
  public static final String ALL_POSTINGS_NAME = "";

  public static final String ALL_POSTINGS_VALUE = "";

  /** The largest index file Prometheus writes: 16 × (2^32 − 1) bytes. */
  public static final long MAX_INDEX_SIZE = 16L * 0xFFFFFFFFL;
}
