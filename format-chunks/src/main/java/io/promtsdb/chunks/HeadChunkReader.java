package io.promtsdb.chunks;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Crc32c;
import io.promtsdb.core.MappedFileSource;
import io.promtsdb.core.UnsupportedFormatVersionException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the head chunk files ({@code <data>/chunks_head/000001 ...}), the read side of Go's
 * {@code ChunkDiskMapper}.
 *
 * <pre>
 * offset 0   magic 0x0130BC91 (BE32), version 1 (1 byte), 3 bytes padding
 * offset 8   records: series ref (BE64) | mint (BE64) | maxt (BE64, inclusive)
 *            | encoding (1 byte, | 0x80 for out-of-order chunks) | uvarint len | data
 *            | CRC32C of everything from the series ref to the end of the data (BE32)
 * </pre>
 *
 * Files are preallocated and never truncated, so data ends at the first place where fewer than
 * {@value #MAX_META_SIZE} bytes remain and all are zero, or where a series ref, mint and maxt are
 * all zero (series refs start at 1). Chunks are addressed by {@link ChunkDiskMapperRef}, with the
 * real file number. Safe for concurrent reads.
 */
public final class HeadChunkReader implements Closeable {
  /** {@code MagicHeadChunks}. */
  public static final int MAGIC = 0x0130BC91;
  public static final int FORMAT_V1 = 1;
  public static final int HEADER_SIZE = 8;
  /** {@code MaxHeadChunkMetaSize}: series ref, mint, maxt, encoding, longest length, CRC. */
  public static final int MAX_META_SIZE = 8 + 16 + 1 + 5 + 4;
  /** {@code MaxHeadChunkFileSize}: 128 MiB. */
  public static final long MAX_FILE_SIZE = 128L * 1024 * 1024;

  private final SortedMap<Long, ByteSource> files;
  private final List<Path> ignored;
  private final List<Closeable> closers;

  private HeadChunkReader(SortedMap<Long, ByteSource> files, List<Path> ignored, List<Closeable> closers)
      throws CorruptFormatException {
    this.files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    this.ignored = List.copyOf(ignored);
    this.closers = closers;
    long last = -1;
    for (Map.Entry<Long, ByteSource> e : this.files.entrySet()) {
      if (last >= 0 && e.getKey() != last + 1) {
        throw new CorruptFormatException(e.getValue().description(), CorruptFormatException.NO_OFFSET,
            "found unsequential head chunk files: " + String.format("%06d", last) + " then "
                + String.format("%06d", e.getKey()));
      }
      last = e.getKey();
      checkHeader(e.getValue());
    }
  }

  /**
   * Maps the head chunk files of {@code dir}. As Go does on open, a last file with fewer than 4
   * bytes or a zero magic is not used (Go deletes it; this reader only lists it in
   * {@link #ignoredFiles()}), and a gap in the numbering is an error.
   */
  public static HeadChunkReader open(Path dir) throws IOException {
    SortedMap<Long, Path> paths = new TreeMap<>();
    for (Path p : ChunkSegmentReader.sequenceFiles(dir)) {
      long seq = Long.parseUnsignedLong(p.getFileName().toString());
      if (seq < 0 || seq > 0xFFFFFFFFL) {
        throw new CorruptFormatException(p.toString(), CorruptFormatException.NO_OFFSET,
            "head chunk file number out of range");
      }
      paths.put(seq, p);
    }
    List<Path> ignored = new ArrayList<>();
    if (!paths.isEmpty() && paths.lastKey() > 0) {
      Path last = paths.get(paths.lastKey());
      byte[] head = new byte[4];
      int got;
      try (var in = Files.newInputStream(last)) {
        got = in.readNBytes(head, 0, 4);
      }
      if (got < 4 || (head[0] | head[1] | head[2] | head[3]) == 0) {
        ignored.add(last);
        paths.remove(paths.lastKey());
      }
    }
    SortedMap<Long, ByteSource> sources = new TreeMap<>();
    List<Closeable> closers = new ArrayList<>();
    try {
      for (Map.Entry<Long, Path> e : paths.entrySet()) {
        MappedFileSource m = MappedFileSource.open(e.getValue());
        sources.put(e.getKey(), m);
        closers.add(m);
      }
      return new HeadChunkReader(sources, ignored, closers);
    } catch (IOException | RuntimeException e) {
      for (Closeable c : closers) {
        c.close();
      }
      throw e;
    }
  }

  /** A reader over files given by number. */
  public static HeadChunkReader of(SortedMap<Long, ByteSource> files) throws CorruptFormatException {
    return new HeadChunkReader(files, List.of(), List.of());
  }

  private static void checkHeader(ByteSource s) throws CorruptFormatException {
    if (s.length() < HEADER_SIZE) {
      throw s.corrupt(0, "invalid head chunk file header: actual " + s.length()
          + " bytes vs expected at least " + HEADER_SIZE);
    }
    int magic = s.be32(0);
    if (magic != MAGIC) {
      throw s.mismatch(0, "head chunk file magic", String.format("0x%08x", magic), String.format("0x%08x", MAGIC));
    }
    int version = s.u8(4);
    if (version != FORMAT_V1) {
      throw new UnsupportedFormatVersionException(s.description(), s.origin() + 4, version, FORMAT_V1, FORMAT_V1);
    }
  }

  /** File numbers, ascending. */
  public List<Long> fileNumbers() {
    return List.copyOf(files.keySet());
  }

  public ByteSource file(long number) {
    return files.get(number);
  }

  /** Files skipped on open (an empty last file left by a crash). */
  public List<Path> ignoredFiles() {
    return ignored;
  }

  /** Metadata of one head chunk record (what Go's {@code IterateAllChunks} passes on). */
  public record HeadChunkMeta(
      long seriesRef,
      long ref,
      long mint,
      long maxt,
      ChunkEncoding encoding,
      boolean outOfOrder,
      int numSamples,
      int dataLength) {}

  /** Receives the records of {@link #iterateAllChunks}. */
  @FunctionalInterface
  public interface Visitor {
    void visit(HeadChunkMeta meta) throws IOException;
  }

  /**
   * Go's {@code IterateAllChunks}: every record of every file in file-number order, CRCs
   * verified, stopping per file at the end-of-data markers. {@code numSamples} is masked for the
   * ST histogram encodings (Go passes the raw 16 bits there, counter-reset bits included).
   */
  public void iterateAllChunks(Visitor visitor) throws IOException {
    for (Map.Entry<Long, ByteSource> e : files.entrySet()) {
      long fileNo = e.getKey();
      ByteSource s = e.getValue();
      long idx = HEADER_SIZE;
      while (idx < s.length()) {
        Parsed p = parse(s, fileNo, idx, true);
        if (p == null) {
          break;
        }
        visitor.visit(p.meta);
        idx = p.end;
      }
    }
  }

  /** All record metadata, in file order. */
  public List<HeadChunkMeta> records() throws IOException {
    List<HeadChunkMeta> out = new ArrayList<>();
    iterateAllChunks(out::add);
    return out;
  }

  private record Parsed(HeadChunkMeta meta, long dataOffset, long end) {}

  /**
   * Parses the record at {@code idx}; with {@code scanning}, returns null at Go's end-of-data
   * markers.
   */
  private static Parsed parse(ByteSource s, long fileNo, long idx, boolean scanning)
      throws CorruptFormatException {
    long fileEnd = s.length();
    if (scanning && fileEnd - idx < MAX_META_SIZE) {
      for (long p = idx; p < fileEnd; p++) {
        if (s.get(p) != 0) {
          throw s.corrupt(idx, "head chunk file has some unread data, but doesn't include enough bytes"
              + " to read the chunk header - required:" + (idx + MAX_META_SIZE) + ", available:" + fileEnd);
        }
      }
      return null;
    }
    if (idx < HEADER_SIZE || idx > fileEnd - (8 + 16 + 1)) {
      throw s.corrupt(Math.max(0, Math.min(idx, fileEnd)), "head chunk record at " + idx
          + " does not fit the file of " + fileEnd + " bytes");
    }
    long seriesRef = s.be64(idx);
    long mint = s.be64(idx + 8);
    long maxt = s.be64(idx + 16);
    if (scanning && seriesRef == 0 && mint == 0 && maxt == 0) {
      return null;
    }
    long encPos = idx + 24;
    int encByte = s.u8(encPos);
    long lenPos = encPos + 1;
    long len = 0;
    int shift = 0;
    int n = 0;
    while (true) {
      if (n == ChunkSegmentReader.MAX_LENGTH_FIELD_SIZE) {
        throw s.corrupt(lenPos, "chunk length field longer than 5 bytes");
      }
      if (lenPos + n >= fileEnd) {
        throw s.corrupt(lenPos, "chunk length field runs past the end of the file");
      }
      int b = s.u8(lenPos + n);
      n++;
      len |= (long) (b & 0x7F) << shift;
      shift += 7;
      if (b < 0x80) {
        break;
      }
    }
    long dataOffset = lenPos + n;
    long dataEnd = dataOffset + len;
    if (len > Integer.MAX_VALUE - 16 || dataEnd + 4 > fileEnd) {
      throw s.corrupt(idx, "head chunk record of " + len + " data bytes needs " + (dataEnd + 4 - idx)
          + " bytes, only " + (fileEnd - idx) + " remain in the file");
    }
    Crc32c.verify(s, idx, dataEnd - idx, dataEnd);
    ChunkEncoding enc = ChunkEncoding.fromWireByte(encByte & ~ChunkEncoding.OUT_OF_ORDER_FLAG,
        s.description(), s.origin() + encPos);
    if (len < Chunk.headerBytes(enc)) {
      throw s.corrupt(dataOffset, enc.goName() + " chunk of " + len + " bytes: actual " + len
          + " vs expected at least " + Chunk.headerBytes(enc) + " header bytes");
    }
    int word = s.be16(dataOffset);
    int numSamples = enc == ChunkEncoding.HISTOGRAM_ST || enc == ChunkEncoding.FLOAT_HISTOGRAM_ST
        ? word & HistogramLayout.ST_SAMPLE_COUNT_MASK : word;
    HeadChunkMeta meta = new HeadChunkMeta(seriesRef, ChunkDiskMapperRef.of(fileNo, idx), mint, maxt, enc,
        (encByte & ChunkEncoding.OUT_OF_ORDER_FLAG) != 0, numSamples, (int) len);
    return new Parsed(meta, dataOffset, dataEnd + 4);
  }

  /**
   * The chunk at {@code ref} (Go's {@code ChunkDiskMapper.Chunk}), CRC verified, OOO flag
   * removed from the encoding; the bytes are copied out of the file.
   */
  public Chunk chunk(long ref) throws CorruptFormatException {
    long fileNo = ChunkDiskMapperRef.fileNumber(ref);
    ByteSource s = files.get(fileNo);
    if (s == null) {
      throw new CorruptFormatException(files.isEmpty() ? "<no head chunk files>" : files.get(files.firstKey()).description(),
          CorruptFormatException.NO_OFFSET,
          "head chunk file index " + fileNo + " does not exist (ref " + ChunkDiskMapperRef.toString(ref) + ")");
    }
    Parsed p = parse(s, fileNo, ChunkDiskMapperRef.offset(ref), false);
    byte[] data = s.toByteArray(p.dataOffset, p.meta.dataLength());
    String resource = s.description() + " [head chunk " + ChunkDiskMapperRef.toString(ref) + ", CRC32C verified]";
    return Chunk.wrap(p.meta.encoding(), data, 0, data.length, resource, s.origin() + p.dataOffset);
  }

  /** The record metadata at {@code ref}, CRC verified. */
  public HeadChunkMeta meta(long ref) throws CorruptFormatException {
    long fileNo = ChunkDiskMapperRef.fileNumber(ref);
    ByteSource s = files.get(fileNo);
    if (s == null) {
      throw new CorruptFormatException("<head chunk files>", CorruptFormatException.NO_OFFSET,
          "head chunk file index " + fileNo + " does not exist (ref " + ChunkDiskMapperRef.toString(ref) + ")");
    }
    return parse(s, fileNo, ChunkDiskMapperRef.offset(ref), false).meta;
  }

  /**
   * Verifies every file completely: header with zero padding, every record (bounds, encoding,
   * CRC), that everything after the end-of-data marker is zero (Prometheus only ever leaves the
   * preallocated zeros there), and, if {@code decodeChunks}, that every chunk decodes. Reads
   * every byte.
   */
  public void checkIntegrity(boolean decodeChunks) throws IOException {
    ChunkIterator it = null;
    for (Map.Entry<Long, ByteSource> e : files.entrySet()) {
      ByteSource s = e.getValue();
      checkHeader(s);
      for (int i = 5; i < HEADER_SIZE; i++) {
        if (s.get(i) != 0) {
          throw s.mismatch(i, "head chunk file header padding", s.u8(i), 0);
        }
      }
      long idx = HEADER_SIZE;
      while (idx < s.length()) {
        Parsed p = parse(s, e.getKey(), idx, true);
        if (p == null) {
          break;
        }
        if (decodeChunks) {
          it = chunk(p.meta.ref()).iterator(it);
          while (it.next() != ValueType.NONE) {
            // Decoding is the check.
          }
        }
        idx = p.end;
      }
      byte[] buf = new byte[(int) Math.min(1 << 16, Math.max(0, s.length() - idx))];
      for (long q = idx; q < s.length(); q += buf.length) {
        int n = (int) Math.min(buf.length, s.length() - q);
        s.copyTo(q, buf, 0, n);
        for (int i = 0; i < n; i++) {
          if (buf[i] != 0) {
            throw s.corrupt(q + i, "non-zero byte after the end of the head chunk data at " + idx);
          }
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    for (Closeable c : closers) {
      c.close();
    }
  }
}
