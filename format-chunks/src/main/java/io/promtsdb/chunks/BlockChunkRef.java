package io.promtsdb.chunks;

/**
 * Reference of a chunk in a block's chunk segment files (Go's {@code chunks.BlockChunkRef}), as
 * stored in the index: {@code segmentIndex << 32 | offset}. The segment index is the 0-based
 * position of the file in the sorted list of segment files, not the number in its name (file
 * {@code 000001} is index 0); the offset is that of the record's length field.
 */
public final class BlockChunkRef {
  private BlockChunkRef() {}

  public static long of(int segmentIndex, long offset) {
    if (segmentIndex < 0 || offset < 0 || offset > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("segment " + segmentIndex + ", offset " + offset);
    }
    return ((long) segmentIndex << 32) | offset;
  }

  /** The 0-based segment index (the high 32 bits, unsigned). */
  public static long segmentIndex(long ref) {
    return ref >>> 32;
  }

  /** The byte offset of the record in its segment (the low 32 bits). */
  public static long offset(long ref) {
    return ref & 0xFFFFFFFFL;
  }

  public static String toString(long ref) {
    // Built by hand: String.format costs more than reading the chunk it describes, and every
    // chunk read from a block carries this description.
    String hex = Long.toHexString(ref);
    StringBuilder b = new StringBuilder(56).append("0x");
    for (int i = hex.length(); i < 16; i++) {
      b.append('0');
    }
    return b.append(hex).append(" (segment ").append(segmentIndex(ref)).append(", offset ").append(offset(ref)).append(')').toString();
  }
}
