package io.promtsdb.wal;

import static io.promtsdb.wal.WalFormat.FIRST;
import static io.promtsdb.wal.WalFormat.FRAGMENT_HEADER_SIZE;
import static io.promtsdb.wal.WalFormat.FRAGMENT_TYPE_MASK;
import static io.promtsdb.wal.WalFormat.FULL;
import static io.promtsdb.wal.WalFormat.LAST;
import static io.promtsdb.wal.WalFormat.MAX_FRAGMENT_PAYLOAD;
import static io.promtsdb.wal.WalFormat.MIDDLE;
import static io.promtsdb.wal.WalFormat.PAGE_SIZE;
import static io.promtsdb.wal.WalFormat.PAGE_TERM;
import static io.promtsdb.wal.WalFormat.RESERVED_MASK;

import io.promtsdb.core.ByteArraySource;
import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.MappedFileSource;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads the records of one complete segment (Go's {@code wlog.Reader} over one segment):
 *
 * <pre>
 * fragment: u8 type | BE16 length | BE32 CRC32C(payload) | payload
 * type:     bits 0-2 fragment (0 page terminator, 1 full, 2 first, 3 middle, 4 last),
 *           bit 3 snappy, bit 4 zstd, bits 5-7 zero
 * </pre>
 *
 * A record is one FULL fragment or FIRST MIDDLE* LAST; a type byte of zero means the rest of
 * the page is zero. A segment that ends inside a page is read as if zero-padded to the page
 * end, as Go does; a segment that ends inside a record ("last record is torn") is corrupt.
 *
 * <p>Every problem is a {@link WalCorruptionException} with the directory, segment number,
 * the exact offset of the bad byte or fragment, and the offset where the unreadable record
 * began; all records returned before it are intact. Deliberately stricter than Go in three
 * places Prometheus never writes: reserved type bits, both compression bits, and fragments
 * of one record with different compression bits are errors.
 *
 * <p>Usage: {@code while (r.next()) { ByteSource rec = r.record(); ... }}. The record bytes
 * are valid until the next call to {@link #next()}. Not thread-safe.
 */
public final class SegmentReader implements Closeable {
  private final ByteSource source;
  private final String dir;
  private final int segment;
  private final String resource;
  private final long length;
  private final byte[] array;
  private final int arrayBase;
  private final CRC32C crc = new CRC32C();
  private final Closeable onClose;

  private byte[] assembled = new byte[PAGE_SIZE];
  private RecordDecompressor decompressor;

  private long pos;
  private long recordOffset = -1;
  private byte[] recArray;
  private int recOff;
  private int recLen;
  private Compression recCompression = Compression.NONE;
  private byte[] rawArray;
  private int rawOff;
  private int rawLen;

  /**
   * A reader over {@code segment}'s bytes; {@code dir} and {@code index} name it in errors
   * ({@code index} -1 for bytes that are not a numbered segment).
   */
  public SegmentReader(ByteSource segment, String dir, int index) {
    this(segment, dir, index, null);
  }

  private SegmentReader(ByteSource segment, String dir, int index, Closeable onClose) {
    this.source = segment;
    this.dir = dir;
    this.segment = index;
    this.resource = index < 0 ? segment.description() : Segments.fileName(dir, index);
    this.length = segment.length();
    this.onClose = onClose;
    if (segment instanceof ByteArraySource a) {
      this.array = a.array();
      this.arrayBase = a.arrayOffset();
    } else {
      this.array = null;
      this.arrayBase = 0;
    }
  }

  /** Opens a segment file (memory-mapped); its number is taken from its name. */
  public static SegmentReader open(Path file) throws IOException {
    Integer index = Segments.parseIndex(file.getFileName().toString());
    MappedFileSource src = MappedFileSource.open(file);
    Path parent = file.getParent();
    return new SegmentReader(
        src, parent == null ? "" : parent.toString(), index == null ? -1 : index, src);
  }

  /** A reader over bytes in memory, named {@code description} in errors. */
  public static SegmentReader of(String description, byte[] bytes) {
    return new SegmentReader(ByteSource.of(description, bytes), description, -1);
  }

  /** The segment number, or -1. */
  public int segment() {
    return segment;
  }

  public String dir() {
    return dir;
  }

  /**
   * Advances to the next record.
   *
   * @return false at the clean end of the segment
   * @throws WalCorruptionException at the first problem; the reader must not be used after
   */
  public boolean next() throws WalCorruptionException {
    recordOffset = -1;
    int assembledLen = 0;
    int fragments = 0;
    Compression compression = Compression.NONE;
    while (true) {
      if (pos >= length) {
        if (fragments > 0) {
          throw corrupt(pos, "last record is torn: segment ends after " + fragments
              + " fragment(s) without a last fragment", null);
        }
        return false;
      }
      long at = pos;
      int type = u8(at);
      int frag = type & FRAGMENT_TYPE_MASK;
      if (type == PAGE_TERM) {
        skipPadding(at);
        continue;
      }
      if ((type & RESERVED_MASK) != 0) {
        throw corrupt(at, String.format("fragment type byte 0x%02x has reserved bits set", type), null);
      }
      Compression c = compressionOf(type, at);
      if (frag < FULL || frag > LAST) {
        throw corrupt(at, "unexpected record type " + frag, null);
      }
      if (length - at < FRAGMENT_HEADER_SIZE) {
        throw corrupt(at, "torn fragment header: " + (length - at) + " of " + FRAGMENT_HEADER_SIZE
            + " bytes before the end of the segment", null);
      }
      int len = be16(at + 1);
      int expectedCrc = be32(at + 3);
      if (len > MAX_FRAGMENT_PAYLOAD) {
        throw corrupt(at, "invalid record size " + len + " (max " + MAX_FRAGMENT_PAYLOAD + ")", null);
      }
      long payload = at + FRAGMENT_HEADER_SIZE;
      if (length - payload < len) {
        throw corrupt(at, "torn " + WalFormat.fragmentName(frag) + " fragment: payload of " + len
            + " bytes, " + (length - payload) + " before the end of the segment", null);
      }
      switch (frag) {
        case FULL, FIRST -> {
          if (fragments != 0) {
            throw corrupt(at, "unexpected " + WalFormat.fragmentName(frag) + " record", null);
          }
          recordOffset = at;
          compression = c;
        }
        default -> {
          if (fragments == 0) {
            throw corrupt(at, "unexpected " + WalFormat.fragmentName(frag) + " record", null);
          }
          if (c != compression) {
            throw corrupt(at, "fragment compression " + c.goName()
                + " differs from the record's first fragment (" + compression.goName() + ")", null);
          }
        }
      }
      pos = payload + len;
      if (frag == FULL && array != null) {
        // Zero copy: the payload is the whole record.
        checkCrc(array, arrayBase + (int) payload, len, expectedCrc, at);
        return finish(c, array, arrayBase + (int) payload, len);
      }
      if (assembled.length - assembledLen < len) {
        assembled = Arrays.copyOf(assembled, Math.max(assembledLen + len, assembled.length * 2));
      }
      copy(payload, assembled, assembledLen, len);
      checkCrc(assembled, assembledLen, len, expectedCrc, at);
      assembledLen += len;
      fragments++;
      if (frag == FULL || frag == LAST) {
        return finish(compression, assembled, 0, assembledLen);
      }
    }
  }

  private boolean finish(Compression c, byte[] b, int off, int len) throws WalCorruptionException {
    recCompression = c;
    rawArray = b;
    rawOff = off;
    rawLen = len;
    if (c == Compression.NONE || len == 0) {
      recArray = b;
      recOff = off;
      recLen = len;
      return true;
    }
    if (decompressor == null) {
      decompressor = new RecordDecompressor();
    }
    try {
      recLen = decompressor.decompress(c, b, off, len);
    } catch (RecordDecompressor.DecompressionException e) {
      throw corrupt(recordOffset, e.getMessage(), null);
    }
    recArray = decompressor.buffer();
    recOff = 0;
    return true;
  }

  private Compression compressionOf(int type, long at) throws WalCorruptionException {
    boolean snappy = (type & Compression.SNAPPY.flag()) != 0;
    boolean zstd = (type & Compression.ZSTD.flag()) != 0;
    if (snappy && zstd) {
      throw corrupt(at, String.format("fragment type byte 0x%02x has both compression bits set", type), null);
    }
    return snappy ? Compression.SNAPPY : zstd ? Compression.ZSTD : Compression.NONE;
  }

  /** A zero type byte: every byte up to the page end (or the segment end) must be zero. */
  private void skipPadding(long at) throws WalCorruptionException {
    long end = Math.min(length, (at / PAGE_SIZE + 1) * (long) PAGE_SIZE);
    if (array != null) {
      int from = arrayBase + (int) at;
      int to = arrayBase + (int) end;
      for (int i = from; i < to; i++) {
        if (array[i] != 0) {
          throw corrupt(i - arrayBase, "unexpected non-zero byte in padded page", null);
        }
      }
    } else {
      for (long i = at; i < end; i++) {
        if (u8(i) != 0) {
          throw corrupt(i, "unexpected non-zero byte in padded page", null);
        }
      }
    }
    pos = end;
  }

  private void checkCrc(byte[] b, int off, int len, int expected, long at) throws WalCorruptionException {
    crc.reset();
    crc.update(b, off, len);
    int actual = (int) crc.getValue();
    if (actual != expected) {
      throw corrupt(at, String.format("unexpected checksum %08x, expected %08x", actual, expected), null);
    }
  }

  private int u8(long p) throws WalCorruptionException {
    if (array != null) {
      return array[arrayBase + (int) p] & 0xFF;
    }
    try {
      return source.u8(p);
    } catch (CorruptFormatException e) {
      throw corrupt(p, e.detail(), e);
    }
  }

  private int be16(long p) throws WalCorruptionException {
    return (u8(p) << 8) | u8(p + 1);
  }

  private int be32(long p) throws WalCorruptionException {
    return (be16(p) << 16) | be16(p + 2);
  }

  private void copy(long p, byte[] dst, int off, int len) throws WalCorruptionException {
    if (array != null) {
      System.arraycopy(array, arrayBase + (int) p, dst, off, len);
      return;
    }
    try {
      source.copyTo(p, dst, off, len);
    } catch (CorruptFormatException e) {
      throw corrupt(p, e.detail(), e);
    }
  }

  private WalCorruptionException corrupt(long at, String detail, Throwable cause) {
    return new WalCorruptionException(
        dir, segment, at, recordOffset >= 0 ? recordOffset : at, detail, cause);
  }

  /**
   * The current record as a source (decompressed if it was compressed), valid until the
   * next call to {@link #next()}. Its description names the segment and the record offset.
   */
  public ByteSource record() {
    return new ByteArraySource(resource, recArray, recOff, recLen);
  }

  /** The current record's bytes: {@code recordArray()[recordArrayOffset() ...+recordLength()]}. */
  public byte[] recordArray() {
    return recArray;
  }

  public int recordArrayOffset() {
    return recOff;
  }

  public int recordLength() {
    return recLen;
  }

  /** A copy of the current record's bytes. */
  public byte[] copyRecord() {
    return Arrays.copyOfRange(recArray, recOff, recOff + recLen);
  }

  /** The current record as stored: the fragment payloads joined, before decompression. */
  public byte[] copyStoredRecord() {
    return Arrays.copyOfRange(rawArray, rawOff, rawOff + rawLen);
  }

  /** Compression of the current record on disk. */
  public Compression recordCompression() {
    return recCompression;
  }

  /** Offset in the segment of the current record's first fragment header. */
  public long recordOffset() {
    return recordOffset;
  }

  /** Offset in the segment just after the current record (Go's {@code Reader.Offset()}). */
  public long offset() {
    return pos;
  }

  @Override
  public void close() throws IOException {
    if (onClose != null) {
      onClose.close();
    }
  }
}
