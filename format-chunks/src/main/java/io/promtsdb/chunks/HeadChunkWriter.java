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
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Writes head chunk files ({@code chunks_head/}), byte for byte as the write side of Go's
 * {@code ChunkDiskMapper} (see {@link HeadChunkReader} for the layout).
 *
 * <p>As in Prometheus: the first write after opening starts a new file numbered after the
 * highest existing one; a new file is also started when the record would take the file past
 * 128 MiB, or after {@link #cutNewFile()} (what head truncation does). New files are extended
 * to the preallocation size with zeros (128 KiB, Prometheus' value on every OS but Windows,
 * where it is 128 MiB) and never truncated, so a file is as long as its data or the
 * preallocation, whichever is larger. Opening a directory whose last file is shorter than 4
 * bytes or has a zero magic deletes that file, as Go does.
 */
public final class HeadChunkWriter implements Closeable {
  /** {@code HeadChunkFilePreallocationSize} on non-Windows systems: 128 KiB. */
  public static final long DEFAULT_PREALLOCATION = 128 * 1024;

  private final Path dir;
  private final long preallocation;
  private final long maxFileSize;
  private long seq;
  private long offset;
  private boolean cutRequested;
  private FileChannel channel;
  private ByteBuffer out;
  private final byte[] meta = new byte[HeadChunkReader.MAX_META_SIZE];
  private final CRC32C crc = new CRC32C();

  private HeadChunkWriter(Path dir, long preallocation, long maxFileSize, long seq) {
    this.dir = dir;
    this.preallocation = preallocation;
    this.maxFileSize = maxFileSize;
    this.seq = seq;
  }

  /** A writer continuing the head chunk files of {@code dir} (created if missing). */
  public static HeadChunkWriter open(Path dir) throws IOException {
    return open(dir, DEFAULT_PREALLOCATION);
  }

  /** A writer with another preallocation size (Prometheus on Windows: 128 MiB). */
  public static HeadChunkWriter open(Path dir, long preallocation) throws IOException {
    return open(dir, preallocation, HeadChunkReader.MAX_FILE_SIZE);
  }

  /** For tests of file rotation: a smaller maximum file size. */
  static HeadChunkWriter open(Path dir, long preallocation, long maxFileSize) throws IOException {
    Files.createDirectories(dir);
    SortedMap<Long, Path> files = new TreeMap<>();
    for (Path p : ChunkSegmentReader.sequenceFiles(dir)) {
      files.put(Long.parseUnsignedLong(p.getFileName().toString()), p);
    }
    if (!files.isEmpty() && files.lastKey() > 0) {
      Path last = files.get(files.lastKey());
      byte[] head = new byte[4];
      int got;
      try (var in = Files.newInputStream(last)) {
        got = in.readNBytes(head, 0, 4);
      }
      if (got < 4 || (head[0] | head[1] | head[2] | head[3]) == 0) {
        Files.delete(last);
        files.remove(files.lastKey());
      }
    }
    return new HeadChunkWriter(dir, preallocation, maxFileSize, files.isEmpty() ? 0 : files.lastKey());
  }

  /**
   * Writes one chunk and returns its {@link ChunkDiskMapperRef}. {@code maxt} is the time of the
   * chunk's last sample (inclusive).
   */
  public long writeChunk(long seriesRef, long mint, long maxt, Chunk chunk, boolean outOfOrder)
      throws IOException {
    int len = chunk.length();
    long bytes = 8 + 16 + 1 + Varints.uvarintSize(len) + (long) len + 4;
    if (cutRequested || offset == 0 || offset + bytes > maxFileSize) {
      cut();
    }
    long ref = ChunkDiskMapperRef.of(seq, offset);
    BigEndian.putLong(meta, 0, seriesRef);
    BigEndian.putLong(meta, 8, mint);
    BigEndian.putLong(meta, 16, maxt);
    int enc = chunk.encoding().wireByte() | (outOfOrder ? ChunkEncoding.OUT_OF_ORDER_FLAG : 0);
    meta[24] = (byte) enc;
    int m = Varints.putUvarint(meta, 25, len);
    crc.reset();
    crc.update(meta, 0, m);
    crc.update(chunk.array(), chunk.offset(), len);
    put(meta, 0, m);
    put(chunk.array(), chunk.offset(), len);
    BigEndian.putInt(meta, 0, (int) crc.getValue());
    put(meta, 0, 4);
    offset += bytes;
    return ref;
  }

  /** The next chunk goes into a new file (Go's {@code CutNewFile}). */
  public void cutNewFile() {
    cutRequested = true;
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

  /** Writes buffered records to the current file. */
  public void flush() throws IOException {
    if (channel != null && out.position() > 0) {
      out.flip();
      while (out.hasRemaining()) {
        channel.write(out);
      }
      out.clear();
    }
  }

  private void cut() throws IOException {
    finishFile();
    seq++;
    Path file = dir.resolve(String.format("%06d", seq));
    Path tmp = dir.resolve(file.getFileName() + ".tmp");
    try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer header = ByteBuffer.allocate(HeadChunkReader.HEADER_SIZE);
      header.putInt(HeadChunkReader.MAGIC).put((byte) HeadChunkReader.FORMAT_V1).put(new byte[3]).flip();
      while (header.hasRemaining()) {
        c.write(header);
      }
      if (preallocation > HeadChunkReader.HEADER_SIZE) {
        // Extending the file leaves zeros, as Go's fallocate does.
        c.write(ByteBuffer.allocate(1), preallocation - 1);
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    ChunkSegmentWriter.syncDirectory(dir);
    channel = FileChannel.open(file, StandardOpenOption.WRITE);
    channel.position(HeadChunkReader.HEADER_SIZE);
    if (out == null) {
      out = ByteBuffer.allocate(1 << 20);
    }
    offset = HeadChunkReader.HEADER_SIZE;
    cutRequested = false;
  }

  private void finishFile() throws IOException {
    if (channel != null) {
      flush();
      channel.force(false);
      channel.close();
      channel = null;
    }
  }

  /** The number of the file being written (0 before the first write). */
  public long currentFileNumber() {
    return seq;
  }

  @Override
  public void close() throws IOException {
    finishFile();
  }
}
