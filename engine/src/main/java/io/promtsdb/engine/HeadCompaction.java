package io.promtsdb.engine;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.Labels;
import io.promtsdb.wal.Segments;
import io.promtsdb.wal.WalWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The steps of a head compaction (Go's {@code compactHead}, {@code compactOOOHead} and the
 * head's truncation): the head's oldest range written as a block, out-of-order data written as
 * blocks, then memory, head chunk files and WAL truncated. {@link Tsdb#compact()} runs them in
 * order under the commit lock; each step is safe to repeat after a crash between two of them
 * (a replay finds samples a block holds too, and queries merge them).
 */
final class HeadCompaction {
  private final Tsdb db;
  private final Head head;
  private final long chunkRange;
  private final WalWriter.Options walOptions;
  /** Series removed by head truncation -> the WAL segment current then (Go's {@code Head.deleted}). */
  private final Map<Long, Integer> deletedSeries = new java.util.HashMap<>();

  HeadCompaction(Tsdb db, Head head, long chunkRange, WalWriter.Options walOptions) {
    this.db = db;
    this.head = head;
    this.chunkRange = chunkRange;
    this.walOptions = walOptions;
  }

  /** The head series holding out-of-order samples. */
  private List<MemSeries> oooSeries() {
    List<MemSeries> ss = new ArrayList<>();
    db.rw.readLock().lock();
    try {
      head.series.forEachValue(x -> {
        if (x.oooPresent) {
          ss.add(x);
        }
      });
    } finally {
      db.rw.readLock().unlock();
    }
    return ss;
  }

  /**
   * The head's out-of-order data as blocks in {@code parent}, one per block range it touches
   * (Go's {@code compactOOO}), flagged as from out-of-order data; the head is not changed.
   */
  List<BlockMeta> writeOooBlocks(Path parent) throws IOException {
    List<BlockMeta> out = new ArrayList<>();
    if (head.minOooTime == Long.MAX_VALUE) {
      return out;
    }
    List<MemSeries> ss = oooSeries();
    ss.sort(java.util.Comparator.comparing(x -> x.labels));
    long mint = head.minOooTime;
    long maxt = head.maxOooTime;
    // Go's compaction head m-maps every series' out-of-order head chunk first.
    java.util.IdentityHashMap<MemSeries, List<BlockChunk>> chunksOf = new java.util.IdentityHashMap<>();
    for (MemSeries s : ss) {
      chunksOf.put(s, oooChunks(s));
    }
    // Go: blockSize * (mint / blockSize), division truncating toward zero.
    for (long t = mint / chunkRange * chunkRange; t <= maxt; t += chunkRange) {
      java.util.TreeSet<String> symbols = headSymbols();
      List<ChunkSeries> series = new ArrayList<>();
      for (MemSeries s : ss) {
        List<BlockChunk> cs = OooCompactionChunks.inRange(chunksOf.get(s), t, t + chunkRange - 1);
        if (cs.isEmpty()) {
          continue;
        }
        series.add(new ChunkSeries(s.labels, cs));
      }
      Ulid id = Ulid.generate(System.currentTimeMillis());
      BlockMeta meta = new BlockMeta(id, t, t + chunkRange, BlockMeta.Stats.EMPTY,
          // Go passes the compaction head's meta as the parent: a zero ULID and zero times.
          new BlockMeta.Compaction(1, List.of(id), false, List.of(new BlockMeta.BlockDesc(Ulid.ZERO, 0, 0)), false,
              List.of(BlockMeta.HINT_FROM_OUT_OF_ORDER)),
          BlockMeta.VERSION_1);
      BlockWriter.write(parent, meta, symbols, ChunkSeriesSet.of(series), db.blockWriterOptions()).ifPresent(out::add);
    }
    return out;
  }

  /**
   * Go's {@code compactOOOHead}: all out-of-order samples of the head are written as blocks, one
   * per block range they fall in, marked {@code from-out-of-order} in meta.json; then they leave
   * the head and the WBL segments holding them are deleted ({@code truncateOOO}). The WBL is
   * first moved to a new segment so that exactly the compacted records can go. A crash between
   * the blocks and the WBL truncation replays samples the blocks hold too; queries merge them.
   * Under the commit lock.
   */
  List<BlockMeta> compactOooHead() throws IOException {
    List<BlockMeta> out = new ArrayList<>();
    if (head.minOooTime == Long.MAX_VALUE || db.wbl == null) {
      return out;
    }
    int firstKept = db.wbl.nextSegment();
    out.addAll(writeOooBlocks(db.dir()));
    List<MemSeries> ss = oooSeries();
    db.rw.writeLock().lock();
    try {
      db.addBlocks(out);
      for (MemSeries s : ss) {
        s.oooMmappedChunks = new ArrayList<>(0);
        s.oooHeadChunk = null;
        s.oooPresent = false;
      }
      head.minOooTime = Long.MAX_VALUE;
      head.maxOooTime = Long.MIN_VALUE;
    } finally {
      db.rw.writeLock().unlock();
    }
    db.wbl.truncate(firstKept);
    return out;
  }

  /**
   * The out-of-order chunks of a series as Go's compaction head has them once it m-mapped the
   * out-of-order head chunk: every m-mapped chunk, then the head chunk, each encoded as {@code
   * OOOChunk.ToEncodedChunks} encodes (one chunk per run of a value type, histograms cut where an
   * append asks for a new chunk), in chunk order.
   */
  private List<BlockChunk> oooChunks(MemSeries s) throws IOException {
    List<BlockChunk> out = new ArrayList<>();
    for (MmappedChunk c : s.oooMmappedChunks) {
      io.promtsdb.chunks.Chunk ch = c.chunk() != null ? c.chunk() : head.chunkFiles.chunk(c.ref());
      out.add(new BlockChunk(c.minTime(), c.maxTime(), ch));
    }
    if (s.oooHeadChunk != null) {
      out.addAll(s.oooHeadChunk.toEncodedChunks());
    }
    return out;
  }

  /**
   * Writes the head's samples in {@code [mint, maxt)} as a block (Go's {@code compactHead} with
   * a {@code RangeHead}): chunks wholly in the range are copied; chunks reaching outside it or
   * holding deleted samples are re-encoded from the samples that remain. Returns null when the
   * range holds no sample (no block, as in Go).
   */
  BlockMeta writeHeadBlock(long mint, long maxt) throws IOException {
    return writeHeadBlock(db.dir(), mint, maxt);
  }

  /** The same, into {@code parent} instead of the data directory (a snapshot). */
  BlockMeta writeHeadBlock(Path parent, long mint, long maxt) throws IOException {
    List<MemSeries> ss = new ArrayList<>();
    db.rw.readLock().lock();
    try {
      head.series.forEachValue(ss::add);
    } finally {
      db.rw.readLock().unlock();
    }
    ss.sort(java.util.Comparator.comparing(x -> x.labels));
    java.util.TreeSet<String> symbols = headSymbols();
    List<ChunkSeries> out = new ArrayList<>();
    for (MemSeries s : ss) {
      List<BlockChunk> cs = rangeChunks(s, mint, maxt);
      if (cs.isEmpty()) {
        continue;
      }
      out.add(new ChunkSeries(s.labels, cs));
    }
    Ulid id = Ulid.generate(System.currentTimeMillis());
    BlockMeta meta = new BlockMeta(id, mint, maxt, BlockMeta.Stats.EMPTY,
        new BlockMeta.Compaction(1, List.of(id), false, List.of(), false, List.of()), BlockMeta.VERSION_1);
    return BlockWriter.write(parent, meta, symbols, ChunkSeriesSet.of(out), db.blockWriterOptions()).orElse(null);
  }

  /**
   * The symbol table of a block cut from the head, as Go's {@code headIndexReader.Symbols}
   * gives it ({@code MemPostings.Symbols}): the label names and values of every series in the
   * head, with samples in the block's range or not, and the empty string (the all-series
   * postings key is {@code ("", "")}).
   */
  private java.util.TreeSet<String> headSymbols() {
    java.util.TreeSet<String> symbols = new java.util.TreeSet<>(io.promtsdb.core.Utf8Order.COMPARATOR);
    symbols.add("");
    db.rw.readLock().lock();
    try {
      head.series.forEachValue(s -> s.labels.forEach((n, v) -> {
        symbols.add(n);
        symbols.add(v);
      }));
    } finally {
      db.rw.readLock().unlock();
    }
    return symbols;
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
  void truncateMemory(long mint) {
    db.counters.headTruncation();
    if (head.minTime < mint) {
      head.minTime = mint;
    }
    if (head.minValidTime < mint) {
      head.minValidTime = mint;
    }
    int seg = db.wal.segment();
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
  void truncateChunkFiles() throws IOException {
    long[] min = {Long.MAX_VALUE};
    db.rw.readLock().lock();
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
      db.rw.readLock().unlock();
    }
    db.chunkWriter.flush();
    db.chunkWriter.cutNewFile();
    long current = db.chunkWriter.currentFileNumber();
    Path cd = db.dir().resolve("chunks_head");
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
  void truncateWal(long mint) throws IOException {
    Path walDir = db.wal.dir();
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
      db.rw.readLock().lock();
      try {
        if (head.getByRef(ref) != null) {
          return true;
        }
      } finally {
        db.rw.readLock().unlock();
      }
      Integer seg = deletedSeries.get(ref);
      return seg != null && seg > lastF;
    };
    try {
      io.promtsdb.wal.Checkpoints.create(walDir, first, last, keep, mint, false, walOptions);
    } catch (IOException | RuntimeException e) {
      db.counters.checkpoint(true);
      throw e;
    }
    db.counters.checkpoint(false);
    CrashPoints.reach(CrashPoints.CHECKPOINT_CREATED);
    db.wal.truncate(last + 1);
    CrashPoints.reach(CrashPoints.WAL_TRUNCATED);
    io.promtsdb.wal.Checkpoints.deleteBefore(walDir, last, walOptions.files());
    deletedSeries.values().removeIf(seg -> seg <= lastF);
  }
}
