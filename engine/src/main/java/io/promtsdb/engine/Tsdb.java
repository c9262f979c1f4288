package io.promtsdb.engine;

import io.promtsdb.chunks.ChunkEncoding;
import io.promtsdb.chunks.HeadChunkWriter;
import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Values;
import io.promtsdb.index.Postings;
import io.promtsdb.tombstones.Interval;
import io.promtsdb.wal.RecordCodec;
import io.promtsdb.wal.RecordEncoder;
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
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
  private final WalWriter wal;
  private WalWriter wbl;
  private final HeadChunkWriter chunkWriter;
  private final ExemplarStorage exemplars;
  private final RecordEncoder encoder = RecordEncoder.v1();
  private final FileChannel lockChannel;
  private final FileLock lock;

  /** Guards head structures against readers: appliers take the write lock briefly. */
  final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
  /** Serializes commits, rollbacks' WAL writes, deletes and snapshots. */
  private final ReentrantLock commitLock = new ReentrantLock();
  /**
   * Isolation (Go's {@code isolation}): commits get increasing sequence numbers once their WAL
   * records are written; {@code openApplies} are those still applying. A querier sees the
   * commits up to {@code lastAssigned} at its creation except the open ones. Guarded by
   * {@code isoLock}, which is also waited on for applies to finish.
   */
  private final Object isoLock = new Object();
  private long lastAssigned;
  private final java.util.TreeSet<Long> openApplies = new java.util.TreeSet<>();
  /** Open queriers by the newest commit below which they see everything (ring entries at or below the minimum may go). */
  private final TreeMap<Long, Integer> openQueriers = new TreeMap<>();
  private long nextSeriesRef;
  private final long chunkRange;
  private volatile boolean closed;
  /** Series removed by head truncation -> the WAL segment current then (Go's {@code Head.deleted}). */
  private final Map<Long, Integer> deletedSeries = new java.util.HashMap<>();
  private final WalWriter.Options walOptions;
  private final java.util.concurrent.ScheduledExecutorService compactor;
  private final java.util.concurrent.atomic.AtomicBoolean compactionQueued = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile IOException lastCompactionError;
  private long compactionsTotal;
  private long compactionsFailed;
  private static final System.Logger LOG = System.getLogger(Tsdb.class.getName());

  // Counters (engine metrics come from these).
  private long samplesAppended;
  private long histogramsAppended;
  private long samplesDroppedAtCommit;
  private long oooSamplesAppended;
  private long exemplarsAppended;
  private long checkpointCreations;
  private long checkpointFailures;
  private long walTruncations;
  private long headTruncations;
  TimedFileOps timedFiles;

  private Tsdb(Path dir, TsdbOptions opts, ReadOnlyDb blocksDb, List<Block> blocks, Head head, WalWriter wal,
      HeadChunkWriter chunkWriter, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.opts = opts;
    this.blocksDb = blocksDb;
    this.blocks = blocks;
    this.head = head;
    this.wal = wal;
    this.chunkWriter = chunkWriter;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.exemplars = opts.maxExemplars() > 0 ? new ExemplarStorage(opts.maxExemplars()) : null;
    this.chunkRange = opts.minBlockDuration().toMillis();
    this.nextSeriesRef = head.lastSeriesRef + 1;
    this.walOptions = wal.options();
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
      ReadOnlyDb.Options ro = ReadOnlyDb.Options.DEFAULT.withChunkSnapshot(opts.enableMemorySnapshotOnShutdown());
      head = Head.replay(dir, minValidTime, ro,
          new MemSeries.ChunkOpts(opts.minBlockDuration().toMillis(), opts.samplesPerChunk()));
      TimedFileOps timed = new TimedFileOps(opts.fileOps());
      WalWriter.Options wo = new WalWriter.Options(opts.walSegmentSize(), opts.walCompression(),
          opts.walSyncPolicy(), timed);
      wal = WalWriter.open(dir.resolve("wal"), wo);
      if (head.walCorruptSegment >= 0) {
        repair(wal, head.walCorruptSegment);
      }
      cw = HeadChunkWriter.open(dir.resolve("chunks_head"));
      Tsdb db = new Tsdb(dir, opts, rodb, blocks, head, wal, cw, ch, lk);
      db.timedFiles = timed;
      if (head.wblCorruptSegment >= 0 || Files.isDirectory(dir.resolve("wbl")) || !opts.outOfOrderTimeWindow().isZero()) {
        db.wbl = WalWriter.open(dir.resolve("wbl"), wo);
        if (head.wblCorruptSegment >= 0) {
          repair(db.wbl, head.wblCorruptSegment);
        }
      }
      db.persistReplayedChunks();
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
  private void persistMmapped(MemSeries s) throws IOException {
    int first = s.mmappedChunks.size();
    while (first > 0 && s.mmappedChunks.get(first - 1).ref() == -1 && s.mmappedChunks.get(first - 1).chunk() != null) {
      first--;
    }
    for (int i = first; i < s.mmappedChunks.size(); i++) {
      MmappedChunk c = s.mmappedChunks.get(i);
      long ref = chunkWriter.writeChunk(s.ref, c.minTime(), c.maxTime(), c.chunk(), false);
      // The chunk stays in memory too: the head chunk file reader of the replay does not see new files.
      s.mmappedChunks.set(i, new MmappedChunk(ref, c.minTime(), c.maxTime(), c.numSamples(), c.chunk(), null));
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
  public synchronized long samplesAppended() {
    return samplesAppended + histogramsAppended + oooSamplesAppended;
  }

  /** A consistent copy of the engine's counters (what {@link #registerMetrics} exposes). */
  public synchronized Stats stats() {
    long syncs = timedFiles == null ? 0 : timedFiles.syncs.get();
    double syncSeconds = timedFiles == null ? 0 : timedFiles.syncNanos.get() / 1e9;
    return new Stats(head.numSeries(), head.minTime, head.maxTime, samplesAppended, histogramsAppended,
        oooSamplesAppended, samplesDroppedAtCommit, exemplarsAppended, compactionsTotal, compactionsFailed,
        checkpointCreations, checkpointFailures, walTruncations, headTruncations, blocks.size(), syncs, syncSeconds);
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
  public synchronized long samplesDroppedAtCommit() {
    return samplesDroppedAtCommit;
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
      boolean[] created = new boolean[1];
      s = head.getOrCreate(nextSeriesRef++, l, created);
      s.walLogged = false;
      app.created.add(s);
      return s;
    } finally {
      rw.writeLock().unlock();
    }
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
    long window = opts.outOfOrderTimeWindow().toMillis();
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

  /**
   * Commits {@code app}: decides which samples still go in (a concurrent commit may have
   * overtaken some), writes the WAL (and WBL) records, then applies them under the write lock
   * and publishes the commit to new queriers. Per-series bookkeeping of the commit lives in the
   * series' scratch fields, which only the commit lock holder uses.
   */
  void commit(Appender app) throws IOException {
    long seq;
    Appender.Pending[] ps;
    byte[] route;
    long dropped = 0;
    long[] prev;
    List<MemSeries> touched = new ArrayList<>();
    commitLock.lock();
    try {
      checkOpen();
      long window = opts.outOfOrderTimeWindow().toMillis();
      long headMaxt = head.maxTime;
      synchronized (isoLock) {
        seq = lastAssigned + 1; // taken below only if the WAL write succeeds
      }
      int n = app.samples.size();
      ps = new Appender.Pending[n];
      route = new byte[n]; // 0 dropped, 1 in order, 2 out of order
      for (int i = 0; i < n; i++) {
        Appender.Pending p = staleToHistogram(resolve(app.samples.get(i), app));
        MemSeries s = p.series();
        if (s.scratchSeq != seq) {
          s.scratchSeq = seq;
          // Logged but maybe not yet applied samples count: per series, samples are logged in
          // increasing time, in the order they will be applied.
          synchronized (s) {
            s.scratchMaxT = Math.max(s.maxTime(), s.loggedMaxT);
          }
          s.scratchFlags = 0;
        }
        ps[i] = p;
        long t = p.t();
        if (t > s.scratchMaxT && t >= app.minValidTime) {
          s.scratchMaxT = t;
          route[i] = 1;
        } else if (t < s.scratchMaxT && window > 0 && t >= headMaxt - window) {
          route[i] = 2;
        } else {
          dropped++;
        }
        if (route[i] != 0 && (s.scratchFlags & MemSeries.SCRATCH_BEGUN) == 0) {
          s.scratchFlags |= MemSeries.SCRATCH_BEGUN;
          touched.add(s);
        }
      }
      writeLogs(app, seq, ps, route);
      prev = new long[touched.size()];
      for (int i = 0; i < prev.length; i++) {
        MemSeries s = touched.get(i);
        prev[i] = s.lastLoggedSeq;
        s.lastLoggedSeq = seq;
        s.loggedMaxT = Math.max(s.loggedMaxT, s.scratchMaxT);
      }
      synchronized (isoLock) {
        lastAssigned = seq;
        openApplies.add(seq);
      }
    } finally {
      commitLock.unlock();
    }
    try {
      apply(app, seq, ps, route, dropped, touched, prev);
    } finally {
      synchronized (isoLock) {
        openApplies.remove(seq);
        isoLock.notifyAll();
      }
    }
    if (compactor != null && compactable() && compactionQueued.compareAndSet(false, true)) {
      compactor.execute(this::backgroundCompaction);
    }
  }

  /** Waits until no commit is applying (callers hold the commit lock, so none starts). */
  private void awaitApplies() throws IOException {
    synchronized (isoLock) {
      while (!openApplies.isEmpty()) {
        try {
          isoLock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while waiting for commits to apply");
        }
      }
    }
  }

  /**
   * The series of a pending sample as the head has it now: head truncation may have removed
   * the series the appender saw (it had no samples then); it is created again, with a new
   * reference, as Prometheus would on the next append.
   */
  private Appender.Pending resolve(Appender.Pending p, Appender app) {
    MemSeries s = p.series();
    // Series are removed only under the commit lock, which the caller holds.
    if (head.getByRef(s.ref) == s) {
      return p;
    }
    rw.writeLock().lock();
    try {
      MemSeries n = head.byLabels.get(s.labels);
      if (n == null) {
        boolean[] created = new boolean[1];
        n = head.getOrCreate(nextSeriesRef++, s.labels, created);
        n.walLogged = false;
        app.created.add(n);
      }
      return new Appender.Pending(n, p.t(), p.v(), p.h(), p.fh());
    } finally {
      rw.writeLock().unlock();
    }
  }

  /**
   * Prometheus turns a stale marker for a series whose newest sample is a histogram into a
   * histogram stale marker of that kind (head_append.go {@code Append}).
   */
  private static Appender.Pending staleToHistogram(Appender.Pending p) {
    if (p.h() != null || p.fh() != null || !Values.isStaleNaN(p.v())) {
      return p;
    }
    MemChunk c;
    synchronized (p.series()) {
      c = p.series().headChunk();
    }
    if (c == null) {
      return p;
    }
    if (c.encoding == ChunkEncoding.HISTOGRAM) {
      return new Appender.Pending(p.series(), p.t(), 0, Histogram.builder().sum(p.v()).build(), null);
    }
    if (c.encoding == ChunkEncoding.FLOAT_HISTOGRAM) {
      return new Appender.Pending(p.series(), p.t(), 0, null, FloatHistogram.builder().sum(p.v()).build());
    }
    return p;
  }

  /** Adds a series record for {@code s} unless it is in the WAL or already in this commit's records. */
  private static void needSeriesRecord(MemSeries s, long seq, List<Refs.RefSeries> out) {
    if (s.walLogged) {
      return;
    }
    if (s.scratchSeq != seq) {
      s.scratchSeq = seq;
      s.scratchMaxT = s.maxTime();
      s.scratchFlags = 0;
    }
    if ((s.scratchFlags & MemSeries.SCRATCH_LOGGED) == 0) {
      s.scratchFlags |= MemSeries.SCRATCH_LOGGED;
      out.add(new Refs.RefSeries(s.ref, s.labels));
    }
  }

  /** Series records first, then samples, histograms, float histograms, exemplars, metadata (Go's {@code headAppender.log}). */
  private void writeLogs(Appender app, long seq, Appender.Pending[] ps, byte[] route) throws IOException {
    List<Refs.RefSeries> series = new ArrayList<>();
    for (MemSeries s : app.created) {
      needSeriesRecord(s, seq, series);
    }
    List<Refs.RefSample> floats = new ArrayList<>(ps.length);
    List<Refs.RefHistogramSample> hs = new ArrayList<>();
    List<Refs.RefFloatHistogramSample> fhs = new ArrayList<>();
    List<Refs.RefSample> oooFloats = new ArrayList<>();
    List<Refs.RefHistogramSample> oooHs = new ArrayList<>();
    List<Refs.RefFloatHistogramSample> oooFhs = new ArrayList<>();
    for (int i = 0; i < ps.length; i++) {
      if (route[i] == 0) {
        continue;
      }
      Appender.Pending p = ps[i];
      MemSeries s = p.series();
      needSeriesRecord(s, seq, series); // e.g. created by a concurrent appender not yet committed
      boolean ooo = route[i] == 2;
      if (p.h() != null) {
        (ooo ? oooHs : hs).add(new Refs.RefHistogramSample(s.ref, p.t(), p.h()));
      } else if (p.fh() != null) {
        (ooo ? oooFhs : fhs).add(new Refs.RefFloatHistogramSample(s.ref, p.t(), p.fh()));
      } else {
        (ooo ? oooFloats : floats).add(new Refs.RefSample(s.ref, p.t(), p.v()));
      }
    }
    for (Appender.PendingExemplar e : app.exemplars) {
      needSeriesRecord(e.series(), seq, series);
    }
    for (Appender.PendingMetadata m : app.metadata) {
      needSeriesRecord(m.series(), seq, series);
    }
    List<byte[]> recs = new ArrayList<>();
    if (!series.isEmpty()) {
      recs.add(RecordCodec.encode(new WalRecord.Series(series)));
    }
    if (!floats.isEmpty()) {
      recs.add(encoder.samples(floats));
    }
    if (!hs.isEmpty()) {
      recs.addAll(encoder.histogramSamples(hs));
    }
    if (!fhs.isEmpty()) {
      recs.addAll(encoder.floatHistogramSamples(fhs));
    }
    if (!app.exemplars.isEmpty()) {
      List<Refs.RefExemplar> ex = new ArrayList<>();
      for (Appender.PendingExemplar e : app.exemplars) {
        ex.add(new Refs.RefExemplar(e.series().ref, e.exemplar().t(), e.exemplar().value(), e.exemplar().labels()));
      }
      recs.add(RecordCodec.encode(WalRecord.Exemplars.of(ex)));
    }
    if (!app.metadata.isEmpty()) {
      List<Refs.RefMetadata> md = new ArrayList<>();
      for (Appender.PendingMetadata m : app.metadata) {
        md.add(new Refs.RefMetadata(m.series().ref, m.metadata().typeCode(), m.metadata().unit(), m.metadata().help()));
      }
      recs.add(RecordCodec.encode(new WalRecord.Metadata(md)));
    }
    if (!recs.isEmpty()) {
      wal.log(recs);
    }
    if (!oooFloats.isEmpty() || !oooHs.isEmpty() || !oooFhs.isEmpty()) {
      List<byte[]> w = new ArrayList<>();
      if (!oooFloats.isEmpty()) {
        w.add(encoder.samples(oooFloats));
      }
      if (!oooHs.isEmpty()) {
        w.addAll(encoder.histogramSamples(oooHs));
      }
      if (!oooFhs.isEmpty()) {
        w.addAll(encoder.floatHistogramSamples(oooFhs));
      }
      wbl.log(w);
    }
    for (Refs.RefSeries r : series) {
      head.getByRef(r.ref()).walLogged = true;
    }
  }

  /**
   * Applies a logged commit: each series it touches waits until the commit logged before it for
   * that series has applied (so memory gets samples in WAL order), takes its ring entry and
   * samples under its monitor; commits touching other series run in parallel.
   */
  private void apply(Appender app, long seq, Appender.Pending[] ps, byte[] route, long dropped,
      List<MemSeries> touched, long[] prev) throws IOException {
    long low;
    synchronized (isoLock) {
      long minOpen = openApplies.isEmpty() ? lastAssigned : openApplies.first() - 1;
      synchronized (openQueriers) {
        low = openQueriers.isEmpty() ? minOpen : Math.min(minOpen, openQueriers.firstKey());
      }
    }
    long appended = 0;
    long histograms = 0;
    long ooo = 0;
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    long oooMint = Long.MAX_VALUE;
    long oooMaxt = Long.MIN_VALUE;
    MemSeries.ChunkOpts co = head.chunkOpts;
    java.util.IdentityHashMap<MemSeries, Boolean> ready = new java.util.IdentityHashMap<>(touched.size() * 2);
    java.util.IdentityHashMap<MemSeries, Long> prevOf = new java.util.IdentityHashMap<>(touched.size() * 2);
    for (int i = 0; i < prev.length; i++) {
      prevOf.put(touched.get(i), prev[i]);
    }
    try {
      for (int i = 0; i < ps.length; i++) {
        if (route[i] == 0) {
          continue;
        }
        Appender.Pending p = ps[i];
        MemSeries s = p.series();
        synchronized (s) {
          if (ready.put(s, Boolean.TRUE) == null) {
            long before = prevOf.get(s);
            while (s.appliedSeq < before) {
              try {
                s.wait();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while applying a commit");
              }
            }
            s.beginCommit(seq, low);
          }
          if (route[i] == 2) {
            if (s.insertOoo(p.t(), p.v(), p.h(), p.fh(), OooChunk.DEFAULT_CAP_MAX)) {
              ooo++;
              oooMint = Math.min(oooMint, p.t());
              oooMaxt = Math.max(oooMaxt, p.t());
            } else {
              dropped++;
            }
            continue;
          }
          int r = p.h() != null ? s.appendHistogram(p.t(), p.h(), co)
              : p.fh() != null ? s.appendFloatHistogram(p.t(), p.fh(), co)
              : s.append(p.t(), p.v(), co);
          if ((r & MemSeries.APPENDED) != 0) {
            appended++;
            if (p.h() != null || p.fh() != null) {
              histograms++;
            }
            mint = Math.min(mint, p.t());
            maxt = Math.max(maxt, p.t());
          } else {
            dropped++;
          }
        }
      }
      for (MemSeries s : touched) {
        synchronized (s) {
          if (s.headChunks.size() > 1 && s.mmapChunks() > 0) {
            synchronized (chunkWriter) {
              persistMmapped(s);
            }
          }
          s.committedMaxTime = s.maxTime();
        }
      }
      if (maxt != Long.MIN_VALUE) {
        head.updateMinMaxTime(mint, maxt);
      }
      if (oooMaxt != Long.MIN_VALUE) {
        head.updateMinMaxOooTime(oooMint, oooMaxt);
      }
      if (exemplars != null) {
        for (Appender.PendingExemplar e : app.exemplars) {
          exemplars.add(e.series(), e.exemplar());
        }
      }
    } finally {
      // Even after a failure: later commits of these series must not wait forever.
      for (MemSeries s : touched) {
        synchronized (s) {
          if (s.appliedSeq < seq) {
            s.appliedSeq = seq;
          }
          s.notifyAll();
        }
      }
    }
    synchronized (this) {
      samplesAppended += appended - histograms;
      histogramsAppended += histograms;
      oooSamplesAppended += ooo;
      exemplarsAppended += exemplars == null ? 0 : app.exemplars.size();
      samplesDroppedAtCommit += dropped;
    }
  }

  /** Series the appender created are written to the WAL even on rollback, as Prometheus does. */
  void rollback(Appender app) throws IOException {
    commitLock.lock();
    try {
      if (closed) {
        return;
      }
      List<Refs.RefSeries> series = new ArrayList<>();
      for (MemSeries s : app.created) {
        if (!s.walLogged) {
          series.add(new Refs.RefSeries(s.ref, s.labels));
        }
      }
      if (!series.isEmpty()) {
        wal.log(RecordCodec.encode(new WalRecord.Series(series)));
        for (MemSeries s : app.created) {
          s.walLogged = true;
        }
      }
    } finally {
      commitLock.unlock();
    }
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
      awaitApplies();
      checkOpen();
      long truncatedTo = Long.MIN_VALUE;
      while (compactable()) {
        long mint = head.minTime;
        long maxt = MemSeries.rangeForTimestamp(mint, chunkRange);
        BlockMeta meta;
        try {
          meta = writeHeadBlock(mint, maxt);
        } catch (IOException | RuntimeException e) {
          synchronized (this) {
            compactionsFailed++;
          }
          throw e;
        }
        rw.writeLock().lock();
        try {
          if (meta != null) {
            Block b = Block.open(dir.resolve(meta.ulid().toString()));
            List<Block> nb = new ArrayList<>(blocks);
            nb.add(b);
            nb.sort(java.util.Comparator.comparingLong(x -> x.meta().minTime()));
            blocks = List.copyOf(nb);
            written.add(meta);
          }
          truncateMemory(maxt);
        } finally {
          rw.writeLock().unlock();
        }
        truncateChunkFiles();
        truncatedTo = maxt;
        synchronized (this) {
          compactionsTotal++;
        }
      }
      if (truncatedTo != Long.MIN_VALUE) {
        truncateWal(truncatedTo);
        // Go's DB.Compact: out-of-order data is compacted after a head compaction.
        written.addAll(compactOooHead());
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

  /**
   * Go's {@code compactOOOHead}: all out-of-order samples of the head are written as blocks, one
   * per block range they fall in, marked {@code from-out-of-order} in meta.json; then they leave
   * the head and the WBL segments holding them are deleted ({@code truncateOOO}). The WBL is
   * first moved to a new segment so that exactly the compacted records can go. A crash between
   * the blocks and the WBL truncation replays samples the blocks hold too; queries merge them.
   * Under the commit lock.
   */
  private List<BlockMeta> compactOooHead() throws IOException {
    List<BlockMeta> out = new ArrayList<>();
    if (head.minOooTime == Long.MAX_VALUE || wbl == null) {
      return out;
    }
    int firstKept = wbl.nextSegment();
    List<MemSeries> ss = new ArrayList<>();
    rw.readLock().lock();
    try {
      head.series.forEachValue(x -> {
        if (x.oooPresent) {
          ss.add(x);
        }
      });
    } finally {
      rw.readLock().unlock();
    }
    ss.sort(java.util.Comparator.comparing(x -> x.labels));
    long mint = head.minOooTime;
    long maxt = head.maxOooTime;
    for (long t = Math.floorDiv(mint, chunkRange) * chunkRange; t <= maxt; t += chunkRange) {
      java.util.TreeSet<String> symbols = new java.util.TreeSet<>(io.promtsdb.core.Utf8Order.COMPARATOR);
      List<ChunkSeries> series = new ArrayList<>();
      for (MemSeries s : ss) {
        MemSeries tmp = new MemSeries(s.ref, s.labels);
        for (OooChunk.OooSample x : oooSamples(s)) {
          if (x.t() < t || x.t() >= t + chunkRange) {
            continue;
          }
          if (x.h() != null) {
            tmp.appendHistogram(x.t(), x.h(), head.chunkOpts);
          } else if (x.fh() != null) {
            tmp.appendFloatHistogram(x.t(), x.fh(), head.chunkOpts);
          } else {
            tmp.append(x.t(), x.v(), head.chunkOpts);
          }
        }
        List<BlockChunk> cs = new ArrayList<>();
        for (MemChunk c : tmp.headChunks) {
          if (c.numSamples() > 0) {
            cs.add(new BlockChunk(c.minTime, c.maxTime, c.chunk()));
          }
        }
        if (cs.isEmpty()) {
          continue;
        }
        s.labels.forEach((n, v) -> {
          symbols.add(n);
          symbols.add(v);
        });
        series.add(new ChunkSeries(s.labels, cs));
      }
      Ulid id = Ulid.generate(System.currentTimeMillis());
      BlockMeta meta = new BlockMeta(id, t, t + chunkRange, BlockMeta.Stats.EMPTY,
          new BlockMeta.Compaction(1, List.of(id), false, List.of(), false, List.of(BlockMeta.HINT_FROM_OUT_OF_ORDER)),
          BlockMeta.VERSION_1);
      BlockWriter.write(dir, meta, symbols, ChunkSeriesSet.of(series), BlockWriter.Options.DEFAULT).ifPresent(out::add);
    }
    rw.writeLock().lock();
    try {
      List<Block> nb = new ArrayList<>(blocks);
      for (BlockMeta m : out) {
        nb.add(Block.open(dir.resolve(m.ulid().toString())));
      }
      nb.sort(java.util.Comparator.comparingLong(x -> x.meta().minTime()));
      blocks = List.copyOf(nb);
      for (MemSeries s : ss) {
        s.oooMmappedChunks = new ArrayList<>(0);
        s.oooHeadChunk = null;
        s.oooPresent = false;
      }
      head.minOooTime = Long.MAX_VALUE;
      head.maxOooTime = Long.MIN_VALUE;
    } finally {
      rw.writeLock().unlock();
    }
    wbl.truncate(firstKept);
    return out;
  }

  /** The out-of-order samples of a series, sorted by time, first occurrence of a time kept. */
  private List<OooChunk.OooSample> oooSamples(MemSeries s) throws IOException {
    List<OooChunk.OooSample> all = new ArrayList<>();
    for (MmappedChunk c : s.oooMmappedChunks) {
      if (c.samples() != null) {
        all.addAll(c.samples().samples());
      } else {
        SampleIterator it = ChunkSampleIterator.of(head.chunkFiles.chunk(c.ref()), null);
        for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
          all.add(switch (vt) {
            case FLOAT -> new OooChunk.OooSample(it.atT(), it.atValue(), null, null);
            case HISTOGRAM -> new OooChunk.OooSample(it.atT(), 0, it.atHistogram(), null);
            default -> new OooChunk.OooSample(it.atT(), 0, null, it.atFloatHistogram());
          });
        }
      }
    }
    if (s.oooHeadChunk != null) {
      all.addAll(s.oooHeadChunk.samples);
    }
    all.sort(java.util.Comparator.comparingLong(OooChunk.OooSample::t));
    List<OooChunk.OooSample> dedup = new ArrayList<>(all.size());
    for (OooChunk.OooSample x : all) {
      if (dedup.isEmpty() || dedup.get(dedup.size() - 1).t() != x.t()) {
        dedup.add(x);
      }
    }
    return dedup;
  }

  private DataDirMaintenance maintenance() {
    long[] ranges = Compactor.blockRanges(opts.minBlockDuration().toMillis(), opts.maxBlockDuration().toMillis());
    return new DataDirMaintenance(dir, new DataDirMaintenance.Options(
        new Compactor.Options(ranges, true, BlockWriter.Options.DEFAULT),
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
  public synchronized long compactionsTotal() {
    return compactionsTotal;
  }

  /**
   * Writes the head's samples in {@code [mint, maxt)} as a block (Go's {@code compactHead} with
   * a {@code RangeHead}): chunks wholly in the range are copied; chunks reaching outside it or
   * holding deleted samples are re-encoded from the samples that remain. Returns null when the
   * range holds no sample (no block, as in Go).
   */
  private BlockMeta writeHeadBlock(long mint, long maxt) throws IOException {
    List<MemSeries> ss = new ArrayList<>();
    rw.readLock().lock();
    try {
      head.series.forEachValue(ss::add);
    } finally {
      rw.readLock().unlock();
    }
    ss.sort(java.util.Comparator.comparing(x -> x.labels));
    java.util.TreeSet<String> symbols = new java.util.TreeSet<>(io.promtsdb.core.Utf8Order.COMPARATOR);
    List<ChunkSeries> out = new ArrayList<>();
    for (MemSeries s : ss) {
      List<BlockChunk> cs = rangeChunks(s, mint, maxt);
      if (cs.isEmpty()) {
        continue;
      }
      s.labels.forEach((n, v) -> {
        symbols.add(n);
        symbols.add(v);
      });
      out.add(new ChunkSeries(s.labels, cs));
    }
    Ulid id = Ulid.generate(System.currentTimeMillis());
    BlockMeta meta = new BlockMeta(id, mint, maxt, BlockMeta.Stats.EMPTY,
        new BlockMeta.Compaction(1, List.of(id), false, List.of(), false, List.of()), BlockMeta.VERSION_1);
    return BlockWriter.write(dir, meta, symbols, ChunkSeriesSet.of(out), BlockWriter.Options.DEFAULT).orElse(null);
  }

  private List<BlockChunk> rangeChunks(MemSeries s, long mint, long maxt) throws IOException {
    List<BlockChunk> whole = new ArrayList<>();
    boolean reencode = false;
    io.promtsdb.tombstones.Intervals iv = head.tombstones.get(s.ref);
    for (MmappedChunk c : s.mmappedChunks) {
      if (c.maxTime() < mint || c.minTime() >= maxt) {
        continue;
      }
      io.promtsdb.chunks.Chunk ch = c.chunk() != null ? c.chunk() : head.chunkFiles.chunk(c.ref());
      whole.add(new BlockChunk(c.minTime(), c.maxTime(), ch));
    }
    for (MemChunk c : s.headChunks) {
      if (c.numSamples() == 0 || c.maxTime < mint || c.minTime >= maxt) {
        continue;
      }
      whole.add(new BlockChunk(c.minTime, c.maxTime, c.chunk()));
    }
    for (BlockChunk c : whole) {
      if (c.minTime() < mint || c.maxTime() >= maxt || overlaps(iv, c.minTime(), c.maxTime())) {
        reencode = true;
        break;
      }
    }
    if (!reencode) {
      return whole;
    }
    // Samples in range and not deleted, cut into chunks as the head cuts them.
    MemSeries tmp = new MemSeries(s.ref, s.labels);
    for (BlockChunk c : whole) {
      SampleIterator it = ChunkSampleIterator.of(c.chunk(), null);
      for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
        long t = it.atT();
        if (t < mint || t >= maxt || deleted(iv, t)) {
          continue;
        }
        switch (vt) {
          case FLOAT -> tmp.append(t, it.atValue(), head.chunkOpts);
          case HISTOGRAM -> tmp.appendHistogram(t, it.atHistogram(), head.chunkOpts);
          default -> tmp.appendFloatHistogram(t, it.atFloatHistogram(), head.chunkOpts);
        }
      }
    }
    List<BlockChunk> out = new ArrayList<>();
    for (MemChunk c : tmp.headChunks) {
      if (c.numSamples() > 0) {
        out.add(new BlockChunk(c.minTime, c.maxTime, c.chunk()));
      }
    }
    return out;
  }

  private static boolean overlaps(io.promtsdb.tombstones.Intervals iv, long mint, long maxt) {
    if (iv == null) {
      return false;
    }
    for (int i = 0; i < iv.size(); i++) {
      if (iv.mint(i) <= maxt && mint <= iv.maxt(i)) {
        return true;
      }
    }
    return false;
  }

  private static boolean deleted(io.promtsdb.tombstones.Intervals iv, long t) {
    return overlaps(iv, t, t);
  }

  /**
   * Go's {@code Head.truncateMemory}: the head starts at {@code mint} (and takes no sample
   * before it); chunks ending before it and series left without chunks go ({@code Head.gc}),
   * remembered with the current WAL segment so that the checkpoint keeps their records while
   * later segments may still name them. Under the write lock.
   */
  private void truncateMemory(long mint) {
    synchronized (this) {
      headTruncations++;
    }
    if (head.minTime < mint) {
      head.minTime = mint;
    }
    if (head.minValidTime < mint) {
      head.minValidTime = mint;
    }
    int seg = wal.segment();
    List<MemSeries> all = new ArrayList<>(head.series.size());
    head.series.forEachValue(all::add);
    java.util.Set<Long> gone = new java.util.HashSet<>();
    List<Labels> affected = new ArrayList<>();
    for (MemSeries s : all) {
      s.truncateChunksBefore(mint);
      s.committedMaxTime = s.maxTime();
      // A series created by an appender that has not committed yet has no chunks either.
      if (s.hasChunks() || !s.walLogged) {
        continue;
      }
      gone.add(s.ref);
      affected.add(s.labels);
      head.series.remove(s.ref);
      head.byLabels.remove(s.labels);
      deletedSeries.put(s.ref, seg);
    }
    if (!gone.isEmpty()) {
      head.postings.delete(gone, affected);
    }
    head.tombstones.deleteTombstones(gone);
    head.tombstones.truncateBefore(mint);
  }

  /**
   * Go's {@code ChunkDiskMapper.Truncate}: head chunk files older than the oldest file an
   * m-mapped chunk still points into are deleted; a new file is started so the current one
   * can go next time.
   */
  private void truncateChunkFiles() throws IOException {
    long[] min = {Long.MAX_VALUE};
    rw.readLock().lock();
    try {
      head.series.forEachValue(s -> {
        for (MmappedChunk c : s.mmappedChunks) {
          if (c.ref() != -1) {
            min[0] = Math.min(min[0], io.promtsdb.chunks.ChunkDiskMapperRef.fileNumber(c.ref()));
            break;
          }
        }
        for (MmappedChunk c : s.oooMmappedChunks) {
          if (c.ref() != -1) {
            min[0] = Math.min(min[0], io.promtsdb.chunks.ChunkDiskMapperRef.fileNumber(c.ref()));
          }
        }
      });
    } finally {
      rw.readLock().unlock();
    }
    chunkWriter.flush();
    chunkWriter.cutNewFile();
    long current = chunkWriter.currentFileNumber();
    Path cd = dir.resolve("chunks_head");
    try (Stream<Path> st = Files.list(cd)) {
      for (Path p : st.toList()) {
        String n = p.getFileName().toString();
        if (n.isEmpty() || n.length() > 10 || !n.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
          continue;
        }
        long num = Long.parseLong(n);
        if (num < min[0] && num < current) {
          Files.delete(p);
        }
      }
    }
  }

  /**
   * Go's {@code Head.truncateWAL}: a checkpoint of the first two thirds of the WAL segments
   * (never the last one) keeping the series still in the head (or deleted in a later segment)
   * and samples at or after {@code mint}; then those segments and older checkpoints go.
   */
  private void truncateWal(long mint) throws IOException {
    Path walDir = wal.dir();
    List<Segments.SegmentRef> segs = Segments.list(walDir, walOptions.files());
    if (segs.isEmpty()) {
      return;
    }
    int first = segs.get(0).index();
    int last = segs.get(segs.size() - 1).index() - 1; // never the segment being written
    if (last < 0) {
      return;
    }
    last = first + (last - first) * 2 / 3;
    if (last <= first) {
      return;
    }
    int lastF = last;
    java.util.function.LongPredicate keep = ref -> {
      rw.readLock().lock();
      try {
        if (head.getByRef(ref) != null) {
          return true;
        }
      } finally {
        rw.readLock().unlock();
      }
      Integer seg = deletedSeries.get(ref);
      return seg != null && seg > lastF;
    };
    try {
      io.promtsdb.wal.Checkpoints.create(walDir, first, last, keep, mint, false, walOptions);
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        checkpointFailures++;
      }
      throw e;
    }
    synchronized (this) {
      checkpointCreations++;
      walTruncations++;
    }
    wal.truncate(last + 1);
    io.promtsdb.wal.Checkpoints.deleteBefore(walDir, last, walOptions.files());
    deletedSeries.values().removeIf(seg -> seg <= lastF);
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
      long seq;
      long[] incomplete;
      long key;
      synchronized (isoLock) {
        seq = lastAssigned;
        incomplete = openApplies.stream().mapToLong(Long::longValue).toArray();
        key = incomplete.length == 0 ? seq : incomplete[0] - 1;
        synchronized (openQueriers) {
          openQueriers.merge(key, 1, Integer::sum);
        }
      }
      Runnable release = () -> {
        synchronized (openQueriers) {
          openQueriers.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
        }
      };
      qs.add(new LockedQuerier(head.liveQuerier(mint, maxt, seq, incomplete, release), rw.readLock()));
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
      awaitApplies();
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
   * Writes a consistent copy of the data directory to {@code target} (which must not exist or
   * be empty) while appends wait: the blocks (hard links where possible), and the head as
   * Prometheus would replay it (WAL, WBL, head chunk files, tombstones). Prometheus' {@code
   * Snapshot} writes the head as a block instead; that needs the block writer.
   */
  public void snapshot(Path target) throws IOException {
    commitLock.lock();
    try {
      awaitApplies();
      checkOpen();
      Files.createDirectories(target);
      try (Stream<Path> s = Files.list(target)) {
        if (s.findAny().isPresent()) {
          throw new IOException("snapshot target " + target + " is not empty");
        }
      }
      wal.sync();
      if (wbl != null) {
        wbl.sync();
      }
      chunkWriter.flush();
      for (Block b : blocks) {
        copyTree(b.dir(), target.resolve(b.dir().getFileName().toString()), true);
      }
      for (String sub : List.of("wal", "wbl", "chunks_head")) {
        if (Files.isDirectory(dir.resolve(sub))) {
          copyTree(dir.resolve(sub), target.resolve(sub), false);
        }
      }
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

  /**
   * Go's {@code Head.ChunkSnapshot} on shutdown: every series with its open head chunk (and the
   * chunk's last value), the tombstones and the exemplars, named after the WAL position it
   * covers; a restart loads it and replays only the WAL after that position. The m-mapped chunks
   * are in the head chunk files already, out-of-order data in the WBL.
   */
  private void writeMemorySnapshot() throws IOException {
    chunkWriter.flush();
    List<io.promtsdb.wal.SnapshotRecord.Series> series = new ArrayList<>();
    List<MemSeries> all = new ArrayList<>();
    head.series.forEachValue(all::add);
    for (MemSeries s : all) {
      MemChunk c = s.headChunk();
      io.promtsdb.wal.SnapshotRecord.HeadChunk hc = null;
      if (c != null && c.numSamples() > 0) {
        io.promtsdb.chunks.Chunk ch = c.chunk();
        SampleIterator it = ChunkSampleIterator.of(ch, null);
        ValueType last = ValueType.NONE;
        for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
          last = vt;
        }
        io.promtsdb.wal.SnapshotRecord.LastValue lv = switch (last) {
          case HISTOGRAM -> new io.promtsdb.wal.SnapshotRecord.LastHistogram(it.atHistogram());
          case FLOAT_HISTOGRAM -> new io.promtsdb.wal.SnapshotRecord.LastFloatHistogram(it.atFloatHistogram());
          default -> io.promtsdb.wal.SnapshotRecord.SampleBuf.ofLastValue(it.atValue());
        };
        hc = new io.promtsdb.wal.SnapshotRecord.HeadChunk(
            c.minTime, c.maxTime, ch.encoding().wireByte(), ch.copyBytes(), lv);
      }
      series.add(new io.promtsdb.wal.SnapshotRecord.Series(s.ref, s.labels, hc));
    }
    List<Refs.RefTombstone> stones = new ArrayList<>();
    head.tombstones.forEach((ref, iv) -> {
      for (int i = 0; i < iv.size(); i++) {
        stones.add(new Refs.RefTombstone(ref, iv.mint(i), iv.maxt(i)));
      }
    });
    List<io.promtsdb.wal.SnapshotRecord.Exemplars> ex = new ArrayList<>();
    if (exemplars != null) {
      List<Refs.RefExemplar> buf = new ArrayList<>();
      exemplars.select(Long.MIN_VALUE, Long.MAX_VALUE, List.of()).forEach((l, es) -> {
        MemSeries s = head.byLabels.get(l);
        if (s != null) {
          for (Exemplar e : es) {
            buf.add(new Refs.RefExemplar(s.ref, e.t(), e.value(), e.labels()));
          }
        }
      });
      for (int i = 0; i < buf.size(); i += io.promtsdb.wal.ChunkSnapshots.MAX_EXEMPLARS_PER_RECORD) {
        ex.add(io.promtsdb.wal.SnapshotRecord.Exemplars.of(
            buf.subList(i, Math.min(buf.size(), i + io.promtsdb.wal.ChunkSnapshots.MAX_EXEMPLARS_PER_RECORD))));
      }
    }
    long[] pos = wal.lastSegmentAndOffset();
    io.promtsdb.wal.ChunkSnapshots.write(dir, (int) pos[0], pos[1], series,
        new io.promtsdb.wal.SnapshotRecord.Tombstones(stones), ex, walOptions);
  }

  private void checkOpen() throws IOException {
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
      awaitApplies();
      if (closed) {
        return;
      }
      closed = true;
      IOException first = null;
      if (opts.enableMemorySnapshotOnShutdown()) {
        try {
          writeMemorySnapshot();
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
