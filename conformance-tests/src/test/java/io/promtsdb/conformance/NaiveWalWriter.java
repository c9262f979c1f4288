package io.promtsdb.conformance;

import io.promtsdb.wal.RecordCodec;
import io.promtsdb.wal.WalRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * A small, independent, uncompressed WAL writer following Go's {@code wlog.WL.log}, with
 * switches that plant common mistakes. With every switch off it must write Go's segments; each
 * switch must make at least one case fail.
 */
final class NaiveWalWriter {
  static final int PAGE = 32 * 1024;
  static final int HEADER = 7;

  /** The fragment CRC32C also covers the 3 bytes of type and length. */
  boolean crcOverHeader;
  /** A fragment is started even when fewer than 7 bytes are left in the page. */
  boolean noPagePadding;

  private Path dir;
  private int segment;
  private ByteArrayOutputStream file;
  private final byte[] page = new byte[PAGE];
  private int alloc;
  private int donePages;
  private int pagesPerSegment;

  void write(Path dir, List<WalRecord> records, String compression, int segmentSize) throws IOException {
    if (!compression.equals("none")) {
      throw new UnsupportedOperationException("the naive writer writes uncompressed WALs only");
    }
    this.dir = Files.createDirectories(dir);
    this.pagesPerSegment = segmentSize / PAGE;
    segment = 0;
    file = new ByteArrayOutputStream();
    alloc = 0;
    donePages = 0;
    java.util.Arrays.fill(page, (byte) 0);
    for (WalRecord r : records) {
      log(RecordCodec.encode(r));
    }
    if (alloc > 0) {
      flushPage();
    }
    closeSegment();
  }

  private void log(byte[] rec) throws IOException {
    int left = (PAGE - alloc) - HEADER + (PAGE - HEADER) * (pagesPerSegment - donePages - 1);
    if (rec.length > left) {
      if (alloc > 0) {
        flushPage();
      }
      closeSegment();
      segment++;
      file = new ByteArrayOutputStream();
      donePages = 0;
    }
    int pos = 0;
    for (int i = 0; i == 0 || pos < rec.length; i++) {
      int room = PAGE - alloc - HEADER;
      if (noPagePadding && room < 0) {
        room = Math.max(1, rec.length - pos); // runs over the page: the mistake
      }
      int l = Math.min(rec.length - pos, room);
      boolean last = pos + l == rec.length;
      int type = i == 0 ? (last ? 1 : 2) : (last ? 4 : 3);
      byte[] frag = new byte[HEADER + l];
      frag[0] = (byte) type;
      frag[1] = (byte) (l >>> 8);
      frag[2] = (byte) l;
      System.arraycopy(rec, pos, frag, HEADER, l);
      CRC32C crc = new CRC32C();
      if (crcOverHeader) {
        crc.update(frag, 0, 3);
      }
      crc.update(rec, pos, l);
      int c = (int) crc.getValue();
      frag[3] = (byte) (c >>> 24);
      frag[4] = (byte) (c >>> 16);
      frag[5] = (byte) (c >>> 8);
      frag[6] = (byte) c;
      put(frag);
      pos += l;
      if (!noPagePadding && PAGE - alloc < HEADER) {
        flushPage();
      }
    }
  }

  private void put(byte[] frag) {
    for (byte x : frag) {
      if (alloc == PAGE) {
        flushPage();
      }
      page[alloc++] = x;
    }
  }

  /** Writes the page, zero-filled to its end. */
  private void flushPage() {
    file.write(page, 0, PAGE);
    java.util.Arrays.fill(page, (byte) 0);
    alloc = 0;
    donePages++;
  }

  private void closeSegment() throws IOException {
    Files.write(dir.resolve(String.format("%08d", segment)), file.toByteArray());
  }
}
