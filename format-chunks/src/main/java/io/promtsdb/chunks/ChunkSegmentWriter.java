package io.promtsdb.chunks;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.Varints;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Writes a block's chunk segment files, byte for byte and cut for cut as Go's
 * {@code chunks.Writer}: files {@code 000001}, {@code 000002}, ... in a fresh directory, each
 * starting with the 8-byte header, and records {@code uvarint len | encoding | data | CRC32C}.
 *
 * <p>{@link #writeChunks} takes the chunks of one series (Prometheus writes series in index
 * order); a batch moves to a new segment when adding a chunk (counted as 5 + 1 + len + 4 bytes)
 * would make the segment exceed the segment size, except that the first chunk of a call always
 * fits a fresh segment, so one huge chunk may exceed the size. Go preallocates each segment and
 * truncates it on close; this writer writes the same bytes without preallocating.
 */
public final class ChunkSegmentWriter implements Closeable {
  /** {@code DefaultChunkSegmentSize}: 512 MiB. */
  public static final long DEFAULT_SEGMENT_SIZE = 512L * 1024 * 1024;
  private static final int CRC_SIZE = 4;

  private final Path dir;
  private final long segmentSize;
  private final List<Path> files = new ArrayList<>();
  private FileChannel channel;
  private final ByteBuffer out = ByteBuffer.allocate(1 << 20);
  /** Bytes in the current segment, header included; 0 before the first segment. */
  private long n;
  private final byte[] buf = new byte[Varints.MAX_LEN + 1];
  private final CRC32C crc = new CRC32C();

  private ChunkSegmentWriter(Path dir, long segmentSize) {
    this.dir = dir;
    this.segmentSize = segmentSize <= 0 ? DEFAULT_SEGMENT_SIZE : segmentSize;
  }

  /** A writer into {@code dir} (created if missing) with the default 512 MiB segments. */
  public static ChunkSegmentWriter create(Path dir) throws IOException {
    return create(dir, DEFAULT_SEGMENT_SIZE);
  }

  /** A writer with segments of {@code segmentSize} bytes (0 or less: the default). */
  public static ChunkSegmentWriter create(Path dir, long segmentSize) throws IOException {
    Files.createDirectories(dir);
    return new ChunkSegmentWriter(dir, segmentSize);
  }

  /**
   * Writes the chunks of one series and returns their {@link BlockChunkRef}s, in order. The
   * segment index of a reference counts the files this writer created, as in Go (so the
   * directory should start empty).
   */
  public long[] writeChunks(List<Chunk> chunks) throws IOException {
    // Go's batching: indices at which a new segment starts.
    List<Integer> cuts = new ArrayList<>();
    long batchSize = 0;
    boolean firstBatch = true;
    for (int i = 0; i < chunks.size(); i++) {
      long chkSize = ChunkSegmentReader.MAX_LENGTH_FIELD_SIZE + 1L + chunks.get(i).length() + CRC_SIZE;
      batchSize += chkSize;
      boolean cut = i != 0 && batchSize + ChunkSegmentReader.HEADER_SIZE > segmentSize;
      if (firstBatch && n > ChunkSegmentReader.HEADER_SIZE) {
        cut = batchSize + n > segmentSize;
        if (cut) {
          firstBatch = false;
        }
      }
      if (cut) {
        cuts.add(i);
        batchSize = chkSize;
      }
    }
    if (n == 0) {
      cut();
    }
    long[] refs = new long[chunks.size()];
    int next = 0;
    for (int i = 0; i < chunks.size(); i++) {
      if (next < cuts.size() && cuts.get(next) == i) {
        cut();
        next++;
      }
      refs[i] = write(chunks.get(i));
    }
    return refs;
  }

  private long write(Chunk c) throws IOException {
    long ref = BlockChunkRef.of(files.size() - 1, n);
    int len = Varints.putUvarint(buf, 0, c.length());
    buf[len] = c.encoding().wireByte();
    put(buf, 0, len + 1);
    put(c.array(), c.offset(), c.length());
    crc.reset();
    crc.update(buf, len, 1);
    crc.update(c.array(), c.offset(), c.length());
    BigEndian.putInt(buf, 0, (int) crc.getValue());
    put(buf, 0, CRC_SIZE);
    n += len + 1 + c.length() + CRC_SIZE;
    return ref;
  }

  /** Closes the current segment and starts the next file (Go's {@code cut}). */
  private void cut() throws IOException {
    finishTail();
    long seq = 0;
    try (var s = Files.list(dir)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String name = p.getFileName().toString();
        if (ChunkSegmentReader.isSequenceNumber(name)) {
          seq = Math.max(seq, Long.parseUnsignedLong(name));
        }
      }
    }
    Path file = dir.resolve(String.format("%06d", seq + 1));
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    byte[] header = new byte[ChunkSegmentReader.HEADER_SIZE];
    BigEndian.putInt(header, 0, ChunkSegmentReader.MAGIC);
    header[4] = ChunkSegmentReader.FORMAT_V1;
    try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer h = ByteBuffer.wrap(header);
      while (h.hasRemaining()) {
        c.write(h);
      }
      c.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(dir);
    channel = FileChannel.open(file, StandardOpenOption.WRITE);
    channel.position(ChunkSegmentReader.HEADER_SIZE);
    files.add(file);
    n = ChunkSegmentReader.HEADER_SIZE;
  }

  private void put(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (!out.hasRemaining()) {
        flush();
      }
      int n = Math.min(len, out.remaining());
      out.put(b, off, n);
      off += n;
      len -= n;
    }
  }

  private void flush() throws IOException {
    out.flip();
    while (out.hasRemaining()) {
      channel.write(out);
    }
    out.clear();
  }

  /** Flushes, syncs and closes the current segment (Go's {@code finalizeTail}). */
  private void finishTail() throws IOException {
    if (channel != null) {
      flush();
      channel.force(true);
      channel.close();
      channel = null;
    }
  }

  /** Makes a new file name durable (Go syncs the directory); not possible on every platform. */
  static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Windows cannot open directories; Prometheus does not sync them there either.
    }
  }

  /** The segment files written so far. */
  public List<Path> files() {
    return List.copyOf(files);
  }

  @Override
  public void close() throws IOException {
    finishTail();
  }
}
