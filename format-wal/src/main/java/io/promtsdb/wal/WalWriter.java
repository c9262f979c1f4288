package io.promtsdb.wal;

import static io.promtsdb.wal.WalFormat.FIRST;
import static io.promtsdb.wal.WalFormat.FRAGMENT_HEADER_SIZE;
import static io.promtsdb.wal.WalFormat.FULL;
import static io.promtsdb.wal.WalFormat.LAST;
import static io.promtsdb.wal.WalFormat.MIDDLE;
import static io.promtsdb.wal.WalFormat.PAGE_SIZE;

import io.promtsdb.core.Crc32c;
import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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
 * <p>Pages are assembled in a direct buffer of {@link #BUFFER_PAGES} pages, written with one
 * {@code write(2)} when it is full and at the end of every batch (Go writes each page as it
 * fills: the bytes on disk are the same, and everything a batch holds has reached the
 * operating system when {@link #log} returns, as in Go).
 *
 * <p>Thread-safe: {@link #log} calls are serialized. Durability follows {@link SyncPolicy}.
 * With {@link SyncPolicy#ON_SEGMENT_END} a finished segment is synced and closed in the
 * background, so that writes do not wait for it (Go's {@code nextSegment(async=true)}); {@link
 * #close()} waits for those syncs, and a failed one fails the next call. {@link #sync()} lets
 * the engine group-commit on its own schedule.
 */
public final class WalWriter implements Closeable {
  private final Path dir;
  private final Options options;
  private final FileOps files;
  private final int pagesPerSegment;
  private final RecordCompressor compressor;
  private final CRC32C crc = new CRC32C();

  /** Pages assembled before one write: 1 MiB. */
  static final int BUFFER_PAGES = 32;

  private static final byte[] ZEROS = new byte[PAGE_SIZE];

  // [0, written): handed to the file; [written, pageStart + alloc): not yet; the active page
  // starts at pageStart and holds alloc bytes. Bytes past pageStart + alloc are stale.
  private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER_PAGES * PAGE_SIZE);
  private int pageStart;
  private int alloc;
  private int written;

  // Syncs and closes finished segments off the writing thread; created on first use.
  private ExecutorService syncer;
  // The first failure of a background sync; set by the syncer thread (which must not take
  // this writer's lock: close() holds it while waiting for the syncer).
  private final AtomicReference<IOException> syncFailure = new AtomicReference<>();

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
        logOne(records.get(i));
      }
      writePending();
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

  /**
   * Appends a batch of {@code count} records packed back to back in {@code buf}: record k is
   * {@code buf[ends[k-1], ends[k])} (the first starts at 0). The same as {@link #log(List)} on
   * copies of those slices, without the copies: an appender encodes its records into one
   * reused buffer before it takes the commit lock.
   */
  public synchronized void log(byte[] buf, int[] ends, int count) throws IOException {
    Objects.checkFromToIndex(0, count, ends.length);
    int prev = 0;
    for (int k = 0; k < count; k++) {
      if (ends[k] < prev || ends[k] > buf.length) {
        throw new IllegalArgumentException("record " + k + " ends at " + ends[k] + ", after " + prev);
      }
      prev = ends[k];
    }
    ensureOpen();
    try {
      int from = 0;
      for (int k = 0; k < count; k++) {
        logOne(buf, from, ends[k] - from);
        from = ends[k];
      }
      writePending();
      if (options.syncPolicy() == SyncPolicy.EVERY_BATCH && count > 0) {
        file.sync();
      }
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  private void ensureOpen() throws IOException {
    if (closed) {
      throw new IOException(dir + ": write log is closed");
    }
    if (failure != null) {
      throw new IOException(dir + ": an earlier write failed; reopen the log", failure);
    }
    IOException background = syncFailure.get();
    if (background != null) {
      throw new IOException(dir + ": an earlier segment could not be synced; reopen the log", background);
    }
  }

  private boolean pageFull() {
    return PAGE_SIZE - alloc < FRAGMENT_HEADER_SIZE;
  }

  private void logOne(byte[] rec) throws IOException {
    logOne(rec, 0, rec.length);
  }

  private void logOne(byte[] rec, int recOff, int recLen) throws IOException {
    if (pageFull()) {
      completePage();
    }
    byte[] enc = rec;
    int encOff = recOff;
    int encLen = recLen;
    Compression c = Compression.NONE;
    if (compressor != null && recLen > 0) {
      int n = compressor.compress(rec, recOff, recLen);
      // Keep the compressed form only if it saves at least one byte.
      if (n < recLen) {
        enc = compressor.buffer();
        encOff = 0;
        encLen = n;
        c = options.compression();
      }
    }
    long left = (PAGE_SIZE - alloc) - FRAGMENT_HEADER_SIZE;
    left += (long) (PAGE_SIZE - FRAGMENT_HEADER_SIZE) * (pagesPerSegment - donePages - 1);
    if (encLen > left) {
      nextSegmentLocked(options.syncPolicy() == SyncPolicy.ON_SEGMENT_END);
    }
    final ByteBuffer b = buf;
    int off = 0;
    for (int i = 0; i == 0 || off < encLen; i++) {
      int l = Math.min(encLen - off, (PAGE_SIZE - alloc) - FRAGMENT_HEADER_SIZE);
      boolean end = off + l == encLen;
      int type = i == 0 ? (end ? FULL : FIRST) : (end ? LAST : MIDDLE);
      int at = pageStart + alloc;
      crc.reset();
      crc.update(enc, encOff + off, l);
      b.put(at, (byte) (type | c.flag()));
      b.putShort(at + 1, (short) l);
      b.putInt(at + 3, (int) crc.getValue());
      b.put(at + FRAGMENT_HEADER_SIZE, enc, encOff + off, l);
      alloc += l + FRAGMENT_HEADER_SIZE;
      if (pageFull()) {
        completePage();
      }
      off += l;
    }
  }

  /**
   * Zero-pads the active page to its end and starts the next one (Go's {@code
   * flushPage(clear=true)}); writes the buffer when it is full.
   */
  private void completePage() throws IOException {
    int at = pageStart + alloc;
    buf.put(at, ZEROS, 0, PAGE_SIZE - alloc);
    pageStart += PAGE_SIZE;
    alloc = 0;
    donePages++;
    if (pageStart == buf.capacity()) {
      writePending();
      pageStart = 0;
      written = 0;
    }
  }

  /** Writes every assembled byte not yet written, the partial active page included. */
  private void writePending() throws IOException {
    int end = pageStart + alloc;
    if (written < end) {
      file.write(buf.slice(written, end - written));
      written = end;
    }
  }

  /**
   * Finishes the active segment (padding its last page if it holds data), syncs and closes
   * it, and starts the next one. Returns the new segment's number.
   */
  public synchronized int nextSegment() throws IOException {
    ensureOpen();
    try {
      return nextSegmentLocked(false);
    } catch (IOException e) {
      failure = e;
      throw e;
    }
  }

  private int nextSegmentLocked(boolean async) throws IOException {
    if (alloc > 0) {
      completePage();
    }
    writePending();
    SegmentFile prev = file;
    int prevIndex = segmentIndex;
    int next = segmentIndex + 1;
    setSegment(next, files.openAppend(Segments.path(dir, next), true));
    if (async) {
      syncer().execute(() -> syncAndClose(prev, prevIndex));
    } else {
      try {
        prev.sync();
      } finally {
        prev.close();
      }
    }
    return next;
  }

  private ExecutorService syncer() {
    if (syncer == null) {
      String name = "promtsdb-wal-sync " + dir;
      syncer =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
              });
    }
    return syncer;
  }

  /** Runs on the syncer thread: a failure fails the writer's next call. */
  private void syncAndClose(SegmentFile prev, int index) {
    IOException err = null;
    try {
      prev.sync();
    } catch (IOException e) {
      err = e;
    }
    try {
      prev.close();
    } catch (IOException e) {
      if (err == null) {
        err = e;
      }
    }
    if (err != null) {
      syncFailure.compareAndSet(
          null,
          new IOException(
              Segments.fileName(dir.toString(), index) + ": sync of finished segment failed", err));
    }
  }

  /** Waits until every finished segment handed to the syncer is synced and closed. */
  private void awaitSyncs() throws IOException {
    if (syncer == null) {
      return;
    }
    ExecutorService s = syncer;
    syncer = null;
    s.shutdown();
    try {
      while (!s.awaitTermination(1, TimeUnit.MINUTES)) {
        // Keep waiting: returning early would let close() report a log that is not durable.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(dir + ": interrupted while syncing finished segments");
    }
  }

  /**
   * Forces everything written so far to stable storage: the active segment, and finished
   * segments whose background sync is still running (waited for).
   */
  public synchronized void sync() throws IOException {
    ensureOpen();
    if (syncer != null) {
      try {
        // The syncer runs tasks in order: once this one ran, every earlier one has.
        syncer.submit(() -> {}).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(dir + ": interrupted while syncing finished segments");
      } catch (ExecutionException e) {
        throw new AssertionError("an empty task cannot fail", e);
      }
      ensureOpen();
    }
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
    awaitSyncs();
    file.close();
    for (Segments.SegmentRef r : Segments.list(dir, files)) {
      if (r.index() > bad) {
        files.delete(r.path());
      }
    }
    Path segPath = Segments.path(dir, bad);
    Path tmp = segPath.resolveSibling(segPath.getFileName() + ".repair");
    files.rename(segPath, tmp);
    pageStart = 0;
    alloc = 0;
    written = 0;
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
        logOne(r.copyRecord());
        writePending();
      }
    }
    // Go pads here even when nothing was written: the repaired segment is whole pages.
    completePage();
    writePending();
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
      awaitSyncs();
      if (failure == null) {
        if (alloc > 0) {
          completePage();
        }
        writePending();
      }
      file.sync();
    } finally {
      file.close();
    }
    IOException background = syncFailure.get();
    if (background != null) {
      throw background;
    }
  }

  static int crc32c(byte[] b, int off, int len) {
    return Crc32c.compute(b, off, len);
  }
}
