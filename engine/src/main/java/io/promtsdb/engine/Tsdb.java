package io.promtsdb.engine;

import io.promtsdb.chunks.HeadChunkWriter;
import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import io.promtsdb.index.Postings;
import io.promtsdb.tombstones.Interval;
import io.promtsdb.wal.RecordCodec;
import io.promtsdb.wal.Refs;
import io.promtsdb.wal.SegmentReader;
import io.promtsdb.wal.Segments;
import io.promtsdb.wal.WalCorruptionException;
import io.promtsdb.wal.WalRecord;
import io.promtsdb.wal.WalWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;

/**
 * A Prometheus data directory opened for reading and writing (Go's {@code tsdb.DB}): the blocks,
 * and a head that takes appends, writes them to the WAL before they become visible, cuts head
 * chunks as Prometheus does and writes full ones to {@code chunks_head/}. Opening replays the
 * head (memory snapshot, checkpoint, WAL segments, head chunk files, WBL) and repairs a torn
 * WAL tail as Prometheus' {@code wlog.Repair} does.
 *
 * <pre>{@code
 * try (Tsdb db = Tsdb.open(Path.of("data"), TsdbOptions.defaults())) {
 *   try (Appender app = db.appender()) {
 *     app.append(Labels.of("__name__", "up", "job", "api"), System.currentTimeMillis(), 1);
 *     app.commit();
 *   }
 *   try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
 *     SeriesSet ss = q.select(true, MetricSelectors.parse("up"));
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Concurrency: appenders are independent until commit; commits are serialized (WAL write,
 * then the in-memory apply under the head's write lock). A querier sees the commits finished
 * when it was created and none after (read isolation, per series, like Prometheus' isolation
 * rings); out-of-order samples are not isolated, as in Prometheus.
 *
 * <p>The directory is locked ({@code lock} file) while open, as Prometheus does.
 */
public final class Tsdb implements Closeable {
  private final Path dir;
  private final TsdbOptions opts;
  private final ReadOnlyDb blocksDb;
  private volatile List<Block> blocks;
  /** Blocks deleted from disk while open; closed with the database. */
  private final List<Block> retiredBlocks = new ArrayList<>();
  final Head head;
  final WalWriter wal;
  /** The out-of-order WBL; null while no out-of-order window was ever configured. Set once at open. */
  WalWriter wbl;
  final HeadChunkWriter chunkWriter;
  private final ExemplarStorage exemplars;
  private final FileChannel lockChannel;
  private final FileLock lock;

  /** Guards head structures against readers: appliers take the write lock briefly. */
  final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
  /** Serializes commits, rollbacks' WAL writes, deletes and snapshots. */
  final ReentrantLock commitLock = new ReentrantLock();
  /** Out-of-order inserts and their WBL records (HeadCommitter.applyOutOfOrder); before the head chunk writer. */
  final Object wblLock = new Object();
  private final Isolation isolation = new Isolation();
  /** Open head queriers' time ranges: head truncation waits for those it would cut under. */
  final PendingReads pendingReads = new PendingReads();
  private final HeadCommitter committer;
  private final HeadCompaction headCompaction;
  /** Next series reference; guarded by the write lock of {@link #rw}. */
  private long nextSeriesRef;
  private final long chunkRange;
  private volatile boolean closed;
  private final WalWriter.Options walOptions;
  private final java.util.concurrent.ScheduledExecutorService compactor;
  private final java.util.concurrent.atomic.AtomicBoolean compactionQueued = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile IOException lastCompactionError;
  private static final System.Logger LOG = System.getLogger(Tsdb.class.getName());
  final EngineCounters counters = new EngineCounters();
  /** The out-of-order window in milliseconds (0: out-of-order samples are rejected). */
  final long oooWindowMillis;
  /** Pending-sample buffers of appenders, reused across transactions. */
  final AppendBuffer.Pool appendBuffers = new AppendBuffer.Pool(64);
  TimedFileOps timedFiles;

  private Tsdb(Path dir, TsdbOptions opts, ReadOnlyDb blocksDb, List<Block> blocks, Head head, WalWriter wal,
      HeadChunkWriter chunkWriter, ExemplarStorage exemplars, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.opts = opts;
    this.blocksDb = blocksDb;
    this.blocks = blocks;
    this.head = head;
    this.wal = wal;
    this.chunkWriter = chunkWriter;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.exemplars = exemplars;
    this.chunkRange = opts.minBlockDuration().toMillis();
    this.oooWindowMillis = opts.outOfOrderTimeWindow().toMillis();
    this.nextSeriesRef = head.lastSeriesRef + 1;
    this.walOptions = wal.options();
    this.committer = new HeadCommitter(this, head, isolation, exemplars);
    this.headCompaction = new HeadCompaction(this, head, chunkRange, walOptions);
    if (opts.enableCompaction()) {
      this.compactor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "promtsdb-compaction " + dir);
        t.setDaemon(true);
        return t;
      });
      // Prometheus' db.run: every minute (and on appends that make the head compactable).
      compactor.scheduleWithFixedDelay(this::backgroundCompaction, 1, 1, java.util.concurrent.TimeUnit.MINUTES);
    } else {
      this.compactor = null;
    }
  }

  /**
   * Opens (creating if needed) the data directory {@code dir}: blocks, then the head replayed
   * from it, then a new WAL segment to write to.
   *
   * @throws IOException if the directory is locked by another process, a block or checkpoint
   *     is corrupt, or files cannot be written; a torn WAL tail is not an error (it is repaired)
   */
  public static Tsdb open(Path dir, TsdbOptions opts) throws IOException {
    Files.createDirectories(dir);
    FileChannel ch = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lk;
    try {
      lk = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lk = null;
    }
    if (lk == null) {
      ch.close();
      throw new IOException("lock DB directory: " + dir + " is in use by another process");
    }
    ReadOnlyDb rodb = null;
    Head head = null;
    WalWriter wal = null;
    HeadChunkWriter cw = null;
    try {
      removeTemporaryDirs(dir);
      rodb = ReadOnlyDb.open(dir);
      List<Block> blocks = rodb.blocks();
      // Go's inOrderBlocksMaxTime: blocks compacted from out-of-order data do not bound the head.
      long minValidTime = Long.MIN_VALUE;
      for (Block b : blocks) {
        if (!b.meta().compaction().fromOutOfOrder() && b.meta().maxTime() > minValidTime) {
          minValidTime = b.meta().maxTime();
        }
      }
      ReadOnlyDb.Options ro = ReadOnlyDb.Options.DEFAULT.withChunkSnapshot(opts.enableMemorySnapshotOnShutdown())
          .withWalReplayConcurrency(opts.walReplayConcurrency());
      // Exemplars of the WAL and the memory snapshot are restored as Prometheus does.
      ExemplarStorage exemplars = opts.maxExemplars() > 0 ? new ExemplarStorage(opts.maxExemplars()) : null;
      head = Head.replay(dir, minValidTime, ro,
          new MemSeries.ChunkOpts(opts.minBlockDuration().toMillis(), opts.samplesPerChunk()), exemplars);
      TimedFileOps timed = new TimedFileOps(opts.fileOps());
      WalWriter.Options wo = new WalWriter.Options(opts.walSegmentSize(), opts.walCompression(),
          opts.walSyncPolicy(), timed);
      wal = WalWriter.open(dir.resolve("wal"), wo);
      if (head.walCorruptSegment >= 0) {
        repair(wal, head.walCorruptSegment);
      }
      cw = HeadChunkWriter.open(dir.resolve("chunks_head"));
      Tsdb db = new Tsdb(dir, opts, rodb, blocks, head, wal, cw, exemplars, ch, lk);
      db.timedFiles = timed;
      if (head.wblCorruptSegment >= 0 || Files.isDirectory(dir.resolve("wbl")) || !opts.outOfOrderTimeWindow().isZero()) {
        db.wbl = WalWriter.open(dir.resolve("wbl"), wo);
        if (head.wblCorruptSegment >= 0) {
          repair(db.wbl, head.wblCorruptSegment);
        }
      }
      // Prometheus writes the chunks cut during replay as it goes; here they are written after
      // it, and the time counts as WAL replay so that the durations compare.
      long persistStart = System.nanoTime();
      db.persistReplayedChunks();
      head.report = head.report.withWalTimeAdded(java.time.Duration.ofNanos(System.nanoTime() - persistStart));
      LOG.log(System.Logger.Level.INFO, "WAL replay completed: " + dir + " "
          + head.report.durations().logFields());
      return db;
    } catch (IOException | RuntimeException e) {
      closeQuietly(e, cw, wal, head, rodb, lk, ch);
      throw e;
    }
  }

  private static void closeQuietly(Throwable t, AutoCloseable... cs) {
    for (AutoCloseable c : cs) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          t.addSuppressed(e);
        }
      }
    }
  }

  /** Go's {@code removeBestEffortTmpDirs}: leftovers of interrupted block writes and deletions. */
  private static void removeTemporaryDirs(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        String n = p.getFileName().toString();
        if (Files.isDirectory(p) && (n.endsWith(".tmp-for-creation") || n.endsWith(".tmp-for-deletion"))) {
          deleteRecursively(p);
        }
      }
    }
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(q);
      }
    }
  }

  /**
   * Go's {@code wlog.Repair} after replay stopped at a torn or corrupt record in segment {@code
   * seg}: the corruption is found again, the segment cut before it, later segments deleted.
   */
  private static void repair(WalWriter w, int seg) throws IOException {
    Path p = Segments.path(w.dir(), seg);
    WalCorruptionException found = null;
    try (SegmentReader r = SegmentReader.open(p)) {
      while (r.next()) {
        // read up to the corruption
      }
    } catch (WalCorruptionException e) {
      found = e;
    }
    if (found == null) {
      // The segment reads cleanly on its own: the problem was a record split across segments.
      long size = Files.size(p);
      found = new WalCorruptionException(w.dir().toString(), seg, size, size, "record continues past the segment end", null);
    }
    w.repair(found);
  }

  /**
   * Chunks cut while replaying the WAL live only in memory; Prometheus writes them to the head
   * chunk files during replay. They are written now, in order after each series' chunks on
   * disk, so that the head chunk files keep covering a prefix of every series.
   */
  private void persistReplayedChunks() throws IOException {
    List<MemSeries> all = new ArrayList<>();
    head.series.forEachValue(all::add);
    for (MemSeries s : all) {
      s.mmapChunks();
      persistMmapped(s);
      s.committedMaxTime = s.maxTime();
    }
    chunkWriter.flush();
  }

  /** Writes the series' m-mapped chunks not yet in a head chunk file (at the end of its list). */
  void persistMmapped(MemSeries s) throws IOException {
    int first = s.mmappedChunks.size();
    while (first > 0 && s.mmappedChunks.get(first - 1).ref() == -1 && s.mmappedChunks.get(first - 1).chunk() != null) {
      first--;
    }
    for (int i = first; i < s.mmappedChunks.size(); i++) {
      MmappedChunk c = s.mmappedChunks.get(i);
      long ref = chunkWriter.writeChunk(s.ref, c.minTime(), c.maxTime(), c.chunk(), false);
      // The chunk stays in memory too: the head chunk file reader of the replay does not see new files.
      s.mmappedChunks.set(i, new MmappedChunk(ref, c.minTime(), c.maxTime(), c.numSamples(), c.chunk()));
    }
  }

  public Path dir() {
    return dir;
  }

  public TsdbOptions options() {
    return opts;
  }

  /** The blocks at open, sorted by min time. */
  public List<Block> blocks() {
    return blocks;
  }

  /** What the replay on open read, dropped and repaired. */
  public ReplayReport replayReport() {
    return head.replayReport();
  }

  /** Number of series in the head. */
  public int headSeries() {
    rw.readLock().lock();
    try {
      return head.numSeries();
    } finally {
      rw.readLock().unlock();
    }
  }

  /** Samples appended to the head since open (in order and out of order, floats and histograms). */
  public long samplesAppended() {
    return counters.samplesAppended();
  }

  /** A consistent copy of the engine's counters (what {@link #registerMetrics} exposes). */
  public Stats stats() {
    return counters.stats(head, blocks.size(), timedFiles);
  }

  /**
   * Counters of the engine, named after Prometheus' metrics.
   *
   * @param headSeries {@code prometheus_tsdb_head_series}
   * @param headMinTime {@code prometheus_tsdb_head_min_time}
   * @param headMaxTime {@code prometheus_tsdb_head_max_time}
   * @param floatsAppended {@code prometheus_tsdb_head_samples_appended_total{type="float"}}
   * @param histogramsAppended {@code prometheus_tsdb_head_samples_appended_total{type="histogram"}}
   * @param outOfOrderAppended {@code prometheus_tsdb_head_out_of_order_samples_appended_total}
   * @param droppedAtCommit {@code prometheus_tsdb_out_of_order_samples_total} (found out of
   *     order at commit)
   * @param exemplarsAppended {@code prometheus_tsdb_exemplar_exemplars_appended_total}
   * @param compactions {@code prometheus_tsdb_compactions_total}
   * @param compactionsFailed {@code prometheus_tsdb_compactions_failed_total}
   * @param checkpoints {@code prometheus_tsdb_checkpoint_creations_total}
   * @param checkpointsFailed {@code prometheus_tsdb_checkpoint_creations_failed_total}
   * @param walTruncations {@code prometheus_tsdb_wal_truncations_total}
   * @param headTruncations {@code prometheus_tsdb_head_truncations_total}
   * @param blocksLoaded {@code prometheus_tsdb_blocks_loaded}
   * @param walFsyncs count of {@code prometheus_tsdb_wal_fsync_duration_seconds}
   * @param walFsyncSeconds sum of {@code prometheus_tsdb_wal_fsync_duration_seconds}
   */
  public record Stats(
      long headSeries,
      long headMinTime,
      long headMaxTime,
      long floatsAppended,
      long histogramsAppended,
      long outOfOrderAppended,
      long droppedAtCommit,
      long exemplarsAppended,
      long compactions,
      long compactionsFailed,
      long checkpoints,
      long checkpointsFailed,
      long walTruncations,
      long headTruncations,
      long blocksLoaded,
      long walFsyncs,
      double walFsyncSeconds) {}

  /**
   * Registers the engine's metrics under Prometheus' names on {@code registry} (values are read
   * when scraped). Nothing is registered unless this is called.
   */
  public void registerMetrics(io.prometheus.metrics.model.registry.PrometheusRegistry registry) {
    TsdbMetrics.register(this, registry);
  }

  /** Samples accepted by {@code append} but dropped at commit (a concurrent commit overtook them). */
  public long samplesDroppedAtCommit() {
    return counters.droppedAtCommit();
  }

  ExemplarStorage exemplars() {
    return exemplars;
  }

  /** A new transaction. */
  public Appender appender() throws IOException {
    checkOpen();
    return new Appender(this, appendableMinValidTime());
  }

  /**
   * Go's {@code appendableMinValidTime}: no sample into the half of the chunk range before the
   * head's max time (it may be being compacted) nor into a block. An empty head starts at the
   * first sample as Go's {@code initAppender} does, so it bounds nothing yet.
   */
  private long appendableMinValidTime() {
    rw.readLock().lock();
    try {
      long mx = head.maxTime;
      long cwEnd = mx == Long.MIN_VALUE ? Long.MIN_VALUE : mx - chunkRange / 2;
      return Math.max(cwEnd, head.minValidTime);
    } finally {
      rw.readLock().unlock();
    }
  }

  // ---- series -----------------------------------------------------------------------------

  MemSeries byRef(long ref) throws AppendException {
    // Series leave the table only under the commit lock (head truncation), and a reference
    // reached this thread through an append that created it: an unlocked look-up finds it.
    MemSeries fast = head.getByRef(ref);
    if (fast != null) {
      return fast;
    }
    rw.readLock().lock();
    try {
      MemSeries s = head.getByRef(ref);
      if (s == null) {
        throw new AppendException(AppendException.Kind.NOT_FOUND, "series reference " + ref + " not found");
      }
      return s;
    } finally {
      rw.readLock().unlock();
    }
  }

  /** Go's {@code headAppender.getOrCreate}, with the label checks of the head and of Prometheus' ingestion. */
  MemSeries getOrCreate(Labels labels, Appender app) throws AppendException {
    Labels l = withoutEmpty(labels);
    if (l.isEmpty()) {
      throw new AppendException(AppendException.Kind.INVALID_SAMPLE, "empty labelset: invalid sample");
    }
    for (int i = 0; i < l.size(); i++) {
      String n = l.name(i);
      if (n.isEmpty() || !validUtf16(n) || !validUtf16(l.value(i))) {
        throw new AppendException(AppendException.Kind.INVALID_SAMPLE,
            "label name " + io.promtsdb.core.GoQuote.quote(n) + " or its value is not valid UTF-8: invalid sample");
      }
      if (i > 0 && n.equals(l.name(i - 1))) {
        throw new AppendException(AppendException.Kind.INVALID_SAMPLE,
            "label name " + io.promtsdb.core.GoQuote.quote(n) + " is not unique: invalid sample");
      }
    }
    rw.readLock().lock();
    try {
      MemSeries s = head.byLabels.get(l);
      if (s != null) {
        return s;
      }
    } finally {
      rw.readLock().unlock();
    }
    rw.writeLock().lock();
    try {
      MemSeries s = head.byLabels.get(l);
      if (s != null) {
        return s;
      }
      return newSeries(l, app);
    } finally {
      rw.writeLock().unlock();
    }
  }

  /** A new head series created by {@code app}, not yet in the WAL. Under the write lock. */
  MemSeries newSeries(Labels l, Appender app) {
    MemSeries s = head.getOrCreate(nextSeriesRef++, l, new boolean[1]);
    s.walLogged = false;
    app.created.add(s);
    return s;
  }

  private static Labels withoutEmpty(Labels l) {
    boolean any = false;
    for (int i = 0; i < l.size(); i++) {
      if (l.value(i).isEmpty()) {
        any = true;
        break;
      }
    }
    if (!any) {
      return l;
    }
    List<String> p = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      if (!l.value(i).isEmpty()) {
        p.add(l.name(i));
        p.add(l.value(i));
      }
    }
    return Labels.of(p.toArray(new String[0]));
  }

  /** Strings are UTF-16; one that is not valid UTF-8 once encoded has an unpaired surrogate. */
  private static boolean validUtf16(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  // ---- appending --------------------------------------------------------------------------

  /**
   * Go's {@code memSeries.appendable} (and its histogram variants) against what is committed:
   * throws Prometheus' error for a sample that can go neither into the in-order head chunk nor,
   * with an out-of-order window, into the out-of-order head chunk.
   */
  void checkAppendable(MemSeries s, long t, double v, Histogram h, FloatHistogram fh, long minValidTime)
      throws AppendException {
    long window = oooWindowMillis;
    if (window == 0 && t < minValidTime) {
      throw new AppendException(AppendException.Kind.OUT_OF_BOUNDS);
    }
    if (t >= minValidTime) {
      long mx = s.committedMaxTime;
      if (t > mx) {
        return; // also a series without in-order samples (MIN_VALUE)
      }
    }
    synchronized (s) {
      if (t >= minValidTime) {
        long mx = s.maxTime();
        if (t > mx || (s.headChunks.isEmpty() && s.mmappedChunks.isEmpty())) {
          return;
        }
        if (t == mx) {
          checkDuplicate(s, t, v, h, fh);
          return;
        }
      }
      long headMaxt = head.maxTime;
      if (window > 0 && t >= headMaxt - window) {
        return;
      }
      if (window > 0) {
        throw new AppendException(AppendException.Kind.TOO_OLD_SAMPLE);
      }
      if (t < minValidTime) {
        throw new AppendException(AppendException.Kind.OUT_OF_BOUNDS);
      }
      throw new AppendException(AppendException.Kind.OUT_OF_ORDER_SAMPLE);
    }
  }

  /** An exact duplicate of the newest sample is accepted (and dropped at commit); another value is an error. */
  private static void checkDuplicate(MemSeries s, long t, double v, Histogram h, FloatHistogram fh)
      throws AppendException {
    MemChunk c = s.headChunk();
    if (c == null) {
      // The newest sample is in an m-mapped chunk: Go compares with its remembered last value;
      // here the sample is dropped at commit whatever its value, as a duplicate.
      return;
    }
    try {
      SampleIterator it = ChunkSampleIterator.of(c.chunk(), null);
      ValueType last = ValueType.NONE;
      for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
        last = vt;
      }
      boolean same;
      if (h == null && fh == null) {
        if (last != ValueType.FLOAT) {
          throw new AppendException(AppendException.Kind.DUPLICATE_SAMPLE_FOR_TIMESTAMP,
              "duplicate sample for timestamp " + t + "; overrides not allowed: existing is a histogram, new value " + v);
        }
        same = Double.doubleToRawLongBits(it.atValue()) == Double.doubleToRawLongBits(v);
        if (!same) {
          throw new AppendException(AppendException.Kind.DUPLICATE_SAMPLE_FOR_TIMESTAMP,
              "duplicate sample for timestamp " + t + "; overrides not allowed: existing " + it.atValue()
                  + ", new value " + v);
        }
      } else {
        same = h != null
            ? last == ValueType.HISTOGRAM && it.atHistogram().equals(h)
            : last == ValueType.FLOAT_HISTOGRAM && it.atFloatHistogram().equals(fh);
        if (!same) {
          throw new AppendException(AppendException.Kind.DUPLICATE_SAMPLE_FOR_TIMESTAMP);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("head chunk of " + s + " unreadable", e);
    }
  }

  void commit(Appender app) throws IOException {
    committer.commit(app);
  }

  void rollback(Appender app) throws IOException {
    committer.rollback(app);
  }

  /** After a commit: a head that became compactable is compacted in the background. */
  void afterCommit() {
    if (compactor != null && compactable() && compactionQueued.compareAndSet(false, true)) {
      compactor.execute(this::backgroundCompaction);
    }
  }

  boolean isClosed() {
    return closed;
  }

  // ---- head compaction --------------------------------------------------------------------

  /** Go's {@code Head.compactable}: the head spans more than 1.5 chunk ranges. */
  boolean compactable() {
    long mn = head.minTime;
    long mx = head.maxTime;
    return mn != Long.MAX_VALUE && mx != Long.MIN_VALUE && mx - mn > chunkRange / 2 * 3;
  }

  private void backgroundCompaction() {
    compactionQueued.set(false);
    try {
      compact();
      lastCompactionError = null;
    } catch (IOException e) {
      lastCompactionError = e;
      LOG.log(System.Logger.Level.ERROR, "compaction failed in " + dir, e);
    } catch (RuntimeException e) {
      lastCompactionError = new IOException(e);
      LOG.log(System.Logger.Level.ERROR, "compaction failed in " + dir, e);
    }
  }

  /** The error of the last background compaction, or null if it succeeded (or none ran). */
  public IOException lastCompactionError() {
    return lastCompactionError;
  }

  /**
   * Go's {@code DB.Compact} for the head: while the head spans more than 1.5 block ranges, its
   * oldest range {@code [mint, mint rounded up to the range)} is written as a level-1 block
   * (through {@code <ulid>.tmp-for-creation} and a rename), the block is loaded, and the head
   * truncated before the block's end; then the WAL's first two thirds are checkpointed and
   * deleted ({@code Head.truncateWAL}). Commits wait while this runs; appends do not.
   *
   * @return the blocks written
   */
  public List<BlockMeta> compact() throws IOException {
    List<BlockMeta> written = new ArrayList<>();
    commitLock.lock();
    try {
      isolation.awaitApplies();
      checkOpen();
      long truncatedTo = Long.MIN_VALUE;
      while (compactable()) {
        long mint = head.minTime;
        long maxt = MemSeries.rangeForTimestamp(mint, chunkRange);
        BlockMeta meta;
        try {
          meta = headCompaction.writeHeadBlock(mint, maxt);
          CrashPoints.reach(CrashPoints.HEAD_BLOCK_WRITTEN);
        } catch (IOException | RuntimeException e) {
          counters.compaction(true);
          throw e;
        }
        // Go's truncateMemory: queriers still reading the range that goes are waited for,
        // since its chunks and head chunk files are about to be dropped.
        pendingReads.awaitNoneOverlapping(head.minTime, maxt - 1);
        rw.writeLock().lock();
        try {
          if (meta != null) {
            addBlocks(List.of(meta));
            written.add(meta);
          }
          headCompaction.truncateMemory(maxt);
        } finally {
          rw.writeLock().unlock();
        }
        headCompaction.truncateChunkFiles();
        truncatedTo = maxt;
        counters.compaction(false);
      }
      if (truncatedTo != Long.MIN_VALUE) {
        headCompaction.truncateWal(truncatedTo);
        // Go's DB.Compact: out-of-order data is compacted after a head compaction.
        written.addAll(headCompaction.compactOooHead());
      }
      // Then the blocks (Go's compactBlocks, leveled and vertical), and a reload that deletes
      // superseded blocks and those beyond time or size retention.
      DataDirMaintenance m = maintenance();
      long headSize = m.headSize();
      written.addAll(m.compact(headSize));
      m.reload(headSize);
      reloadBlocks();
    } finally {
      commitLock.unlock();
    }
    return written;
  }

  /** How blocks are written: the chunk segment size of the options. */
  BlockWriter.Options blockWriterOptions() {
    return new BlockWriter.Options(opts.maxBlockChunkSegmentSize(), BlockWriter.Options.DEFAULT.index());
  }

  /** Loads the blocks just written into {@link #dir}. Under the write lock. */
  void addBlocks(List<BlockMeta> metas) throws IOException {
    List<Block> nb = new ArrayList<>(blocks);
    for (BlockMeta m : metas) {
      nb.add(Block.open(dir.resolve(m.ulid().toString())));
    }
    nb.sort(java.util.Comparator.comparingLong(x -> x.meta().minTime()));
    blocks = List.copyOf(nb);
  }

  private DataDirMaintenance maintenance() {
    long[] ranges = Compactor.blockRanges(opts.minBlockDuration().toMillis(), opts.maxBlockDuration().toMillis());
    return new DataDirMaintenance(dir, new DataDirMaintenance.Options(
        new Compactor.Options(ranges, true, blockWriterOptions()),
        opts.retentionDuration().toMillis(), opts.maxBytes()));
  }

  /**
   * Makes the loaded blocks match the block directories (Go's {@code reloadBlocks}): new ones
   * are opened, removed ones leave the list. Removed blocks are closed only with the database,
   * since an open querier may still read them (their files stay readable while mapped).
   */
  private void reloadBlocks() throws IOException {
    java.util.Map<String, Block> byId = new java.util.HashMap<>();
    for (Block b : blocks) {
      byId.put(b.meta().ulid().toString(), b);
    }
    List<Block> nb = new ArrayList<>();
    java.util.Set<String> present = new java.util.HashSet<>();
    for (Path d : Compactor.blockDirs(dir)) {
      String id = d.getFileName().toString();
      present.add(id);
      Block b = byId.get(id);
      nb.add(b != null ? b : Block.open(d));
    }
    for (Map.Entry<String, Block> e : byId.entrySet()) {
      if (!present.contains(e.getKey())) {
        retiredBlocks.add(e.getValue());
      }
    }
    nb.sort(java.util.Comparator.comparingLong(x -> x.meta().minTime()));
    rw.writeLock().lock();
    try {
      blocks = List.copyOf(nb);
    } finally {
      rw.writeLock().unlock();
    }
  }

  /** Head compactions run since open (Prometheus' {@code prometheus_tsdb_compactions_total} counts all levels). */
  public long compactionsTotal() {
    return counters.compactions();
  }

  // ---- reading ----------------------------------------------------------------------------

  /**
   * A querier over {@code [mint, maxt]}: the blocks that overlap it and the head, merged. It sees
   * exactly the commits finished before this call. Close it: an open querier keeps the head's
   * isolation state for the commits after it.
   */
  public Querier querier(long mint, long maxt) throws IOException {
    checkOpen();
    List<Querier> qs = new ArrayList<>();
    List<Block> bs;
    rw.readLock().lock();
    try {
      Isolation.ReadState st = isolation.openQuerier();
      PendingReads.Read read = pendingReads.open(mint, maxt);
      Runnable release = st.release();
      qs.add(new LockedQuerier(head.liveQuerier(mint, maxt, st.seq(), st.incomplete(), () -> {
        release.run();
        pendingReads.close(read);
      }), rw.readLock()));
      bs = blocks;
    } finally {
      rw.readLock().unlock();
    }
    for (Block b : bs) {
      if (b.overlapsClosedInterval(mint, maxt)) {
        qs.add(b.querier(mint, maxt));
      }
    }
    return MergeQuerier.of(qs);
  }

  /** Exemplars of the series matching all {@code matchers} in {@code [mint, maxt]} (Go's {@code ExemplarQuerier.Select}). */
  public Map<Labels, List<Exemplar>> exemplars(long mint, long maxt, List<Matcher> matchers) {
    return exemplars == null ? Map.of() : exemplars.select(mint, maxt, matchers);
  }

  // ---- deletion ---------------------------------------------------------------------------

  /**
   * Deletes the samples of the matching series in {@code [mint, maxt]} from the head (Go's
   * {@code Head.Delete}): tombstones, written to the WAL first. Blocks are not changed yet (see
   * the report of this branch): a block holding matching data makes this fail.
   */
  public void delete(long mint, long maxt, Matcher... matchers) throws IOException {
    commitLock.lock();
    try {
      isolation.awaitApplies();
      checkOpen();
      // Blocks first (Go's DB.Delete): their tombstones files are replaced atomically; the
      // blocks are opened again so that queriers see them.
      if (maintenance().delete(mint, maxt, List.of(matchers)) > 0) {
        List<Block> nb = new ArrayList<>();
        for (Block b : blocks) {
          if (b.overlapsClosedInterval(mint, maxt)) {
            retiredBlocks.add(b);
            nb.add(Block.open(b.dir()));
          } else {
            nb.add(b);
          }
        }
        rw.writeLock().lock();
        try {
          blocks = List.copyOf(nb);
        } finally {
          rw.writeLock().unlock();
        }
      }
      List<Refs.RefTombstone> stones = new ArrayList<>();
      rw.readLock().lock();
      try {
        Head.HeadIndexView ix = new Head.HeadIndexView(head, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, false);
        Postings p = PostingsForMatchers.select(ix, List.of(matchers));
        for (long r = p.next(); r != Postings.END; r = p.next()) {
          MemSeries s = head.getByRef(r);
          if (s == null) {
            continue;
          }
          long smin = s.minTime();
          long smax = s.maxTime();
          if (s.oooPresent) {
            smin = Long.MIN_VALUE;
            smax = Long.MAX_VALUE;
          }
          if (smax < mint || smin > maxt || !s.hasChunks()) {
            continue;
          }
          stones.add(new Refs.RefTombstone(r, Math.max(mint, smin), Math.min(maxt, smax)));
        }
      } finally {
        rw.readLock().unlock();
      }
      if (stones.isEmpty()) {
        return;
      }
      wal.log(RecordCodec.encode(new WalRecord.Tombstones(stones)));
      rw.writeLock().lock();
      try {
        for (Refs.RefTombstone t : stones) {
          head.tombstones.addInterval(t.ref(), new Interval(t.mint(), t.maxt()));
        }
      } finally {
        rw.writeLock().unlock();
      }
    } finally {
      commitLock.unlock();
    }
  }

  // ---- snapshot and close -----------------------------------------------------------------

  /**
   * Writes a consistent copy of the database to {@code target} (which must not exist or be
   * empty) while commits wait, as Prometheus' {@code DB.Snapshot(dir, withHead=true)} does: every
   * block hard-linked (copied where links are impossible), and the head written as one more
   * block over {@code [head min time, head max time + 1)}. Beyond Prometheus, whose snapshot
   * leaves the out-of-order head out, the head's out-of-order samples are written too, as blocks
   * flagged from out-of-order data (one per block range), so that the snapshot holds every
   * sample a query sees now. Besides the blocks only an empty {@code wal/} directory is written
   * (promtool needs one): a data directory that Prometheus, promtool and {@link #open} read.
   *
   * @throws IOException if {@code target} is this database's directory, is named like a block
   *     (a ULID), is not empty, or cannot be written
   */
  public void snapshot(Path target) throws IOException {
    if (target.toAbsolutePath().normalize().equals(dir.toAbsolutePath().normalize())) {
      throw new IOException("cannot snapshot into base directory");
    }
    if (target.getFileName() != null && Ulid.isValid(target.getFileName().toString())) {
      throw new IOException("dir must not be a valid ULID: " + target);
    }
    commitLock.lock();
    try {
      isolation.awaitApplies();
      checkOpen();
      Files.createDirectories(target);
      try (Stream<Path> s = Files.list(target)) {
        if (s.findAny().isPresent()) {
          throw new IOException("snapshot target " + target + " is not empty");
        }
      }
      for (Block b : blocks) {
        copyTree(b.dir(), target.resolve(b.dir().getFileName().toString()), true);
      }
      long mint = head.minTime;
      long maxt = head.maxTime;
      if (mint != Long.MAX_VALUE && maxt != Long.MIN_VALUE) {
        // Block ranges are half-open: + 1 so that the newest sample is in it (as in Go).
        headCompaction.writeHeadBlock(target, mint, maxt + 1);
      }
      headCompaction.writeOooBlocks(target);
      // An empty WAL directory, which Go's Snapshot does not make: without it promtool (3.5.3
      // and 2.53.3) refuses the directory ("find last checkpoint: open .../wal"); Prometheus
      // itself starts on it either way.
      Files.createDirectories(target.resolve("wal"));
    } finally {
      commitLock.unlock();
    }
  }

  private static void copyTree(Path from, Path to, boolean link) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else if (link) {
          try {
            Files.createLink(q, p);
          } catch (IOException | UnsupportedOperationException e) {
            Files.copy(p, q);
          }
        } else {
          Files.copy(p, q);
        }
      }
    }
  }

  void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("db already closed");
    }
  }

  /** Flushes and closes the WAL, WBL and head chunk files, then the blocks; releases the lock. */
  @Override
  public void close() throws IOException {
    if (compactor != null) {
      // No interrupt: an interrupted FileChannel closes itself, which would fail the head
      // chunk writer; a running compaction is waited for instead.
      compactor.shutdown();
      try {
        compactor.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    commitLock.lock();
    try {
      isolation.awaitApplies();
      if (closed) {
        return;
      }
      closed = true;
      IOException first = null;
      if (opts.enableMemorySnapshotOnShutdown()) {
        try {
          MemorySnapshotWriter.write(dir, head, chunkWriter, exemplars, wal, walOptions);
        } catch (IOException e) {
          first = e;
        }
      }
      List<Closeable> toClose = new ArrayList<>(List.of(chunkWriter, wal));
      if (wbl != null) {
        toClose.add(wbl);
      }
      toClose.addAll(List.of(head, blocksDb));
      // Blocks loaded after open (compactions, deletions) are not closed by blocksDb.
      List<Block> initial = blocksDb.blocks();
      for (Block b : retiredBlocks) {
        if (!initial.contains(b)) {
          toClose.add(b);
        }
      }
      for (Block b : blocks) {
        if (!initial.contains(b)) {
          toClose.add(b);
        }
      }
      toClose.add(lock::release);
      toClose.add(lockChannel);
      for (Closeable c : toClose) {
        if (c == null) {
          continue;
        }
        try {
          c.close();
        } catch (IOException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      commitLock.unlock();
    }
  }
}
