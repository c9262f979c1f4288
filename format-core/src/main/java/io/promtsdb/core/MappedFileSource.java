package io.promtsdb.core;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.Checksum;

/**
 * A read-only memory-mapped file of any size.
 *
 * <p>A {@link ByteBuffer} addresses at most 2 GiB, while Prometheus index files grow to 64
 * GiB, so the file is mapped as consecutive chunks of {@code 2^chunkShift} bytes (1 GiB by
 * default) and a position is resolved as {@code chunks[pos >>> shift]} at {@code pos & mask},
 * the layout of Lucene's {@code MMapDirectory}. Multi-byte reads that straddle a chunk
 * boundary are assembled byte by byte.
 *
 * <p>Slices share the mapping. Java 17 has no supported way to unmap a buffer eagerly, so
 * {@link #close()} does nothing today: the operating system releases the mapping when the
 * last slice is garbage collected. Callers still close sources they open, so that a future
 * arena-based implementation can unmap deterministically; reads after close are undefined.
 */
public final class MappedFileSource implements ByteSource, Closeable {
  /** Default chunk size: 2^30 bytes. */
  public static final int DEFAULT_CHUNK_SHIFT = 30;

  private final String resource;
  private final String section;
  private final ByteBuffer[] chunks;
  private final int shift;
  private final long mask;
  private final long base;
  private final long length;

  private MappedFileSource(
      String resource, String section, ByteBuffer[] chunks, int shift, long base, long length) {
    this.resource = resource;
    this.section = section;
    this.chunks = chunks;
    this.shift = shift;
    this.mask = (1L << shift) - 1;
    this.base = base;
    this.length = length;
  }

  /** Maps the whole of {@code file} read-only, in chunks of 1 GiB. */
  public static MappedFileSource open(Path file) throws IOException {
    return open(file, DEFAULT_CHUNK_SHIFT);
  }

  /**
   * Maps the whole of {@code file} read-only, in chunks of {@code 2^chunkShift} bytes. Small
   * shifts exist for tests of reads across chunk boundaries.
   */
  public static MappedFileSource open(Path file, int chunkShift) throws IOException {
    if (chunkShift < 3 || chunkShift > 30) {
      throw new IllegalArgumentException("chunkShift must be in [3, 30]: " + chunkShift);
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      long chunkSize = 1L << chunkShift;
      int n = (int) ((size + chunkSize - 1) >>> chunkShift);
      ByteBuffer[] chunks = new ByteBuffer[Math.max(n, 1)];
      if (n == 0) {
        chunks[0] = ByteBuffer.allocate(0).asReadOnlyBuffer();
      }
      for (int i = 0; i < n; i++) {
        long start = (long) i << chunkShift;
        MappedByteBuffer mapped =
            channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(chunkSize, size - start));
        chunks[i] = mapped;
      }
      return new MappedFileSource(file.toString(), null, chunks, chunkShift, 0, size);
    }
  }

  @Override
  public String description() {
    return ByteSource.describe(resource, section);
  }

  @Override
  public long origin() {
    return base;
  }

  @Override
  public long length() {
    return length;
  }

  @Override
  public byte get(long pos) throws CorruptFormatException {
    if (pos < 0 || pos >= length) {
      checkRange(pos, 1);
    }
    long p = base + pos;
    return chunks[(int) (p >>> shift)].get((int) (p & mask));
  }

  @Override
  public int be16(long pos) throws CorruptFormatException {
    checkRange(pos, 2);
    long p = base + pos;
    int inChunk = (int) (p & mask);
    ByteBuffer chunk = chunks[(int) (p >>> shift)];
    if (inChunk <= chunk.limit() - 2) {
      return chunk.getShort(inChunk) & 0xFFFF;
    }
    return ByteSource.super.be16(pos);
  }

  @Override
  public int be32(long pos) throws CorruptFormatException {
    checkRange(pos, 4);
    long p = base + pos;
    int inChunk = (int) (p & mask);
    ByteBuffer chunk = chunks[(int) (p >>> shift)];
    if (inChunk <= chunk.limit() - 4) {
      return chunk.getInt(inChunk);
    }
    return ByteSource.super.be32(pos);
  }

  @Override
  public long be64(long pos) throws CorruptFormatException {
    checkRange(pos, 8);
    long p = base + pos;
    int inChunk = (int) (p & mask);
    ByteBuffer chunk = chunks[(int) (p >>> shift)];
    if (inChunk <= chunk.limit() - 8) {
      return chunk.getLong(inChunk);
    }
    return ByteSource.super.be64(pos);
  }

  @Override
  public void copyTo(long pos, byte[] dst, int off, int len) throws CorruptFormatException {
    checkRange(pos, len);
    long p = base + pos;
    while (len > 0) {
      ByteBuffer chunk = chunks[(int) (p >>> shift)];
      int inChunk = (int) (p & mask);
      int n = Math.min(len, chunk.limit() - inChunk);
      chunk.get(inChunk, dst, off, n);
      p += n;
      off += n;
      len -= n;
    }
  }

  @Override
  public ByteBuffer byteBuffer(long pos, int len) throws CorruptFormatException {
    checkRange(pos, len);
    if (len == 0) {
      return ByteBuffer.allocate(0).asReadOnlyBuffer();
    }
    long p = base + pos;
    int inChunk = (int) (p & mask);
    ByteBuffer chunk = chunks[(int) (p >>> shift)];
    if (inChunk > chunk.limit() - len) {
      return null;
    }
    // Slices of a read-only mapping are read-only and big-endian.
    return chunk.slice(inChunk, len);
  }

  @Override
  public void updateChecksum(Checksum checksum, long pos, long len) throws CorruptFormatException {
    checkRange(pos, len);
    long p = base + pos;
    while (len > 0) {
      ByteBuffer chunk = chunks[(int) (p >>> shift)];
      int inChunk = (int) (p & mask);
      int n = (int) Math.min(len, chunk.limit() - inChunk);
      checksum.update(chunk.slice(inChunk, n));
      p += n;
      len -= n;
    }
  }

  @Override
  public MappedFileSource slice(String newSection, long offset, long len)
      throws CorruptFormatException {
    checkRange(offset, len);
    return new MappedFileSource(
        resource, newSection == null ? section : newSection, chunks, shift, base + offset, len);
  }

  /** Number of mapped chunks (for tests and diagnostics). */
  public int chunkCount() {
    return chunks.length;
  }

  @Override
  public void close() {
    // Deliberately empty: see the class comment.
  }

  @Override
  public String toString() {
    return description() + " (" + length + " bytes mapped in " + chunks.length + " chunks)";
  }
}
