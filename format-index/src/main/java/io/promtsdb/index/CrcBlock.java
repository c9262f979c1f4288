package io.promtsdb.index;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Varints;
import java.io.IOException;
import java.util.zip.CRC32C;

/**
 * Writes the body of a section to a {@link FileSink} in 64 KiB blocks while computing its
 * CRC32C, so a section of any size is checksummed without holding it. {@link #position()}
 * includes the bytes not yet handed to the sink.
 */
final class CrcBlock {
  private final FileSink out;
  private final byte[] block = new byte[1 << 16];
  private int n;
  private final CRC32C crc = new CRC32C();
  private long length;

  CrcBlock(FileSink out) {
    this.out = out;
  }

  /** Starts a new checksummed body at the current position. */
  void begin() throws IOException {
    flush();
    crc.reset();
    length = 0;
  }

  long position() {
    return out.position() + n;
  }

  /** Bytes of the body so far. */
  long length() {
    return length + n;
  }

  void be32(int v) throws IOException {
    if (block.length - n < 4) {
      flush();
    }
    BigEndian.putInt(block, n, v);
    n += 4;
  }

  void uvarint(long v) throws IOException {
    if (block.length - n < Varints.MAX_LEN) {
      flush();
    }
    n = Varints.putUvarint(block, n, v);
  }

  void bytes(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      if (n == block.length) {
        flush();
      }
      int c = Math.min(len, block.length - n);
      System.arraycopy(b, off, block, n, c);
      n += c;
      off += c;
      len -= c;
    }
  }

  void copy(ByteSource src, long pos, int len) throws IOException, CorruptFormatException {
    while (len > 0) {
      if (n == block.length) {
        flush();
      }
      int c = Math.min(len, block.length - n);
      src.copyTo(pos, block, n, c);
      n += c;
      pos += c;
      len -= c;
    }
  }

  /** Hands buffered bytes to the sink, folding them into the checksum. */
  void flush() throws IOException {
    if (n > 0) {
      crc.update(block, 0, n);
      out.write(block, 0, n);
      length += n;
      n = 0;
    }
  }

  /** The CRC32C of the body so far (flushes). */
  int crc() throws IOException {
    flush();
    return (int) crc.getValue();
  }
}
