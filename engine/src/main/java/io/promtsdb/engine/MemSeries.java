package io.promtsdb.engine;

import io.promtsdb.chunks.AppendResult;
import io.promtsdb.chunks.ChunkEncoding;
import io.promtsdb.chunks.FloatHistogramAppender;
import io.promtsdb.chunks.HistogramAppender;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import java.util.ArrayList;
import java.util.List;

/**
 * One series of the head (Go's {@code memSeries}): its full chunks ({@link #mmappedChunks}),
 * the chunks still open or not yet m-mapped ({@link #headChunks}, oldest first, the last one
 * being appended to), and its out-of-order chunks. Appends follow Prometheus' chunk cutting
 * exactly (head_append.go {@code appendPreprocessor} and {@code
 * histogramsAppendPreprocessor}): 120 samples per chunk targeted through an end time predicted
 * at a quarter of the chunk, a hard cap at twice that, 1005 bytes for XOR chunks, 1024 bytes
 * (at least 10 samples) for histogram chunks, and a new chunk when the sample type changes.
 */
final class MemSeries {
  /** Prometheus' {@code chunkenc.MaxBytesPerXORChunk} (1024) minus a maximal sample (19). */
  static final int MAX_BYTES_PER_XOR_CHUNK_BEFORE_APPEND = 1024 - 19;

  static final int TARGET_BYTES_PER_HISTOGRAM_CHUNK = 1024;
  static final int MIN_SAMPLES_PER_HISTOGRAM_CHUNK = 10;

  /** Bit 23 of a head chunk ID marks out-of-order chunks. */
  static final long OOO_CHUNK_ID_MASK = 1L << 23;

  final long ref;
  final Labels labels;

  // Capacity 0: most series of a young head have no m-mapped chunk yet.
  List<MmappedChunk> mmappedChunks = new ArrayList<>(0);
  /** Oldest first; the last element is the chunk being appended to. Empty: no head chunk. */
  final HeadChunkList headChunks = new HeadChunkList();
  long firstChunkID;
  long nextAt = Long.MIN_VALUE;
  long mmMaxTime;
  boolean histogramChunkHasComputedEndTime;

  // Out-of-order fields (Go's memSeriesOOOFields); oooPresent mirrors "s.ooo != nil".
  boolean oooPresent;
  List<MmappedChunk> oooMmappedChunks = new ArrayList<>(0);
  OooChunk oooHeadChunk;
  long firstOOOChunkID;

  // Write side (Tsdb): whether a series record for this series is in the WAL, and the
  // isolation ring: for each recent commit that appended to this series, its sequence number
  // and the series' in-order max time before it, oldest first. A querier that started before
  // commit q sees the series only up to the max time before q's entry (Go's txRing).
  boolean walLogged = true;
  /**
   * The in-order max time as of the last commit (or replay), {@link Long#MIN_VALUE} with no
   * in-order sample: read by appenders without a lock; written under the head's write lock.
   */
  volatile long committedMaxTime = Long.MIN_VALUE;
  /**
   * Scratch state of the commit in progress (only the commit lock holder touches it): valid
   * when {@code scratchSeq} is that commit's sequence number.
   */
  long scratchSeq = -1;
  long scratchMaxT;
  int scratchFlags;
  /** Index of the commit's last sample of this series. */
  int scratchLast;
  static final int SCRATCH_LOGGED = 1;
  static final int SCRATCH_BEGUN = 2;
  /** The series record is in the records the appender encoded before the commit lock. */
  static final int SCRATCH_SPECULATED = 4;
  /**
   * Commits apply to a series in WAL order: the newest commit that logged samples for it
   * (written under the commit lock) and the newest whose apply finished here (under this
   * series' monitor, which waiters wait on). {@code loggedMaxT} is the newest in-order time
   * logged, so that samples are logged in increasing time per series.
   */
  long lastLoggedSeq;
  long appliedSeq;
  long loggedMaxT = Long.MIN_VALUE;
  /**
   * The isolation ring, oldest first: entries {@code (commit sequence number, in-order max time
   * before it)}. The newest is in {@code txLastSeq} and {@code txLastMaxBefore} (0: none;
   * sequence numbers start at 1); older ones, kept only while a querier may need them, are
   * pairs in {@code txOlder[0, 2 * txOlderLen)}, an array made when needed. Between commits
   * without open queriers a series holds just the newest entry, with no array to load.
   */
  private long txLastSeq;
  private long txLastMaxBefore;
  private long[] txOlder;
  private int txOlderLen;
  /** Threads waiting in this series' monitor for an earlier commit to apply (rare). */
  int applyWaiters;

  MemSeries(long ref, Labels labels) {
    this.ref = ref;
    this.labels = labels;
  }

  /**
   * Records that commit {@code seq} is about to append to this series; entries that no open
   * querier can need ({@code seq <= lowWatermark}) are dropped first. Called under the head's
   * write lock.
   */
  void beginCommit(long seq, long lowWatermark) {
    if (txLastSeq == seq) {
      return;
    }
    if (txOlderLen > 0) {
      long[] r = txOlder;
      int drop = 0;
      while (drop < txOlderLen && r[2 * drop] <= lowWatermark) {
        drop++;
      }
      if (drop == txOlderLen) {
        txOlder = null;
        txOlderLen = 0;
      } else if (drop > 0) {
        System.arraycopy(r, 2 * drop, r, 0, 2 * (txOlderLen - drop));
        txOlderLen -= drop;
      }
    }
    if (txLastSeq != 0 && txLastSeq > lowWatermark) {
      if (txOlder == null) {
        txOlder = new long[4];
      } else if (2 * txOlderLen == txOlder.length) {
        txOlder = java.util.Arrays.copyOf(txOlder, 4 * txOlderLen);
      }
      txOlder[2 * txOlderLen] = txLastSeq;
      txOlder[2 * txOlderLen + 1] = txLastMaxBefore;
      txOlderLen++;
    }
    txLastSeq = seq;
    txLastMaxBefore = maxTime();
  }

  /**
   * The highest in-order time visible to a querier that saw commits up to {@code seq}: {@link
   * Long#MAX_VALUE} when every commit that appended to the series is visible. Called under the
   * head's read lock.
   */
  long visibleMaxTime(long seq, long[] incomplete) {
    for (int i = 0; i < txOlderLen; i++) {
      long q = txOlder[2 * i];
      if (q > seq || java.util.Arrays.binarySearch(incomplete, q) >= 0) {
        return txOlder[2 * i + 1];
      }
    }
    if (txLastSeq != 0 && (txLastSeq > seq || java.util.Arrays.binarySearch(incomplete, txLastSeq) >= 0)) {
      return txLastMaxBefore;
    }
    return Long.MAX_VALUE;
  }

  /** Options of chunk cutting (Go's {@code chunkOpts}). */
  record ChunkOpts(long chunkRange, int samplesPerChunk) {
    static final ChunkOpts DEFAULT = new ChunkOpts(2 * 60 * 60 * 1000L, 120);
  }

  MemChunk headChunk() {
    return headChunks.last();
  }

  long minTime() {
    if (!mmappedChunks.isEmpty()) {
      return mmappedChunks.get(0).minTime();
    }
    if (!headChunks.isEmpty()) {
      return headChunks.get(0).minTime;
    }
    return Long.MIN_VALUE;
  }

  long maxTime() {
    MemChunk c = headChunk();
    if (c != null) {
      return c.maxTime;
    }
    if (!mmappedChunks.isEmpty()) {
      return mmappedChunks.get(mmappedChunks.size() - 1).maxTime();
    }
    return Long.MIN_VALUE;
  }

  /** Go's {@code rangeForTimestamp}: the end of the chunk range holding {@code t}. */
  static long rangeForTimestamp(long t, long width) {
    return (t / width) * width + width; // Go's division truncates, as Java's does
  }

  /** Go's {@code computeChunkEndTime}, float64 arithmetic included. */
  static long computeChunkEndTime(long start, long cur, long maxT, double ratioToFull) {
    double n = (double) (maxT - start) / ((double) (cur - start + 1) * ratioToFull);
    if (n <= 1) {
      return maxT;
    }
    return (long) ((double) start + (double) (maxT - start) / Math.floor(n));
  }

  private MemChunk cutNewHeadChunk(long mint, ChunkEncoding e, long chunkRange) {
    MemChunk prev = headChunk();
    // The previous chunk's size predicts this one's: its buffer is allocated once. 24 bytes of
    // slack are what the bit writer keeps free past its last full word.
    int capacity = prev != null && prev.xor != null ? prev.sizeBytes() + 24 : MemChunk.FIRST_XOR_CAPACITY;
    MemChunk c = new MemChunk(e, mint, capacity);
    headChunks.add(c);
    nextAt = rangeForTimestamp(mint, chunkRange);
    return c;
  }

  /** Result of an append: whether it was in order, whether a chunk was cut. */
  static final int APPENDED = 1;
  static final int CHUNK_CREATED = 2;

  /** Go's {@code memSeries.append}: a float sample, in order only. */
  int append(long t, double v, ChunkOpts o) {
    MemChunk before = headChunk();
    MemChunk c = appendPreprocessor(t, ChunkEncoding.XOR, o);
    // A cut always adds a new head chunk.
    int created = headChunk() != before ? CHUNK_CREATED : 0;
    if (c == null) {
      return created;
    }
    c.xor.append(t, v);
    c.maxTime = t;
    return APPENDED | created;
  }

  private MemChunk appendPreprocessor(long t, ChunkEncoding e, ChunkOpts o) {
    MemChunk c = headChunk();
    boolean created = false;
    if (c == null) {
      if (!mmappedChunks.isEmpty() && mmappedChunks.get(mmappedChunks.size() - 1).maxTime() >= t) {
        return null; // already covered by m-mapped chunks
      }
      c = cutNewHeadChunk(t, e, o.chunkRange());
      created = true;
    }
    if (c.maxTime >= t) {
      return null; // out of order or duplicate
    }
    if (!created && c.sizeBytes() > MAX_BYTES_PER_XOR_CHUNK_BEFORE_APPEND) {
      c = cutNewHeadChunk(t, e, o.chunkRange());
    }
    if (c.encoding != e) {
      c = cutNewHeadChunk(t, e, o.chunkRange());
    }
    int numSamples = c.numSamples();
    if (numSamples == 0) {
      c.minTime = t;
      nextAt = rangeForTimestamp(c.minTime, o.chunkRange());
    }
    if (numSamples == o.samplesPerChunk() / 4) {
      nextAt = computeChunkEndTime(c.minTime, c.maxTime, nextAt, 4);
    }
    if (t >= nextAt || numSamples >= o.samplesPerChunk() * 2) {
      c = cutNewHeadChunk(t, e, o.chunkRange());
    }
    return c;
  }

  private MemChunk histogramsAppendPreprocessor(long t, ChunkEncoding e, ChunkOpts o) {
    MemChunk c = headChunk();
    boolean created = false;
    if (c == null) {
      if (!mmappedChunks.isEmpty() && mmappedChunks.get(mmappedChunks.size() - 1).maxTime() >= t) {
        return null;
      }
      c = cutNewHeadChunk(t, e, o.chunkRange());
      created = true;
    }
    if (c.maxTime >= t) {
      return null;
    }
    if (c.encoding != e) {
      c = cutNewHeadChunk(t, e, o.chunkRange());
      created = true;
    }
    int numSamples = c.numSamples();
    int numBytes = c.sizeBytes();
    if (numSamples == 0) {
      c.minTime = t;
      nextAt = rangeForTimestamp(c.minTime, o.chunkRange());
    }
    long nextChunkRangeStart =
        histogramChunkHasComputedEndTime ? rangeForTimestamp(c.minTime, o.chunkRange()) : nextAt;
    if (!histogramChunkHasComputedEndTime && numBytes >= TARGET_BYTES_PER_HISTOGRAM_CHUNK / 4) {
      double ratioToFull = (double) TARGET_BYTES_PER_HISTOGRAM_CHUNK / (double) numBytes;
      nextAt = computeChunkEndTime(c.minTime, c.maxTime, nextAt, ratioToFull);
      histogramChunkHasComputedEndTime = true;
    }
    if ((t >= nextAt || numBytes >= TARGET_BYTES_PER_HISTOGRAM_CHUNK * 2)
        && (numSamples >= MIN_SAMPLES_PER_HISTOGRAM_CHUNK || t >= nextChunkRangeStart)) {
      c = cutNewHeadChunk(t, e, o.chunkRange());
      created = true;
    }
    if (created) {
      histogramChunkHasComputedEndTime = false;
    }
    return c;
  }

  /** Go's {@code memSeries.appendHistogram}. */
  int appendHistogram(long t, Histogram h, ChunkOpts o) {
    MemChunk before = headChunk();
    HistogramAppender prevApp = before == null ? null : before.histogram;
    MemChunk c = histogramsAppendPreprocessor(t, ChunkEncoding.HISTOGRAM, o);
    boolean created = headChunk() != before;
    if (c == null) {
      return created ? CHUNK_CREATED : 0;
    }
    if (!created) {
      prevApp = null; // continuing the current chunk
    }
    AppendResult<HistogramAppender> r = c.histogram.appendHistogram(prevApp, 0, t, h, false);
    switch (r.outcome()) {
      case APPENDED -> {
        c.maxTime = t;
        return APPENDED | (created ? CHUNK_CREATED : 0);
      }
      case RECODED -> {
        c.histogram = r.appender();
        c.maxTime = t;
        return APPENDED;
      }
      default -> {
        MemChunk n = new MemChunk(ChunkEncoding.HISTOGRAM, t);
        n.histogram = r.appender();
        n.maxTime = t;
        headChunks.add(n);
        nextAt = rangeForTimestamp(t, o.chunkRange());
        return APPENDED | CHUNK_CREATED;
      }
    }
  }

  /** Go's {@code memSeries.appendFloatHistogram}. */
  int appendFloatHistogram(long t, FloatHistogram fh, ChunkOpts o) {
    MemChunk before = headChunk();
    FloatHistogramAppender prevApp = before == null ? null : before.floatHistogram;
    MemChunk c = histogramsAppendPreprocessor(t, ChunkEncoding.FLOAT_HISTOGRAM, o);
    boolean created = headChunk() != before;
    if (c == null) {
      return created ? CHUNK_CREATED : 0;
    }
    if (!created) {
      prevApp = null;
    }
    AppendResult<FloatHistogramAppender> r = c.floatHistogram.appendFloatHistogram(prevApp, 0, t, fh, false);
    switch (r.outcome()) {
      case APPENDED -> {
        c.maxTime = t;
        return APPENDED | (created ? CHUNK_CREATED : 0);
      }
      case RECODED -> {
        c.floatHistogram = r.appender();
        c.maxTime = t;
        return APPENDED;
      }
      default -> {
        MemChunk n = new MemChunk(ChunkEncoding.FLOAT_HISTOGRAM, t);
        n.floatHistogram = r.appender();
        n.maxTime = t;
        headChunks.add(n);
        nextAt = rangeForTimestamp(t, o.chunkRange());
        return APPENDED | CHUNK_CREATED;
      }
    }
  }

  /**
   * Go's {@code mmapChunks}: every head chunk but the newest becomes an m-mapped chunk (kept in
   * memory here, where Prometheus writes it to a head chunk file).
   */
  int mmapChunks() {
    int n = headChunks.size() - 1;
    if (n <= 0) {
      return 0;
    }
    for (int i = 0; i < n; i++) {
      MemChunk c = headChunks.get(i);
      mmappedChunks.add(new MmappedChunk(-1, c.minTime, c.maxTime, c.numSamples(), c.chunk()));
    }
    headChunks.removeFirst(n);
    return n;
  }

  /** {@link #insertOoo} result bit: the sample went in (not a duplicate timestamp). */
  static final int OOO_INSERTED = 1;
  /** {@link #insertOoo} result bit: a new out-of-order head chunk was started for it. */
  static final int OOO_CHUNK_CREATED = 2;

  /**
   * Where full out-of-order head chunks go (the head chunk files, with the out-of-order flag):
   * returns the chunk's reference ({@code file number << 32 | offset}).
   */
  interface OooChunkSink {
    long write(long seriesRef, long mint, long maxt, io.promtsdb.chunks.Chunk chunk) throws java.io.IOException;
  }

  /**
   * Go's {@code memSeries.insert}: an out-of-order sample into the OOO head chunk, cutting a new
   * one at {@code capMax} samples (or for the series' first). The full chunk is encoded as Go's
   * {@code ToEncodedChunks} encodes it (one chunk per run of a value type) and each piece written
   * to {@code sink}, whose references are added to {@code mmapRefs}; with a null sink (WAL
   * replay) the encoded chunks stay in memory only.
   *
   * @return {@link #OOO_INSERTED} and {@link #OOO_CHUNK_CREATED} bits
   */
  int insertOoo(long t, double v, Histogram h, FloatHistogram fh, int capMax, OooChunkSink sink,
      java.util.function.LongConsumer mmapRefs) throws java.io.IOException {
    oooPresent = true;
    OooChunk c = oooHeadChunk;
    boolean created = false;
    if (c == null || c.numSamples() == capMax) {
      mmapCurrentOooHeadChunk(sink, mmapRefs);
      c = new OooChunk(t);
      oooHeadChunk = c;
      created = true;
    }
    boolean ok = c.insert(t, v, h, fh);
    if (ok) {
      if (created || t < c.minTime) {
        c.minTime = t;
      }
      if (created || t > c.maxTime) {
        c.maxTime = t;
      }
    }
    return (ok ? OOO_INSERTED : 0) | (created ? OOO_CHUNK_CREATED : 0);
  }

  private void mmapCurrentOooHeadChunk(OooChunkSink sink, java.util.function.LongConsumer mmapRefs)
      throws java.io.IOException {
    if (!oooPresent || oooHeadChunk == null) {
      return;
    }
    for (BlockChunk bc : oooHeadChunk.toEncodedChunks()) {
      long ref = -1;
      if (sink != null) {
        ref = sink.write(this.ref, bc.minTime(), bc.maxTime(), bc.chunk());
        mmapRefs.accept(ref);
      }
      // The chunk stays in memory too, as in-order m-mapped chunks do: the head chunk file
      // reader of the replay does not see files written since.
      oooMmappedChunks.add(new MmappedChunk(ref, bc.minTime(), bc.maxTime(), bc.chunk().numSamples(), bc.chunk()));
    }
    oooHeadChunk = null;
  }

  /**
   * Go's {@code truncateChunksBefore}: drops chunks with no sample at or after {@code mint}.
   * Chunk IDs stay as they were.
   */
  int truncateChunksBefore(long mint) {
    int removedInOrder = 0;
    for (int i = headChunks.size() - 1; i >= 0; i--) {
      if (headChunks.get(i).maxTime < mint) {
        // This chunk and all older ones go, and every m-mapped chunk.
        removedInOrder = (i + 1) + mmappedChunks.size();
        firstChunkID += removedInOrder;
        headChunks.removeFirst(i + 1);
        mmappedChunks = new ArrayList<>(0);
        break;
      }
    }
    if (!mmappedChunks.isEmpty()) {
      int removed = 0;
      for (MmappedChunk c : mmappedChunks) {
        if (c.maxTime() >= mint) {
          break;
        }
        removed++;
      }
      if (removed > 0) {
        mmappedChunks = new ArrayList<>(mmappedChunks.subList(removed, mmappedChunks.size()));
        firstChunkID += removed;
        removedInOrder = removed;
      }
    }
    if (oooPresent && oooMmappedChunks.isEmpty() && oooHeadChunk == null) {
      oooPresent = false;
    }
    return removedInOrder;
  }

  boolean hasChunks() {
    return !mmappedChunks.isEmpty()
        || !headChunks.isEmpty()
        || (oooPresent && (!oooMmappedChunks.isEmpty() || oooHeadChunk != null));
  }

  @Override
  public String toString() {
    return ref + " " + labels;
  }
}
