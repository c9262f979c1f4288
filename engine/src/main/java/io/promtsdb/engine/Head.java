package io.promtsdb.engine;

import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.HeadChunkReader;
import io.promtsdb.core.ByteSource;
import io.promtsdb.core.Labels;
import io.promtsdb.index.Postings;
import io.promtsdb.tombstones.Tombstones;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-memory head of a data directory: the series and samples not yet compacted into a
 * block (Go's {@code tsdb.Head}). {@link ReadOnlyDb} builds it by replaying the head chunk
 * files, the WAL and the out-of-order WBL ({@link HeadReplay}); the write side appends to the
 * same structures.
 *
 * <p>Series are {@link MemSeries}, found by reference (the WAL's series reference) or by
 * labels; {@link HeadPostings} is the inverted index. Time bounds follow Prometheus: {@link
 * #minTime()} and {@link #maxTime()} span the in-order data ({@link Long#MAX_VALUE} and {@link
 * Long#MIN_VALUE} while empty), {@link #minOooTime()} and {@link #maxOooTime()} the
 * out-of-order data.
 */
public final class Head implements Closeable {
  final SeriesTable series = new SeriesTable();
  final Map<Labels, MemSeries> byLabels = new HashMap<>();
  final HeadPostings postings = new HeadPostings();
  final Tombstones tombstones = new Tombstones();
  final MemSeries.ChunkOpts chunkOpts;
  // Volatile: appliers of concurrent commits widen them (under this head's monitor), readers
  // read them without a lock.
  volatile long minTime = Long.MAX_VALUE;
  volatile long maxTime = Long.MIN_VALUE;
  volatile long minOooTime = Long.MAX_VALUE;
  volatile long maxOooTime = Long.MIN_VALUE;
  long minValidTime = Long.MIN_VALUE;
  HeadChunkReader chunkFiles;
  final List<ByteSource> openFiles = new ArrayList<>();
  ReplayReport report = ReplayReport.EMPTY;
  /** Highest series reference seen (Go's {@code lastSeriesID}); new series get larger ones. */
  long lastSeriesRef;
  /** The WAL (WBL) segment where replay met a torn or corrupt record, or -1: the writer repairs it. */
  int walCorruptSegment = -1;
  int wblCorruptSegment = -1;

  Head(MemSeries.ChunkOpts chunkOpts) {
    this.chunkOpts = chunkOpts;
  }

  /**
   * The head of {@code dataDir} rebuilt as Prometheus' read-only mode does ({@code
   * Head.Init(minValidTime)}): in-order samples before {@code minValidTime} (the newest block's
   * end) are dropped.
   */
  static Head replay(Path dataDir, long minValidTime, ReadOnlyDb.Options options) throws IOException {
    return replay(dataDir, minValidTime, options, MemSeries.ChunkOpts.DEFAULT);
  }

  static Head replay(Path dataDir, long minValidTime, ReadOnlyDb.Options options, MemSeries.ChunkOpts chunkOpts)
      throws IOException {
    return replay(dataDir, minValidTime, options, chunkOpts, null);
  }

  /** The same, restoring exemplars (of the WAL and the memory snapshot) into {@code exemplars} unless null. */
  static Head replay(Path dataDir, long minValidTime, ReadOnlyDb.Options options, MemSeries.ChunkOpts chunkOpts,
      ExemplarStorage exemplars) throws IOException {
    Head h = new Head(chunkOpts);
    try {
      new HeadReplay(h, dataDir, options, exemplars).run(minValidTime);
    } catch (IOException | RuntimeException e) {
      try {
        h.close();
      } catch (IOException c) {
        e.addSuppressed(c);
      }
      throw e;
    }
    return h;
  }

  /** What the replay read, dropped and repaired. */
  public ReplayReport replayReport() {
    return report;
  }

  /** Number of series. */
  public int numSeries() {
    return series.size();
  }

  /** Lowest in-order sample time, {@link Long#MAX_VALUE} if there is none. */
  public long minTime() {
    return minTime;
  }

  /** Highest in-order sample time, {@link Long#MIN_VALUE} if there is none. */
  public long maxTime() {
    return maxTime;
  }

  public long minOooTime() {
    return minOooTime;
  }

  public long maxOooTime() {
    return maxOooTime;
  }

  MemSeries getByRef(long ref) {
    return series.get(ref);
  }

  /** Go's {@code getOrCreateWithID}: the series with these labels, created with {@code ref} if new. */
  MemSeries getOrCreate(long ref, Labels labels, boolean[] created) {
    if (ref > lastSeriesRef) {
      lastSeriesRef = ref;
    }
    MemSeries s = byLabels.get(labels);
    if (s != null) {
      created[0] = false;
      return s;
    }
    s = new MemSeries(ref, labels);
    byLabels.put(labels, s);
    series.put(ref, s);
    postings.add(ref, labels);
    created[0] = true;
    return s;
  }

  void updateMinMaxTime(long mint, long maxt) {
    if (mint < minTime || maxt > maxTime) {
      synchronized (this) {
        if (mint < minTime) {
          minTime = mint;
        }
        if (maxt > maxTime) {
          maxTime = maxt;
        }
      }
    }
  }

  void updateMinMaxOooTime(long mint, long maxt) {
    if (mint < minOooTime || maxt > maxOooTime) {
      synchronized (this) {
        if (mint < minOooTime) {
          minOooTime = mint;
        }
        if (maxt > maxOooTime) {
          maxOooTime = maxt;
        }
      }
    }
  }

  /**
   * A querier over {@code [mint, maxt]}, or null when the head holds nothing in that range: in
   * order data from {@code max(minTime, mint)}, merged with out-of-order data when the range
   * overlaps it (Go's {@code RangeHead} and {@code HeadAndOOOQuerier}).
   */
  public Querier querier(long mint, long maxt) {
    boolean overlapsOoo = mint <= maxOooTime && minOooTime <= maxt;
    if (!(maxt >= minTime || overlapsOoo)) {
      return null;
    }
    long inoMint = Math.max(minTime, mint);
    HeadIndexView index = new HeadIndexView(this, overlapsOoo ? mint : inoMint, maxt, inoMint, overlapsOoo);
    return new BlockQuerier(index, new HeadChunkView(this), tombstones::get, mint, maxt, null);
  }

  /**
   * A querier of a head that is being appended to: it sees the commits up to {@code isoSeq}
   * only (samples of later commits are cut off per series), and takes copies of the open head
   * chunks when it reads a series, so that later appends do not change what it returns. The
   * caller holds the head's read lock around every call of the returned querier and its
   * series sets; sample iterators need no lock.
   */
  Querier liveQuerier(long mint, long maxt, long isoSeq, long[] incomplete, Runnable onClose) {
    boolean overlapsOoo = mint <= maxOooTime && minOooTime <= maxt;
    long inoMint = Math.max(minTime, mint);
    HeadIndexView index = new HeadIndexView(this, overlapsOoo ? mint : inoMint, maxt, inoMint, overlapsOoo);
    index.live = true;
    index.isoSeq = isoSeq;
    index.incomplete = incomplete;
    return new BlockQuerier(index, new HeadChunkView(this), tombstones::get, mint, maxt, onClose);
  }

  /**
   * A chunk as a live querier saw it: a copy of a head chunk or the m-mapped chunk itself (so
   * that head truncation, which renumbers chunk IDs, does not change what is read), cut off at
   * {@code maxTime} (the isolation bound).
   */
  record Bounded(Object source, long maxTime) {}

  /** Head chunk references: {@code series ref << 24 | chunk ID}, bit 23 for out-of-order chunks. */
  static long chunkRef(long seriesRef, long chunkId) {
    return (seriesRef << 24) | (chunkId & 0xFFFFFF);
  }

  /** The head's index, limited to chunks overlapping a range. */
  static final class HeadIndexView implements IndexView {
    private final Head head;
    private final long mint;
    private final long maxt;
    private final long inoMint;
    private final boolean ooo;
    boolean live;
    long isoSeq = Long.MAX_VALUE;
    long[] incomplete = new long[0];

    HeadIndexView(Head head, long mint, long maxt, long inoMint, boolean ooo) {
      this.head = head;
      this.mint = mint;
      this.maxt = maxt;
      this.inoMint = inoMint;
      this.ooo = ooo;
    }

    @Override
    public Postings postings(String name, List<String> values) {
      return head.postings.postings(name, values);
    }

    @Override
    public Postings postingsForLabelMatching(String name, java.util.function.Predicate<String> match) {
      return head.postings.matching(name, match);
    }

    @Override
    public Postings postingsForAllLabelValues(String name) {
      return head.postings.matching(name, null);
    }

    @Override
    public Postings allPostings() {
      return head.postings.all();
    }

    @Override
    public Postings sortedPostings(Postings p) {
      List<MemSeries> ss = new ArrayList<>();
      for (long r = p.next(); r != Postings.END; r = p.next()) {
        MemSeries s = head.getByRef(r);
        if (s != null) {
          ss.add(s);
        }
      }
      ss.sort(Comparator.comparing(s -> s.labels));
      long[] refs = new long[ss.size()];
      for (int i = 0; i < refs.length; i++) {
        refs[i] = ss.get(i).ref;
      }
      return new OrderedPostings(refs);
    }

    @Override
    public Labels series(long ref, ChunkMetas chunks) {
      MemSeries s = head.getByRef(ref);
      if (s == null) {
        return null;
      }
      if (chunks != null) {
        chunks.clear();
        // Commits apply to a series under its monitor.
        synchronized (s) {
          long vis = live ? s.visibleMaxTime(isoSeq, incomplete) : Long.MAX_VALUE;
          if (ooo && s.oooPresent) {
            oooSeriesChunks(s, chunks, vis);
          } else {
            appendSeriesChunks(s, inoMint, maxt, chunks, live, vis);
          }
        }
      }
      return s.labels;
    }

    /** Go's {@code appendSeriesChunks}: in-order chunks overlapping {@code [mint, maxt]}. */
    static void appendSeriesChunks(MemSeries s, long mint, long maxt, ChunkMetas out) {
      appendSeriesChunks(s, mint, maxt, out, false, Long.MAX_VALUE);
    }

    /**
     * With {@code live}, chunks starting after {@code vis} (the isolation bound) are left out,
     * head chunks are attached as copies, and chunks reaching past {@code vis} are cut off there.
     */
    static void appendSeriesChunks(MemSeries s, long mint, long maxt, ChunkMetas out, boolean live, long vis) {
      for (int i = 0; i < s.mmappedChunks.size(); i++) {
        MmappedChunk c = s.mmappedChunks.get(i);
        if (c.minTime() <= maxt && mint <= c.maxTime() && c.minTime() <= vis) {
          Object att = live ? new Bounded(c.chunk() != null ? c.chunk() : c, vis) : null;
          out.add(chunkRef(s.ref, s.firstChunkID + i), c.minTime(), c.maxTime(), att);
        }
      }
      int n = s.headChunks.size();
      for (int j = 0; j < n; j++) {
        MemChunk c = s.headChunks.get(j);
        // The newest head chunk is open: it is reported up to the end of time.
        long max = j == n - 1 ? Long.MAX_VALUE : c.maxTime;
        if (c.minTime <= maxt && mint <= c.maxTime && c.minTime <= vis) {
          Object att = live ? new Bounded(c.chunk(), vis) : null;
          out.add(chunkRef(s.ref, s.firstChunkID + s.mmappedChunks.size() + j), c.minTime, max, att);
        }
      }
    }

    /**
     * Go's {@code getOOOSeriesChunks}: out-of-order and in-order chunks overlapping the range,
     * sorted by min time and reference, overlapping runs merged into one meta whose samples are
     * chained.
     */
    private void oooSeriesChunks(MemSeries s, ChunkMetas out, long vis) {
      ChunkMetas tmp = new ChunkMetas();
      OooChunk hc = s.oooHeadChunk;
      if (hc != null && hc.minTime <= maxt && mint <= hc.maxTime) {
        long ref = chunkRef(s.ref, (s.firstOOOChunkID + s.oooMmappedChunks.size()) | MemSeries.OOO_CHUNK_ID_MASK);
        for (SampleList run : hc.toRuns(hc.minTime, hc.maxTime)) {
          tmp.add(ref, run.minTime(), run.maxTime(), run);
        }
      }
      for (int i = s.oooMmappedChunks.size() - 1; i >= 0; i--) {
        MmappedChunk c = s.oooMmappedChunks.get(i);
        if (c.minTime() <= maxt && mint <= c.maxTime()) {
          tmp.add(chunkRef(s.ref, (s.firstOOOChunkID + i) | MemSeries.OOO_CHUNK_ID_MASK), c.minTime(), c.maxTime(), null);
        }
      }
      appendSeriesChunks(s, inoMint, maxt, tmp, live, vis);
      if (tmp.isEmpty()) {
        return;
      }
      Integer[] order = new Integer[tmp.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      // Go's slices.SortFunc (pdqsort) by (minTime, ref); ties would need equal refs and min
      // times, which one series' chunks never have but for the runs of the OOO head chunk, and
      // those are ordered by time already.
      java.util.Arrays.sort(
          order,
          Comparator.<Integer>comparingLong(i -> tmp.minTimes[i]).thenComparingLong(i -> tmp.refs[i]));
      int first = order[0];
      long curRef = tmp.refs[first];
      long curMin = tmp.minTimes[first];
      long curMax = tmp.maxTimes[first];
      List<MultiPart> parts = null;
      Object curAtt = tmp.attachments[first];
      for (int k = 1; k < order.length; k++) {
        int c = order[k];
        if (tmp.minTimes[c] > curMax) {
          out.add(curRef, curMin, curMax, parts != null ? List.copyOf(parts) : curAtt);
          curRef = tmp.refs[c];
          curMin = tmp.minTimes[c];
          curMax = tmp.maxTimes[c];
          curAtt = tmp.attachments[c];
          parts = null;
        } else {
          if (parts == null) {
            parts = new ArrayList<>();
            parts.add(new MultiPart(curRef, curMin, curMax, curAtt));
          }
          parts.add(new MultiPart(tmp.refs[c], tmp.minTimes[c], tmp.maxTimes[c], tmp.attachments[c]));
          if (curMax < tmp.maxTimes[c]) {
            curMax = tmp.maxTimes[c];
          }
        }
      }
      out.add(curRef, curMin, curMax, parts != null ? List.copyOf(parts) : curAtt);
    }

    @Override
    public List<String> labelValues(String name) {
      return head.postings.labelValues(name);
    }

    @Override
    public List<String> labelNames() {
      return head.postings.labelNames();
    }
  }

  /** One chunk of a merged meta (Go's {@code multiMeta} element). */
  record MultiPart(long ref, long minTime, long maxTime, Object attachment) {}

  /** Reads head chunks: in memory, from the head chunk files, or merged for OOO. */
  static final class HeadChunkView implements ChunkView {
    private final Head head;

    HeadChunkView(Head head) {
      this.head = head;
    }

    @Override
    public SampleIterator iterator(long ref, long minTime, long maxTime, Object attachment, SampleIterator reuse)
        throws IOException {
      if (attachment instanceof List<?> parts) {
        List<SampleIterator> its = new ArrayList<>(parts.size());
        for (Object o : parts) {
          MultiPart p = (MultiPart) o;
          its.add(iterator(p.ref(), p.minTime(), p.maxTime(), p.attachment(), null));
        }
        return new ChainSampleIterator(its);
      }
      if (attachment instanceof SampleList l) {
        return l.iterator();
      }
      if (attachment instanceof Bounded b) {
        SampleIterator in = b.source() instanceof Chunk c
            ? ChunkSampleIterator.of(c, null)
            : mmapped((MmappedChunk) b.source(), null);
        return b.maxTime() == Long.MAX_VALUE ? in : new MaxTimeIterator(in, b.maxTime());
      }
      if (attachment instanceof Chunk c) {
        return ChunkSampleIterator.of(c, reuse);
      }
      return chunkFromSeries(ref, reuse);
    }

    private SampleIterator chunkFromSeries(long ref, SampleIterator reuse) throws IOException {
      long seriesRef = ref >>> 24;
      long id = ref & 0xFFFFFF;
      MemSeries s = head.getByRef(seriesRef);
      if (s == null) {
        throw new IOException("head chunk " + ref + ": series " + seriesRef + " not found");
      }
      synchronized (s) {
        return chunkOfSeries(s, ref, id, reuse);
      }
    }

    private SampleIterator chunkOfSeries(MemSeries s, long ref, long id, SampleIterator reuse) throws IOException {
      if ((id & MemSeries.OOO_CHUNK_ID_MASK) != 0) {
        long ix = (id & ~MemSeries.OOO_CHUNK_ID_MASK) - s.firstOOOChunkID;
        if (ix < 0 || ix >= s.oooMmappedChunks.size()) {
          throw new IOException("head chunk " + ref + ": invalid out-of-order chunk ID " + ix);
        }
        return mmapped(s.oooMmappedChunks.get((int) ix), reuse);
      }
      long ix = id - s.firstChunkID;
      if (ix < 0 || ix >= s.mmappedChunks.size() + s.headChunks.size()) {
        throw new IOException("head chunk " + ref + ": invalid chunk ID " + ix);
      }
      if (ix < s.mmappedChunks.size()) {
        return mmapped(s.mmappedChunks.get((int) ix), reuse);
      }
      MemChunk c = s.headChunks.get((int) ix - s.mmappedChunks.size());
      return ChunkSampleIterator.of(c.chunk(), reuse);
    }

    private SampleIterator mmapped(MmappedChunk m, SampleIterator reuse) throws IOException {
      if (m.chunk() != null) {
        return ChunkSampleIterator.of(m.chunk(), reuse);
      }
      return ChunkSampleIterator.of(head.chunkFiles.chunk(m.ref()), reuse);
    }
  }

  /** Postings in a given order (label order from {@code sortedPostings}); only iterated. */
  static final class OrderedPostings implements Postings {
    private final long[] refs;
    private int i = -1;

    OrderedPostings(long[] refs) {
      this.refs = refs;
    }

    @Override
    public long at() {
      return i < 0 ? NOT_STARTED : i >= refs.length ? END : refs[i];
    }

    @Override
    public long next() {
      if (i < refs.length) {
        i++;
      }
      return at();
    }

    @Override
    public long seek(long target) {
      if (i < 0) {
        i = 0;
      }
      while (i < refs.length && refs[i] < target) {
        i++;
      }
      return at();
    }

    @Override
    public long cost() {
      return refs.length - Math.max(i, 0);
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (ByteSource s : openFiles) {
      try {
        FileAccess.close(s);
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    openFiles.clear();
    if (first != null) {
      throw first;
    }
  }
}
