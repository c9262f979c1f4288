package io.promtsdb.wal;

import static io.promtsdb.wal.WalFormat.FIRST;
import static io.promtsdb.wal.WalFormat.FRAGMENT_HEADER_SIZE;
import static io.promtsdb.wal.WalFormat.FULL;
import static io.promtsdb.wal.WalFormat.LAST;
import static io.promtsdb.wal.WalFormat.MIDDLE;
import static io.promtsdb.wal.WalFormat.PAGE_SIZE;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.Crc32c;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Appends records to a segmented log, byte for byte as Prometheus' {@code wlog.WL} does.
 *
 * <p>Records go into a 32 KiB page buffer as fragments; a record is compressed whole first
 * (and stored raw if that does not make it smaller), then split into a FULL fragment or
 * FIRST, MIDDLE..., LAST fragments that never cross a page. A page with fewer than 7 bytes
 * left is zero-padded. The end of each {@link #log} batch writes the partial page to the file
 * (so a segment may end mid-page after a crash); finishing a segment or closing the writer
 * zero-pads the last page to 32 KiB. A record that does not fit in what is left of the
 * segment starts a new segment, so records never span segments; one larger than a whole
 * segment makes that segment larger. Opening a log always starts a new segment after the
 * last one, as Prometheus does.
 *
 * <p>Thread-safe: {@link #log} calls are serialized. Durability follows {@link SyncPolicy};
 * {@link #sync()} lets the engine group-commit on its own schedule.
 */
public final class WalWriter implements Closeable {
  private final Path dir;
  private final Options options;
  private final FileOps files;
  private final int pagesPerSegment;
  private final RecordCompressor compressor;
  private final CRC32C crc = new CRC32C();

  private final byte[] page = new byte[PAGE_SIZE];
  private int alloc;
  private int flushed;

  private SegmentFile file;
  private int segmentIndex;
  private int donePages;
  private boolean closed;
  private IOException failure;

  /** Writer settings. */
  public record Options(
      int segmentSize, Compression compression, SyncPolicy syncPolicy, FileOps files) {
    public Options {
      if (segmentSize <= 0 || segmentSize % PAGE_SIZE != 0) {
        throw new IllegalArgumentException(
            "segment size must be a positive multiple of " + PAGE_SIZE + ": " + segmentSize);
      }
      Objects.requireNonNull(compression);
      Objects.requireNonNull(syncPolicy);
      Objects.requireNonNull(files);
    }

    /** 128 MiB segments, the given compression, Prometheus' sync behaviour, java.nio. */
    public static Options defaults(Compression compression) {
      return new Options(
          WalFormat.DEFAULT_SEGMENT_SIZE, compression, SyncPolicy.ON_SEGMENT_END, FileOps.DEFAULT);
    }

    public Options withSegmentSize(int size) {
      return new Options(size, compression, syncPolicy, files);
    }

    public Options withSyncPolicy(SyncPolicy policy) {
      return new Options(segmentSize, compression, policy, files);
    }

    public Options withFiles(FileOps fileOps) {
      return new Options(segmentSize, compression, syncPolicy, fileOps);
    }

    public Options withCompression(Compression c) {
      return new Options(segmentSize, c, syncPolicy, files);
    }
  }

  private WalWriter(Path dir, Options options) {
    this.dir = dir;
    this.options = options;
    this.files = options.files();
    this.pagesPerSegment = options.segmentSize() / PAGE_SIZE;
    this.compressor =
        options.compression() == Compression.NONE ? null : new RecordCompressor(options.compression());
  }

  /**
   * Opens the log in {@code dir} (created if missing) for writing: a new segment numbered one
   * past the last existing one, or 0 (Go's {@code wlog.NewSize}).
   */
  public static WalWriter open(Path dir, Options options) throws IOException {
    WalWriter w = new WalWriter(dir, options);
    options.files().createDirectories(dir);
    List<Segments.SegmentRef> refs = Segments.list(dir, options.files());
    int next = refs.isEmpty() ? 0 : refs.get(refs.size() - 1).index() + 1;
    w.setSegment(next, options.files().openAppend(Segments.path(dir, next), true));
    return w;
  }

  /**
   * Opens a writer that starts at segment {@code index} exactly (which must not exist or be
   * empty). For rewriting a log segment by segment; the engine uses {@link #open}.
   */
  public static WalWriter openAt(Path dir, int index, Options options) throws IOException {
    WalWriter w = new WalWriter(dir, options);
    options.files().createDirectories(dir);
    w.setSegment(index, options.files().openAppend(Segments.path(dir, index), true));
    return w;
  }

  private void setSegment(int index, SegmentFile f) throws IOException {
    this.file = f;
    this.segmentIndex = index;
    this.donePages = (int) (f.size() / PAGE_SIZE);
  }

  public Path dir() {
    return dir;
  }

  public Compression compression() {
    return options.compression();
  }

  public Options options() {
    return options;
  }

  /** Number of the segment being written. */
  public synchronized int segment() {
    return segmentIndex;
  }

  /**
   * The active segment and the offset up to which it holds data, counting the unflushed part
   * of the page (Go's {@code LastSegmentAndOffset}; names memory snapshots).
   */
  public synchronized long[] lastSegmentAndOffset() {
    return new long[] {segmentIndex, (long) donePages * PAGE_SIZE + alloc};
  }

  /** Appends one record (a batch of one). */
  public void log(byte[] record) throws IOException {
    log(List.of(record));
  }

  /**
   * Appends a batch of records and writes them to the file: every page they filled, and the
   * partial page at the end. With {@link SyncPolicy#EVERY_BATCH} the segment is then synced.
   */
  public synchronized void log(List<byte[]> records) throws IOException {
    ensureOpen();
    try {
      for (int i = 0; i < records.size(); i++) {
        logOne(records.get(i), i == records.size() - 1);
      }
      if (options.syncPolicy() == SyncPolicy.EVERY_BATCH && !records.isEmpty()) {
        file.sync();
      }
    } catch (IOException e) {
      // As in Go, a failed write leaves the page in an unknown state: the log must be
      // reopened (and read, and repaired if needed) before it is written again.
      failure = e;
      throw e;
    }
  }

  public void log(byte[]... records) throws IOException {
    log(Arrays.asList(records));
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException(dir + ": write log is closed");
    }
    if (failure != null) {
      throw new IOException(dir + ": an earlier write failed; reopen the log", failure);
    }
  }

  private boolean pageFull() {
    return PAGE_SIZE - alloc < FRAGMENT_HEADER_SIZE;
  }

  private void logOne(byte[] rec, boolean last) throws IOException {
    if (pageFull()) {
      flushPage(true);
    }
    byte[] enc = rec;
    int encLen = rec.length;
    Compression c = Compression.NONE;
    if (compressor != null && rec.length > 0) {
      int n = compressor.compress(rec, 0, rec.length);
      // Keep the compressed form only if it saves at least one byte.
      if (n < rec.length) {
        enc = compressor.buffer();
        encLen = n;
        c = options.compression();
      }
    }
    long left = (PAGE_SIZE - alloc) - FRAGMENT_HEADER_SIZE;
    left += (long) (PAGE_SIZE - FRAGMENT_HEADER_SIZE) * (pagesPerSegment - donePages - 1);
    if (encLen > left) {
      nextSegmentLocked();
    }
    int off = 0;
    for (int i = 0; i == 0 || off < encLen; i++) {
      int l = Math.min(encLen - off, (PAGE_SIZE - alloc) - FRAGMENT_HEADER_SIZE);
      boolean end = off + l == encLen;
      int type = i == 0 ? (end ? FULL : FIRST) : (end ? LAST : MIDDLE);
      page[alloc] = (byte) (type | c.flag());
      BigEndian.putShort(page, alloc + 1, l);
      crc.reset();
      crc.update(enc, off, l);
      BigEndian.putInt(page, alloc + 3, (int) crc.getValue());
      System.arraycopy(enc, off, page, alloc + FRAGMENT_HEADER_SIZE, l);
      alloc += l + FRAGMENT_HEADER_SIZE;
      if (pageFull()) {
        flushPage(true);
      }
      off += l;
    }
    if (last && alloc > 0) {
      flushPage(false);
    }
  }

  /**
   * Writes the unwritten part of the page; with {@code forceClear}, or when the page is full,
   * zero-pads it to the end and starts a new page.
   */
  private void flushPage(boolean forceClear) throws IOException {
    boolean clear = forceClear || pageFull();
    if (clear) {
      alloc = PAGE_SIZE;
    }
    file.write(page, flushed, alloc - flushed);
    flushed = alloc;
    if (clear) {
      Arrays.fill(page, (byte) 0);
      alloc = 0;
      flushed = 0;
      donePages++;
    }
  }

  /**
   * Finishes the active segment (padding its last page if it holds data), syncs and closes
   * it, and starts the next one. Returns the new segment's number.
   */
  public synchronized int nextSegment() throws IOException {
    ensureOpen();
    return nextSegmentLocked();
  }

  private int nextSegmentLocked() throws IOException {
    if (alloc > 0) {
      flushPage(true);
    }
    SegmentFile prev = file;
    int next = segmentIndex + 1;
    setSegment(next, files.openAppend(Segments.path(dir, next), true));
    try {
      prev.sync();
    } finally {
      prev.close();
    }
    return next;
  }

  /** Forces the active segment's written bytes to stable storage. */
  public synchronized void sync() throws IOException {
    ensureOpen();
    file.sync();
  }

  /** Deletes every segment numbered below {@code index} (Go's {@code Truncate}). */
  public void truncate(int index) throws IOException {
    for (Segments.SegmentRef r : Segments.list(dir, files)) {
      if (r.index() >= index) {
        break;
      }
      files.delete(r.path());
    }
  }

  /**
   * Repairs the log after {@code corruption} was found while reading it, as Prometheus'
   * {@code WL.Repair} does: deletes every segment after the corrupted one (including the one
   * this writer had just started), rewrites the corrupted segment with the records that lie
   * wholly before the corruption, zero-pads its last page, and continues writing in a new
   * segment after it. Everything after the corruption is lost, by design: records may
   * depend on earlier ones.
   */
  public synchronized void repair(WalCorruptionException corruption) throws IOException {
    if (corruption.segment() < 0) {
      throw new IOException("corruption error does not specify position", corruption);
    }
    int bad = corruption.segment();
    file.close();
    for (Segments.SegmentRef r : Segments.list(dir, files)) {
      if (r.index() > bad) {
        files.delete(r.path());
      }
    }
    Path segPath = Segments.path(dir, bad);
    Path tmp = segPath.resolveSibling(segPath.getFileName() + ".repair");
    files.rename(segPath, tmp);
    Arrays.fill(page, (byte) 0);
    alloc = 0;
    flushed = 0;
    failure = null;
    setSegment(bad, files.openAppend(segPath, true));
    try (SegmentReader r = SegmentReader.open(tmp)) {
      while (true) {
        boolean more;
        try {
          more = r.next();
        } catch (WalCorruptionException expected) {
          break;
        }
        if (!more || r.offset() > corruption.recordOffset()) {
          break;
        }
        logOne(r.copyRecord(), true);
      }
    }
    // Go pads here even when nothing was written: the repaired segment is whole pages.
    flushPage(true);
    files.delete(tmp);
    file.sync();
    file.close();
    setSegment(bad + 1, files.openAppend(Segments.path(dir, bad + 1), true));
  }

  /**
   * Flushes and zero-pads the last page (if it holds data), syncs and closes the active
   * segment. A second call does nothing.
   */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (alloc > 0 && failure == null) {
        flushPage(true);
      }
      file.sync();
    } finally {
      file.close();
    }
  }

  static int crc32c(byte[] b, int off, int len) {
    return Crc32c.compute(b, off, len);
  }
}
