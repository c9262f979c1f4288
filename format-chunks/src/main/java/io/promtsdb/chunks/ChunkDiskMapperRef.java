package io.promtsdb.chunks;

/**
 * Reference of a chunk in the head chunk files ({@code chunks_head/}), Go's
 * {@code chunks.ChunkDiskMapperRef}: {@code fileNumber << 32 | offset}. Unlike
 * {@link BlockChunkRef}, the high half is the real number in the file name ({@code 000003} is
 * 3), and the offset is that of the record's series reference. WBL {@code MmapMarkers} records
 * store these.
 */
public final class ChunkDiskMapperRef {
  private ChunkDiskMapperRef() {}

  public static long of(long fileNumber, long offset) {
    if (fileNumber < 0 || fileNumber > 0xFFFFFFFFL || offset < 0 || offset > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("file " + fileNumber + ", offset " + offset);
    }
    return (fileNumber << 32) | offset;
  }

  public static long fileNumber(long ref) {
    return ref >>> 32;
  }

  public static long offset(long ref) {
    return ref & 0xFFFFFFFFL;
  }

  public static String toString(long ref) {
    return String.format("0x%016x (file %06d, offset %d)", ref, fileNumber(ref), offset(ref));
  }
}
