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
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads a block's chunk segment files ({@code <block>/chunks/000001 ...}), Go's
 * {@code chunks.Reader}.
 *
 * <pre>
 * offset 0   magic 0x85BD40DD (BE32)
 * offset 4   version 1 (1 byte), 3 bytes padding
 * offset 8   records, back to back: uvarint len | encoding (1 byte) | data (len bytes)
 *            | CRC32C(encoding ‖ data) (BE32)
 * </pre>
 *
 * Chunks are addressed by {@link BlockChunkRef}. Every {@link #chunk(long)} checks the record's
 * bounds and CRC before decoding anything; {@link #checkIntegrity} walks every record of every
 * segment and reads every byte. Safe for concurrent reads.
 */
public final class ChunkSegmentReader implements Closeable {
  /** {@code MagicChunks}. */
  public static final int MAGIC = 0x85BD40DD;
  /** {@code chunksFormatV1}, the only version. */
  public static final int FORMAT_V1 = 1;
  /** {@code SegmentHeaderSize}: magic, version, 3 bytes padding. */
  public static final int HEADER_SIZE = 8;
  /** {@code MaxChunkLengthFieldSize}: the uvarint length field takes at most 5 bytes. */
  public static final int MAX_LENGTH_FIELD_SIZE = 5;

  private final List<ByteSource> segments;
  private final List<Closeable> closers;

  private ChunkSegmentReader(List<ByteSource> segments, List<Closeable> closers)
      throws CorruptFormatException {
    this.segments = List.copyOf(segments);
    this.closers = closers;
    for (ByteSource s : this.segments) {
      checkHeader(s);
    }
  }

  /**
   * Maps the segment files of {@code dir}: every file whose name is a decimal number, in name
   * order (Go's {@code sequenceFiles}); the i-th file is segment index i.
   */
  public static ChunkSegmentReader open(Path dir) throws IOException {
    List<Path> files = sequenceFiles(dir);
    List<ByteSource> sources = new ArrayList<>();
    List<Closeable> closers = new ArrayList<>();
    try {
      for (Path f : files) {
        MappedFileSource m = MappedFileSource.open(f);
        sources.add(m);
        closers.add(m);
      }
      return new ChunkSegmentReader(sources, closers);
    } catch (IOException | RuntimeException e) {
      for (Closeable c : closers) {
        c.close();
      }
      throw e;
    }
  }

  /** A reader over segments already in memory or mapped; the i-th source is segment index i. */
  public static ChunkSegmentReader of(List<ByteSource> segments) throws CorruptFormatException {
    return new ChunkSegmentReader(segments, List.of());
  }

  /** Numeric file names in {@code dir}, sorted by name as Go's {@code os.ReadDir} does. */
  static List<Path> sequenceFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> isSequenceNumber(p.getFileName().toString()))
          .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
          .toList();
    }
  }

  /** Go's {@code strconv.ParseUint(name, 10, 64)} succeeds. */
  static boolean isSequenceNumber(String name) {
    if (name.isEmpty() || name.length() > 20) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return name.length() < 20 || name.compareTo("18446744073709551615") <= 0;
  }

  private static void checkHeader(ByteSource s) throws CorruptFormatException {
    if (s.length() < HEADER_SIZE) {
      throw s.corrupt(0, "segment of " + s.length() + " bytes: actual " + s.length()
          + " vs expected at least " + HEADER_SIZE + " header bytes");
    }
    int magic = s.be32(0);
    if (magic != MAGIC) {
      throw s.mismatch(0, "chunk segment magic", String.format("0x%08x", magic), String.format("0x%08x", MAGIC));
    }
    int version = s.u8(4);
    if (version != FORMAT_V1) {
      throw new UnsupportedFormatVersionException(s.description(), s.origin() + 4, version, FORMAT_V1, FORMAT_V1);
    }
  }

  public int segmentCount() {
    return segments.size();
  }

  /** The bytes of segment {@code index}. */
  public ByteSource segment(int index) {
    return segments.get(index);
  }

  /** Total size of all segments in bytes. */
  public long size() {
    long n = 0;
    for (ByteSource s : segments) {
      n += s.length();
    }
    return n;
  }

  /** Location of one record in a segment. */
  record Record(int segment, long offset, ChunkEncoding encoding, long dataOffset, int dataLength, long end) {}

  /**
   * Parses and CRC-checks the record at {@code offset} of segment {@code seg}, as Go's
   * {@code ChunkOrIterable} does: at least 5 bytes for the length field, the whole record
   * within the segment, the CRC, then a known encoding.
   */
  private Record record(int seg, long offset) throws CorruptFormatException {
    ByteSource s = segments.get(seg);
    if (offset < HEADER_SIZE || offset > s.length() - MAX_LENGTH_FIELD_SIZE) {
      throw s.corrupt(Math.max(0, Math.min(offset, s.length())), "chunk record at " + offset
          + ": the segment of " + s.length() + " bytes cannot hold its length field");
    }
    long len = 0;
    int shift = 0;
    int n = 0;
    while (true) {
      if (n == MAX_LENGTH_FIELD_SIZE) {
        throw s.corrupt(offset, "chunk length field longer than " + MAX_LENGTH_FIELD_SIZE + " bytes");
      }
      int b = s.u8(offset + n);
      n++;
      len |= (long) (b & 0x7F) << shift;
      shift += 7;
      if (b < 0x80) {
        break;
      }
    }
    if (len > Integer.MAX_VALUE - 16) {
      throw s.corrupt(offset, "chunk length " + len + " exceeds the largest chunk this reader holds");
    }
    long encPos = offset + n;
    long end = encPos + 1 + len + 4;
    if (end > s.length()) {
      throw s.corrupt(offset, "chunk record of " + len + " data bytes needs " + (end - offset)
          + " bytes, only " + (s.length() - offset) + " remain in the segment");
    }
    Crc32c.verify(s, encPos, 1 + len, encPos + 1 + len);
    ChunkEncoding e = ChunkEncoding.fromWireByte(s.u8(encPos), s.description(), s.origin() + encPos);
    return new Record(seg, offset, e, encPos + 1, (int) len, end);
  }

  /**
   * The chunk at {@code ref}, its CRC verified; the bytes are copied out of the segment.
   *
   * @throws CorruptFormatException if the reference points outside the segments, or the record
   *     is truncated, fails its CRC, or names an unknown encoding
   */
  public Chunk chunk(long ref) throws CorruptFormatException {
    long seg = BlockChunkRef.segmentIndex(ref);
    if (seg >= segments.size()) {
      String where = segments.isEmpty() ? "<no chunk segments>" : segments.get(0).description();
      throw new CorruptFormatException(where, CorruptFormatException.NO_OFFSET,
          "chunk reference " + BlockChunkRef.toString(ref) + ": segment index " + seg
              + " out of range, " + segments.size() + " segments");
    }
    Record r = record((int) seg, BlockChunkRef.offset(ref));
    return toChunk(r);
  }

  private Chunk toChunk(Record r) throws CorruptFormatException {
    ByteSource s = segments.get(r.segment());
    byte[] data = s.toByteArray(r.dataOffset(), r.dataLength());
    String resource = s.description() + " [chunk " + BlockChunkRef.toString(BlockChunkRef.of(r.segment(), r.offset()))
        + ", CRC32C verified]";
    return Chunk.wrap(r.encoding(), data, 0, data.length, resource, s.origin() + r.dataOffset());
  }

  /** Receives the chunks of {@link #forEachChunk}. */
  @FunctionalInterface
  public interface ChunkVisitor {
    void visit(long ref, Chunk chunk) throws IOException;
  }

  /** Every chunk of every segment in file order, CRCs verified. */
  public void forEachChunk(ChunkVisitor visitor) throws IOException {
    for (int seg = 0; seg < segments.size(); seg++) {
      ByteSource s = segments.get(seg);
      long off = HEADER_SIZE;
      while (off < s.length()) {
        Record r = record(seg, off);
        visitor.visit(BlockChunkRef.of(seg, off), toChunk(r));
        off = r.end();
      }
    }
  }

  /** References of all chunks, in file order. */
  public List<Long> refs() throws IOException {
    List<Long> out = new ArrayList<>();
    forEachChunk((ref, c) -> out.add(ref));
    return out;
  }

  /**
   * Verifies every segment completely: header (including zero padding, which readers otherwise
   * ignore), every record's length, encoding and CRC, that the records end exactly at the end of
   * the file, and, if {@code decodeChunks}, that every chunk decodes. Reads every byte.
   */
  public void checkIntegrity(boolean decodeChunks) throws IOException {
    ChunkIterator it = null;
    for (int seg = 0; seg < segments.size(); seg++) {
      ByteSource s = segments.get(seg);
      checkHeader(s);
      for (int i = 5; i < HEADER_SIZE; i++) {
        if (s.get(i) != 0) {
          throw s.mismatch(i, "segment header padding", s.u8(i), 0);
        }
      }
      long off = HEADER_SIZE;
      while (off < s.length()) {
        Record r = record(seg, off);
        if (decodeChunks) {
          Chunk c = toChunk(r);
          it = c.iterator(it);
          while (it.next() != ValueType.NONE) {
            // Decoding is the check.
          }
        }
        off = r.end();
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
