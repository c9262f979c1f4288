package io.promtsdb.engine;

import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.ChunkDiskMapperRef;
import io.promtsdb.chunks.ChunkEncoding;
import io.promtsdb.chunks.HeadChunkReader;
import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.tombstones.Interval;
import io.promtsdb.wal.ChunkSnapshots;
import io.promtsdb.wal.Refs;
import io.promtsdb.wal.SampleBatch;
import io.promtsdb.wal.SegmentReader;
import io.promtsdb.wal.SnapshotCodec;
import io.promtsdb.wal.SnapshotRecord;
import io.promtsdb.wal.WalRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Rebuilds a {@link Head} from a data directory, step for step as Prometheus' {@code
 * Head.Init} does in read-only mode (tsdb/head.go, head_wal.go), without writing anything:
 *
 * <ol>
 *   <li>the head chunk files ({@code chunks_head/}): in-order chunks ending before the minimum
 *       valid time are skipped; a corrupt file and all after it are left out (Prometheus
 *       deletes them) and the WAL fills the gap;
 *   <li>the newest WAL checkpoint, then the WAL segments after it: series records create
 *       series (a second record with the same labels maps its reference onto the first) and
 *       hand them their m-mapped chunks; samples before the minimum valid time, or not after
 *       the series' last m-mapped chunk, are dropped; the rest is appended with Prometheus'
 *       chunk cutting; tombstones are kept;
 *   <li>the out-of-order WBL: samples go into out-of-order head chunks, m-map markers drop the
 *       samples that the head chunk files already hold;
 *   <li>the head's min time is raised to the minimum valid time, chunks entirely before it and
 *       series left without chunks are removed, the postings sorted.
 * </ol>
 *
 * <p>With {@link ReadOnlyDb.Options#useChunkSnapshot()}, the newest memory snapshot comes
 * first and only the WAL after the position it covers is replayed, as in Prometheus with
 * {@code memory-snapshot-on-shutdown} (tsdb/head.go {@code Init}); an unusable snapshot is
 * reported and the whole WAL replayed instead.
 *
 * <p>A corrupt or torn WAL record ends the replay there, as Prometheus' repair would truncate
 * the WAL there; it is reported as a warning naming segment and offset, and everything before
 * it is kept (Prometheus' read-only mode instead fails). A corrupt checkpoint is an error, as
 * in Prometheus.
 */
final class HeadReplay {
  private final Head h;
  private final Path dataDir;
  private final FileAccess files;
  private final Progress progress;
  private final boolean background;
  private final List<String> warnings = new ArrayList<>();
  /** Where exemplars of the WAL and the memory snapshot go; null: they are skipped. */
  private final ExemplarStorage exemplars;

  // WAL series reference -> the reference of the series created earlier with the same labels.
  private final LongMap<Long> multiRef = new LongMap<>();
  private Map<Long, List<MmappedChunk>> mmapped = new HashMap<>();
  private Map<Long, List<MmappedChunk>> oooMmapped = new HashMap<>();
  private long lastMmapRef;

  private long records;
  private long seriesRecords;
  private long samples;
  private long appended;
  private long beforeMinValid;
  private long outOfOrder;
  private long unknownRefs;
  private long oooSamples;
  private long mmappedChunkCount;
  private long exemplarsRestored;
  private int checkpoint = -1;
  private int firstSegment = -1;
  private int lastSegment = -1;
  // Step durations in nanoseconds (ReplayReport.Durations).
  private long snapshotNanos;
  private long mmapNanos;
  private long checkpointNanos;
  private long walNanos;
  private long wblNanos;

  // Memory snapshot (only with Options.useChunkSnapshot): the series it created, and the WAL
  // position it covers (segment -1: none loaded, or given up).
  private final boolean useChunkSnapshot;
  private final int applyThreads;
  private WalApplier applier;
  private LongMap<MemSeries> snapshotSeries;
  private int snapIdx = -1;
  private long snapOffset;
  private String snapshotUsed;

  HeadReplay(Head h, Path dataDir, ReadOnlyDb.Options options, ExemplarStorage exemplars) {
    this.h = h;
    this.exemplars = exemplars;
    this.dataDir = dataDir;
    this.files = options.fileAccess();
    this.progress = options.progress();
    this.useChunkSnapshot = options.useChunkSnapshot();
    int cpus = Runtime.getRuntime().availableProcessors();
    this.applyThreads =
        options.walReplayConcurrency() > 0 ? options.walReplayConcurrency() : Math.max(1, Math.min(8, cpus - 1));
    this.background = Runtime.getRuntime().availableProcessors() > 1;
  }

  void run(long minValidTime) throws IOException {
    long start = System.nanoTime();
    h.minValidTime = minValidTime;
    Path walDir = dataDir.resolve("wal");
    boolean hasWal = files.isDirectory(walDir);
    if (useChunkSnapshot) {
      loadChunkSnapshot(walDir, hasWal);
      snapshotNanos = System.nanoTime() - start;
    }
    if (snapshotSeries != null) {
      // The head chunk files decide whether the snapshot's WAL position holds.
      timedLoadMmappedChunks();
      if (hasWal) {
        try (WalPlan wal = planWal(walDir)) {
          replayWal(wal);
        }
      }
    } else {
      // The WAL is decoded (on the background thread) while the head chunks are loaded; its
      // records are applied after them, as in Prometheus.
      try (WalPlan wal = hasWal ? planWal(walDir) : null) {
        timedLoadMmappedChunks();
        if (wal != null) {
          replayWal(wal);
        }
      }
    }
    if (snapshotUsed != null && snapIdx < 0) {
      warnings.add(snapshotUsed + ": head chunk files changed after it; the whole WAL was replayed instead");
    }
    Path wblDir = dataDir.resolve("wbl");
    if (files.isDirectory(wblDir)) {
      long t = System.nanoTime();
      replayWbl(wblDir);
      wblNanos = System.nanoTime() - t;
    }
    if (h.minTime < h.minValidTime) {
      h.minTime = h.minValidTime;
    }
    gc();
    h.postings.ensureOrder();
    ReplayReport.Durations durations =
        new ReplayReport.Durations(
            java.time.Duration.ofNanos(checkpointNanos),
            java.time.Duration.ofNanos(walNanos),
            java.time.Duration.ofNanos(wblNanos),
            java.time.Duration.ofNanos(snapshotNanos),
            java.time.Duration.ofNanos(mmapNanos),
            java.time.Duration.ofNanos(System.nanoTime() - start));
    h.report =
        new ReplayReport(
            checkpoint,
            firstSegment,
            lastSegment,
            records,
            seriesRecords,
            samples,
            appended,
            beforeMinValid,
            outOfOrder,
            unknownRefs,
            oooSamples,
            mmappedChunkCount,
            exemplarsRestored,
            warnings,
            durations);
  }

  // ---- memory snapshot -------------------------------------------------------------------

  /**
   * Go's {@code loadChunkSnapshot} (head_wal.go) for the newest {@code chunk_snapshot.N.M}:
   * series with their open head chunk, then tombstones (exemplars are not kept). Nothing is
   * used if the WAL ends before segment N, or if any record fails to read or decode (Prometheus
   * then replays the whole WAL too); either is reported as a warning.
   */
  private void loadChunkSnapshot(Path walDir, boolean hasWal) throws IOException {
    Path snapDir = null;
    int idx = -1;
    long off = -1;
    for (Path p : files.list(dataDir)) {
      String name = p.getFileName().toString();
      if (!name.startsWith(ChunkSnapshots.PREFIX)) {
        continue;
      }
      if (!files.isDirectory(p)) {
        throw new IOException("chunk snapshot " + name + " is not a directory");
      }
      String[] parts = name.substring(ChunkSnapshots.PREFIX.length()).split("\\.", -1);
      if (parts.length != 2 || !digits(parts[0]) || !digits(parts[1])) {
        continue;
      }
      int i = Integer.parseInt(parts[0]);
      long o = Long.parseLong(parts[1]);
      if (i > idx || (i == idx && o > off)) {
        idx = i;
        off = o;
        snapDir = p;
      }
    }
    if (snapDir == null) {
      return;
    }
    if (hasWal) {
      List<Segment> segs = segments(walDir);
      int endAt = segs.isEmpty() ? -1 : segs.get(segs.size() - 1).index();
      if (endAt < idx) {
        warnings.add(snapDir + ": the WAL ends at segment " + endAt + ", before the snapshot's " + idx
            + "; not using it (Prometheus deletes it)");
        return;
      }
    }
    List<SnapshotRecord> recs = new ArrayList<>();
    try {
      for (Segment seg : segments(snapDir)) {
        ByteSource src = files.open(seg.path());
        try (SegmentReader r = new SegmentReader(src, snapDir.toString(), seg.index())) {
          while (r.next()) {
            recs.add(SnapshotCodec.decode(r.record()));
          }
        } finally {
          FileAccess.close(src);
        }
      }
      LongMap<MemSeries> refSeries = new LongMap<>();
      List<Refs.RefTombstone> tombstones = new ArrayList<>();
      List<Refs.RefExemplar> snapExemplars = new ArrayList<>();
      List<MemChunk> chunks = new ArrayList<>();
      for (SnapshotRecord rec : recs) {
        if (rec instanceof SnapshotRecord.Series sr && sr.headChunk() != null) {
          SnapshotRecord.HeadChunk hc = sr.headChunk();
          ChunkEncoding e = ChunkEncoding.fromWireByte(hc.encoding(), snapDir.toString(), CorruptFormatException.NO_OFFSET);
          chunks.add(MemChunk.resume(Chunk.wrap(e, hc.bytes()), hc.mint(), hc.maxt()));
        } else if (rec instanceof SnapshotRecord.Tombstones t) {
          tombstones.addAll(t.tombstones());
        } else if (rec instanceof SnapshotRecord.Exemplars x && exemplars != null) {
          snapExemplars.addAll(x.exemplars());
        }
      }
      // Everything read: build the series.
      int c = 0;
      boolean[] created = new boolean[1];
      for (SnapshotRecord rec : recs) {
        if (!(rec instanceof SnapshotRecord.Series sr)) {
          continue;
        }
        MemSeries ms = h.getOrCreate(sr.ref(), sr.labels(), created);
        refSeries.put(sr.ref(), ms);
        if (sr.headChunk() == null) {
          continue;
        }
        MemChunk mc = chunks.get(c++);
        ms.headChunks.clear();
        ms.headChunks.add(mc);
        ms.nextAt = mc.maxTime; // the next append cuts a new chunk
        h.updateMinMaxTime(mc.minTime, mc.maxTime);
      }
      for (Refs.RefTombstone t : tombstones) {
        h.tombstones.addInterval(t.ref(), new Interval(t.mint(), t.maxt()));
      }
      // Go's loadChunkSnapshot: exemplars come last, of the snapshot's series, oldest first.
      for (Refs.RefExemplar x : snapExemplars) {
        MemSeries ms = refSeries.get(x.ref());
        if (ms == null) {
          unknownRefs++;
          continue;
        }
        exemplars.add(ms, new Exemplar(x.labels(), x.v(), x.t()));
        exemplarsRestored++;
      }
      snapshotSeries = refSeries;
      snapIdx = idx;
      snapOffset = off;
      snapshotUsed = snapDir.toString();
    } catch (CorruptFormatException e) {
      warnings.add(snapDir + ": " + e.getMessage() + "; not using the snapshot, replaying the whole WAL");
    }
  }

  private static boolean digits(String s) {
    return !s.isEmpty() && s.length() <= 10 && s.chars().allMatch(ch -> ch >= '0' && ch <= '9');
  }

  // ---- head chunk files ------------------------------------------------------------------

  private void timedLoadMmappedChunks() throws IOException {
    long t = System.nanoTime();
    loadMmappedChunks();
    mmapNanos = System.nanoTime() - t;
  }

  private void loadMmappedChunks() throws IOException {
    Path dir = dataDir.resolve("chunks_head");
    if (!files.isDirectory(dir)) {
      return;
    }
    SortedMap<Long, ByteSource> byNumber = new TreeMap<>();
    for (Path p : files.list(dir)) {
      String name = p.getFileName().toString();
      if (!name.isEmpty() && name.length() <= 10 && name.chars().allMatch(c -> c >= '0' && c <= '9')) {
        long n = Long.parseLong(name);
        if (n <= 0xFFFFFFFFL) {
          ByteSource s = files.open(p);
          h.openFiles.add(s);
          byNumber.put(n, s);
        }
      }
    }
    // Go deletes a last file that is too short for a header or has a zero magic (a crash
    // right after creating it); leave it out.
    if (!byNumber.isEmpty()) {
      ByteSource last = byNumber.get(byNumber.lastKey());
      if (last.length() < 4 || last.be32(0) == 0) {
        byNumber.remove(byNumber.lastKey());
      }
    }
    while (true) {
      if (byNumber.isEmpty()) {
        h.chunkFiles = HeadChunkReader.of(byNumber);
        return;
      }
      try {
        h.chunkFiles = HeadChunkReader.of(byNumber);
      } catch (CorruptFormatException e) {
        warnings.add("head chunk files: " + e.getMessage() + "; not using " + dir + " (the WAL has the data)");
        byNumber.clear();
        continue;
      }
      mmapped = new HashMap<>();
      oooMmapped = new HashMap<>();
      lastMmapRef = 0;
      LongMap<MemSeries> refSeries = snapIdx >= 0 ? snapshotSeries : null;
      long corruptFile = -1;
      IOException failure = null;
      String outOfSequence = null;
      for (long fileNo : byNumber.keySet()) {
        HeadChunkReader one = HeadChunkReader.of(new TreeMap<>(Map.of(fileNo, byNumber.get(fileNo))));
        try {
          String[] problem = new String[1];
          one.iterateAllChunks(
              m -> {
                if (problem[0] != null) {
                  return;
                }
                lastMmapRef = m.ref();
                // Series of a memory snapshot take their chunks straight away (Go's refSeries).
                MemSeries ms = refSeries == null ? null : refSeries.get(m.seriesRef());
                if (m.outOfOrder()) {
                  if (ms != null) {
                    ms.oooPresent = true;
                    ms.oooMmappedChunks.add(MmappedChunk.onDisk(m.ref(), m.mint(), m.maxt(), m.numSamples()));
                    mmappedChunkCount++;
                    h.updateMinMaxOooTime(m.mint(), m.maxt());
                    return;
                  }
                  oooMmapped.computeIfAbsent(m.seriesRef(), k -> new ArrayList<>())
                      .add(MmappedChunk.onDisk(m.ref(), m.mint(), m.maxt(), m.numSamples()));
                  return;
                }
                if (m.maxt() < h.minValidTime) {
                  return;
                }
                List<MmappedChunk> l = ms != null ? ms.mmappedChunks : mmapped.computeIfAbsent(m.seriesRef(), k -> new ArrayList<>());
                if (!l.isEmpty() && l.get(l.size() - 1).maxTime() >= m.mint()) {
                  MmappedChunk prev = l.get(l.size() - 1);
                  problem[0] =
                      "out of sequence m-mapped chunk for series ref " + m.seriesRef() + ", last chunk: ["
                          + prev.minTime() + ", " + prev.maxTime() + "], new: [" + m.mint() + ", " + m.maxt() + "]";
                  return;
                }
                l.add(MmappedChunk.onDisk(m.ref(), m.mint(), m.maxt(), m.numSamples()));
                if (ms != null) {
                  mmappedChunkCount++;
                }
              });
          if (problem[0] != null) {
            outOfSequence = problem[0];
            break;
          }
        } catch (CorruptFormatException e) {
          corruptFile = fileNo;
          failure = e;
          break;
        }
      }
      if ((outOfSequence != null || failure != null) && refSeries != null) {
        // Go discards the snapshot's WAL position and replays the whole WAL, whose series
        // records hand the chunks over again.
        snapshotSeries.forEachValue(
            ms -> {
              mmappedChunkCount -= ms.mmappedChunks.size() + ms.oooMmappedChunks.size();
              ms.mmappedChunks = new ArrayList<>(2);
              ms.oooMmappedChunks = new ArrayList<>(0);
              ms.oooPresent = false;
            });
        snapIdx = -1;
        snapOffset = 0;
      }
      if (outOfSequence != null) {
        // Not a corruption Prometheus can cut out: it discards every head chunk file.
        warnings.add("head chunk files: " + outOfSequence + "; not using " + dir + " (the WAL has the data)");
        byNumber.clear();
        continue;
      }
      if (failure != null) {
        List<Long> dropped = new ArrayList<>(byNumber.tailMap(corruptFile).keySet());
        warnings.add(
            "head chunk files: " + failure.getMessage() + "; ignoring file(s) "
                + dropped.stream().map(n -> String.format("%06d", n)).toList()
                + " as Prometheus deletes them (the WAL has the data)");
        byNumber.keySet().removeAll(dropped);
        continue;
      }
      return;
    }
  }

  // ---- WAL ---------------------------------------------------------------------------------

  private record Segment(int index, Path path) {}

  /** Go's {@code wlog.Segments}: numerically named files, which must be consecutive. */
  private List<Segment> segments(Path dir) throws IOException {
    List<Segment> out = new ArrayList<>();
    for (Path p : files.list(dir)) {
      String name = p.getFileName().toString();
      if (files.isDirectory(p) || name.isEmpty() || name.length() > 9
          || !name.chars().allMatch(c -> c >= '0' && c <= '9')) {
        continue;
      }
      out.add(new Segment(Integer.parseInt(name), p));
    }
    out.sort((a, b) -> Integer.compare(a.index, b.index));
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i).index != out.get(i - 1).index + 1) {
        throw new IOException(dir + ": segments are not sequential: " + out.get(i - 1).path.getFileName()
            + " is followed by " + out.get(i).path.getFileName());
      }
    }
    return out;
  }

  /** The checkpoint and WAL segments to replay, as one stream already decoding. */
  private record WalPlan(Path walDir, List<RecordStream.Source> sources, int checkpointSegments, RecordStream stream)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      stream.close();
    }
  }

  private WalPlan planWal(Path walDir) throws IOException {
    Path cpDir = null;
    int cpIndex = -1;
    for (Path p : files.list(walDir)) {
      String name = p.getFileName().toString();
      if (name.startsWith("checkpoint.") && files.isDirectory(p)) {
        String num = name.substring("checkpoint.".length());
        if (!num.isEmpty() && num.length() <= 9 && num.chars().allMatch(c -> c >= '0' && c <= '9')) {
          int idx = Integer.parseInt(num);
          if (idx >= cpIndex) {
            cpIndex = idx;
            cpDir = p;
          }
        }
      }
    }
    List<Segment> segs = segments(walDir);
    List<RecordStream.Source> sources = new ArrayList<>();
    int startFrom = 0;
    // With a memory snapshot, a checkpoint older than it is not read (Go: startFrom >= snapIdx).
    if (cpDir != null && cpIndex >= snapIdx) {
      checkpoint = cpIndex;
      for (Segment s : segments(cpDir)) {
        sources.add(new RecordStream.Source(cpDir, s.index, s.path));
      }
      startFrom = cpIndex + 1;
    }
    if (snapIdx > startFrom) {
      startFrom = snapIdx;
    }
    int cpSegments = sources.size();
    for (Segment s : segs) {
      if (s.index < startFrom) {
        continue;
      }
      if (firstSegment < 0) {
        firstSegment = s.index;
        if (cpDir == null && snapIdx < 0 && s.index != 0) {
          warnings.add(walDir + ": WAL starts at segment " + s.index + " without a checkpoint;"
              + " Prometheus would fail to open segment 00000000");
        }
      }
      lastSegment = s.index;
      sources.add(new RecordStream.Source(walDir, s.index, s.path, s.index == snapIdx ? snapOffset : 0));
    }
    return new WalPlan(walDir, sources, cpSegments, new RecordStream(files, sources, background));
  }

  private void replayWal(WalPlan plan) throws IOException {
    RecordStream rs = plan.stream();
    List<RecordStream.Source> sources = plan.sources();
    int cp = plan.checkpointSegments();
    long n = 0;
    long start = System.nanoTime();
    // The checkpoint's share ends when its last segment is read (or at once without one).
    long checkpointEnd = cp == 0 ? start : -1;
    try (WalApplier a = new WalApplier(h, mmapped, oooMmapped, applyThreads)) {
      applier = a;
      for (Object r = rs.next(); r != null; r = rs.next()) {
        if (checkpointEnd < 0 && rs.sourcesDone() >= cp) {
          checkpointEnd = System.nanoTime();
        }
        records++;
        if (r instanceof SampleBatch b) {
          applySamples(b);
          rs.recycle(b);
        } else {
          applyWal((WalRecord) r);
        }
        if ((++n & 1023) == 0) {
          progress.update("WAL", rs.sourcesDone(), sources.size());
        }
      }
      a.sync();
      appended += a.appended;
      outOfOrder += a.outOfOrder;
      mmappedChunkCount += a.mmappedChunkDelta;
      warnings.addAll(a.warnings);
    } finally {
      applier = null;
    }
    if (rs.stop() != null) {
      int at = rs.stoppedAt();
      if (at < cp) {
        // A corrupt checkpoint is a hard error: there is little to recover from it.
        throw new CorruptFormatException(
            sources.get(at).path().toString(), CorruptFormatException.NO_OFFSET, "backfill checkpoint: " + rs.stop());
      }
      int ignored = sources.size() - 1 - at;
      lastSegment = sources.get(at).index();
      h.walCorruptSegment = lastSegment;
      warnings.add(rs.stop() + (ignored > 0 ? "; the " + ignored + " later segment(s) are ignored too" : "")
          + " (Prometheus repairs the WAL by truncating it there)");
    }
    long end = System.nanoTime();
    if (checkpointEnd < 0) {
      checkpointEnd = end;
    }
    checkpointNanos = checkpointEnd - start;
    walNanos = end - checkpointEnd;
    progress.done("WAL");
  }

  private long mapRef(long ref) {
    if (multiRef.size() == 0) {
      return ref;
    }
    Long r = multiRef.get(ref);
    return r == null ? ref : r;
  }

  // Float samples come as SampleBatch (applySamples).
  private void applyWal(WalRecord rec) throws IOException {
    if (rec instanceof WalRecord.Series s) {
      boolean[] created = new boolean[1];
      for (Refs.RefSeries rs : s.series()) {
        seriesRecords++;
        MemSeries ms = h.getOrCreate(rs.ref(), rs.labels(), created);
        if (!created[0]) {
          multiRef.put(rs.ref(), ms.ref);
        }
        applier.reset(ms, rs.ref());
      }
    } else if (rec instanceof WalRecord.HistogramSamples s) {
      for (Refs.RefHistogramSample x : s.histograms()) {
        appendHistogram(x.ref(), x.t(), x.h(), null);
      }
    } else if (rec instanceof WalRecord.HistogramSamplesV2 s) {
      for (Refs.RefHistogramSample x : s.histograms()) {
        appendHistogram(x.ref(), x.t(), x.h(), null);
      }
    } else if (rec instanceof WalRecord.FloatHistogramSamples s) {
      for (Refs.RefFloatHistogramSample x : s.histograms()) {
        appendHistogram(x.ref(), x.t(), null, x.fh());
      }
    } else if (rec instanceof WalRecord.FloatHistogramSamplesV2 s) {
      for (Refs.RefFloatHistogramSample x : s.histograms()) {
        appendHistogram(x.ref(), x.t(), null, x.fh());
      }
    } else if (rec instanceof WalRecord.Exemplars x) {
      if (exemplars == null) {
        return;
      }
      // Go's loadWAL: exemplars before the minimum valid time are skipped; a duplicate or older
      // one than the series' newest is dropped by the storage.
      for (Refs.RefExemplar e : x.exemplars()) {
        if (e.t() < h.minValidTime) {
          continue;
        }
        MemSeries ms = h.getByRef(mapRef(e.ref()));
        if (ms == null) {
          unknownRefs++;
          continue;
        }
        exemplars.add(ms, new Exemplar(e.labels(), e.v(), e.t()));
        exemplarsRestored++;
      }
    } else if (rec instanceof WalRecord.Tombstones t) {
      for (Refs.RefTombstone x : t.tombstones()) {
        if (x.maxt() < h.minValidTime) {
          continue;
        }
        long ref = mapRef(x.ref());
        if (h.getByRef(ref) == null) {
          unknownRefs++;
          continue;
        }
        h.tombstones.addInterval(ref, new Interval(x.mint(), x.maxt()));
      }
    }
    // Metadata does not change what a query returns; m-map markers only appear in the WBL.
  }

  /** A float sample record, without an object per sample. */
  private void applySamples(SampleBatch b) throws IOException {
    int n = b.size();
    samples += n;
    long minValid = h.minValidTime;
    boolean mapped = multiRef.size() != 0;
    for (int i = 0; i < n; i++) {
      long t = b.t(i);
      if (t < minValid) {
        beforeMinValid++;
        continue;
      }
      long ref = b.ref(i);
      if (mapped) {
        ref = mapRef(ref);
      }
      // Most samples of a WAL whose chunks are in chunks_head/ end here, without the series.
      if (applier.droppedBelowFloor(ref, t)) {
        continue;
      }
      MemSeries ms = h.getByRef(ref);
      if (ms == null) {
        unknownRefs++;
        continue;
      }
      applier.floatSample(ms, t, b.v(i));
    }
  }

  private void appendHistogram(long walRef, long t, Histogram hi, FloatHistogram fh) throws IOException {
    samples++;
    if (t < h.minValidTime) {
      beforeMinValid++;
      return;
    }
    MemSeries ms = h.getByRef(mapRef(walRef));
    if (ms == null) {
      unknownRefs++;
      return;
    }
    applier.histogramSample(ms, t, hi, fh);
  }

  // ---- WBL ---------------------------------------------------------------------------------

  private void replayWbl(Path wblDir) throws IOException {
    List<RecordStream.Source> wbl = new ArrayList<>();
    for (Segment s : segments(wblDir)) {
      wbl.add(new RecordStream.Source(wblDir, s.index, s.path));
    }
    try (RecordStream rs = new RecordStream(files, wbl, background)) {
      for (Object r = rs.next(); r != null; r = rs.next()) {
        records++;
        if (r instanceof SampleBatch b) {
          for (int i = 0; i < b.size(); i++) {
            insertOoo(b.ref(i), b.t(i), b.v(i), null, null);
          }
          rs.recycle(b);
        } else {
          applyWbl((WalRecord) r);
        }
      }
      if (rs.stop() != null) {
        int ignored = wbl.size() - 1 - rs.stoppedAt();
        h.wblCorruptSegment = wbl.get(rs.stoppedAt()).index();
        warnings.add(rs.stop() + (ignored > 0 ? "; the " + ignored + " later WBL segment(s) are ignored too" : "")
            + " (Prometheus repairs the WBL by truncating it there)");
      }
    }
  }

  private void applyWbl(WalRecord rec) throws IOException {
    // Float samples come as SampleBatch (replayWbl).
    if (rec instanceof WalRecord.HistogramSamples s) {
      for (Refs.RefHistogramSample x : s.histograms()) {
        insertOoo(x.ref(), x.t(), 0, x.h(), null);
      }
    } else if (rec instanceof WalRecord.HistogramSamplesV2 s) {
      for (Refs.RefHistogramSample x : s.histograms()) {
        insertOoo(x.ref(), x.t(), 0, x.h(), null);
      }
    } else if (rec instanceof WalRecord.FloatHistogramSamples s) {
      for (Refs.RefFloatHistogramSample x : s.histograms()) {
        insertOoo(x.ref(), x.t(), 0, null, x.fh());
      }
    } else if (rec instanceof WalRecord.FloatHistogramSamplesV2 s) {
      for (Refs.RefFloatHistogramSample x : s.histograms()) {
        insertOoo(x.ref(), x.t(), 0, null, x.fh());
      }
    } else if (rec instanceof WalRecord.MmapMarkers m) {
      long lastSeq = ChunkDiskMapperRef.fileNumber(lastMmapRef);
      long lastOff = ChunkDiskMapperRef.offset(lastMmapRef);
      for (Refs.RefMmapMarker x : m.markers()) {
        long seq = ChunkDiskMapperRef.fileNumber(x.mmapRef());
        long off = ChunkDiskMapperRef.offset(x.mmapRef());
        if (seq > lastSeq || (seq == lastSeq && off > lastOff)) {
          continue; // that chunk never made it to the head chunk files
        }
        MemSeries ms = h.getByRef(mapRef(x.ref()));
        if (ms == null) {
          unknownRefs++;
          continue;
        }
        if (ms.oooPresent) {
          ms.oooHeadChunk = null; // everything so far is in the m-mapped chunks
        }
      }
    }
    // Series come from the WAL; the WBL holds none.
  }

  private void insertOoo(long walRef, long t, double v, Histogram hi, FloatHistogram fh) throws IOException {
    MemSeries ms = h.getByRef(mapRef(walRef));
    if (ms == null) {
      unknownRefs++;
      return;
    }
    // A full chunk cut here was not m-mapped before the crash (no marker for it): it stays in
    // memory, encoded; the WBL still holds its samples.
    if ((ms.insertOoo(t, v, hi, fh, OooChunk.DEFAULT_CAP_MAX, null, null) & MemSeries.OOO_INSERTED) != 0) {
      oooSamples++;
      h.updateMinMaxOooTime(t, t);
    }
  }

  // ---- after replay ------------------------------------------------------------------------

  /** Go's {@code Head.gc} with the head's min time: old chunks and empty series go. */
  private void gc() {
    long mint = h.minTime;
    Set<Long> deleted = new HashSet<>();
    List<io.promtsdb.core.Labels> affected = new ArrayList<>();
    List<MemSeries> all = new ArrayList<>(h.series.size());
    h.series.forEachValue(all::add);
    for (MemSeries s : all) {
      s.truncateChunksBefore(mint);
      if (s.hasChunks()) {
        continue;
      }
      deleted.add(s.ref);
      affected.add(s.labels);
      h.series.remove(s.ref);
      h.byLabels.remove(s.labels);
    }
    if (!deleted.isEmpty()) {
      h.postings.delete(deleted, affected);
    }
    h.tombstones.deleteTombstones(deleted);
    h.tombstones.truncateBefore(mint);
  }
}
