package io.promtsdb.index;

import io.promtsdb.core.CorruptFormatException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Copies raw symbol table entries (uvarint length and bytes, which is exactly the
 * uvarint-str encoding of the tables that name labels) by reference, for references that
 * mostly ascend: each lookup walks on from the previous one when it is within reach.
 */
final class SymbolEntries {
  private final SymbolTable table;
  private long lastRef = -1;
  private long lastPos;
  private byte[] buf = new byte[64];

  SymbolEntries(SymbolTable table) {
    this.table = table;
  }

  /** Position of entry {@code ref} in the table payload. */
  private long position(long ref) throws CorruptFormatException {
    if (ref < 0 || ref >= table.count()) {
      throw new IllegalArgumentException("symbol reference " + ref + " out of range");
    }
    long pos;
    if (lastRef >= 0 && ref >= lastRef && ref - lastRef < IndexFormat.SAMPLE_FACTOR) {
      Cursor c = table.cursor(lastPos);
      for (long i = lastRef; i < ref; i++) {
        c.skipString();
      }
      pos = c.pos;
    } else {
      pos = table.positionOf((int) ref);
    }
    lastRef = ref;
    lastPos = pos;
    return pos;
  }

  /** Length of the entry at {@code pos}, length prefix included. */
  private int entryLength(long pos) throws CorruptFormatException {
    Cursor c = table.cursor(pos);
    int len = c.length();
    return (int) (c.pos - pos) + len;
  }

  void copyEntry(long ref, CrcBlock to) throws IOException {
    long pos = position(ref);
    to.copy(table.payload, pos, entryLength(pos));
  }

  void writeEntry(long ref, OutputStream to) throws IOException {
    long pos = position(ref);
    int len = entryLength(pos);
    if (buf.length < len) {
      buf = new byte[Math.max(len, buf.length * 2)];
    }
    table.payload.copyTo(pos, buf, 0, len);
    to.write(buf, 0, len);
  }
}
