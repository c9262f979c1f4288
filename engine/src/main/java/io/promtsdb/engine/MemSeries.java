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

  List<MmappedChunk> mmappedChunks = new ArrayList<>(2);
  /** Oldest first; the last element is the chunk being appended to. Empty: no head chunk. */
  final ArrayList<MemChunk> headChunks = new ArrayList<>(1);
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
  static final int SCRATCH_LOGGED = 1;
  static final int SCRATCH_BEGUN = 2;
  static final int SCRATCH_CUT = 4;
  /**
   * Commits apply to a series in WAL order: the newest commit that logged samples for it
   * (written under the commit lock) and the newest whose apply finished here (under this
   * series' monitor, which waiters wait on). {@code loggedMaxT} is the newest in-order time
   * logged, so that samples are logged in increasing time per series.
   */
  long lastLoggedSeq;
  long appliedSeq;
  long loggedMaxT = Long.MIN_VALUE;
  private long[] txSeq;
  private long[] txMaxBefore;
  private int txLen;

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
    int drop = 0;
    while (drop < txLen && txSeq[drop] <= lowWatermark) {
      drop++;
    }
    if (drop > 0) {
      System.arraycopy(txSeq, drop, txSeq, 0, txLen - drop);
      System.arraycopy(txMaxBefore, drop, txMaxBefore, 0, txLen - drop);
      txLen -= drop;
    }
    if (txLen > 0 && txSeq[txLen - 1] == seq) {
      return;
    }
    if (txSeq == null) {
      txSeq = new long[2];
      txMaxBefore = new long[2];
    } else if (txLen == txSeq.length) {
      txSeq = java.util.Arrays.copyOf(txSeq, txLen * 2);
      txMaxBefore = java.util.Arrays.copyOf(txMaxBefore, txLen * 2);
    }
    txSeq[txLen] = seq;
    txMaxBefore[txLen] = maxTime();
    txLen++;
  }

  /**
   * The highest in-order time visible to a querier that saw commits up to {@code seq}: {@link
   * Long#MAX_VALUE} when every commit that appended to the series is visible. Called under the
   * head's read lock.
   */
  long visibleMaxTime(long seq, long[] incomplete) {
    for (int i = 0; i < txLen; i++) {
      if (txSeq[i] > seq || java.util.Arrays.binarySearch(incomplete, txSeq[i]) >= 0) {
        return txMaxBefore[i];
      }
    }
    return Long.MAX_VALUE;
  }

  /** Options of chunk cutting (Go's {@code chunkOpts}). */
  record ChunkOpts(long chunkRange, int samplesPerChunk) {
    static final ChunkOpts DEFAULT = new ChunkOpts(2 * 60 * 60 * 1000L, 120);
  }

  MemChunk headChunk() {
    return headChunks.isEmpty() ? null : headChunks.get(headChunks.size() - 1);
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
    MemChunk c = new MemChunk(e, mint);
    headChunks.add(c);
    nextAt = rangeForTimestamp(mint, chunkRange);
    return c;
  }

  /** Result of an append: whether it was in order, whether a chunk was cut. */
  static final int APPENDED = 1;
  static final int CHUNK_CREATED = 2;

  /** Go's {@code memSeries.append}: a float sample, in order only. */
  int append(long t, double v, ChunkOpts o) {
    boolean[] created = new boolean[1];
    MemChunk c = appendPreprocessor(t, ChunkEncoding.XOR, o, created);
    if (c == null) {
      return created[0] ? CHUNK_CREATED : 0;
    }
    c.xor.append(t, v);
    c.maxTime = t;
    return APPENDED | (created[0] ? CHUNK_CREATED : 0);
  }

  private MemChunk appendPreprocessor(long t, ChunkEncoding e, ChunkOpts o, boolean[] created) {
    MemChunk c = headChunk();
    if (c == null) {
      if (!mmappedChunks.isEmpty() && mmappedChunks.get(mmappedChunks.size() - 1).maxTime() >= t) {
        return null; // already covered by m-mapped chunks
      }
      c = cutNewHeadChunk(t, e, o.chunkRange());
      created[0] = true;
    }
    if (c.maxTime >= t) {
      return null; // out of order or duplicate
    }
    if (!created[0] && c.sizeBytes() > MAX_BYTES_PER_XOR_CHUNK_BEFORE_APPEND) {
      c = cutNewHeadChunk(t, e, o.chunkRange());
      created[0] = true;
    }
    if (c.encoding != e) {
      c = cutNewHeadChunk(t, e, o.chunkRange());
      created[0] = true;
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
      created[0] = true;
    }
    return c;
  }

  private MemChunk histogramsAppendPreprocessor(long t, ChunkEncoding e, ChunkOpts o, boolean[] created) {
    MemChunk c = headChunk();
    if (c == null) {
      if (!mmappedChunks.isEmpty() && mmappedChunks.get(mmappedChunks.size() - 1).maxTime() >= t) {
        return null;
      }
      c = cutNewHeadChunk(t, e, o.chunkRange());
      created[0] = true;
    }
    if (c.maxTime >= t) {
      return null;
    }
    if (c.encoding != e) {
      c = cutNewHeadChunk(t, e, o.chunkRange());
      created[0] = true;
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
      created[0] = true;
    }
    if (created[0]) {
      histogramChunkHasComputedEndTime = false;
    }
    return c;
  }

  /** Go's {@code memSeries.appendHistogram}. */
  int appendHistogram(long t, Histogram h, ChunkOpts o) {
    MemChunk before = headChunk();
    HistogramAppender prevApp = before == null ? null : before.histogram;
    boolean[] created = new boolean[1];
    MemChunk c = histogramsAppendPreprocessor(t, ChunkEncoding.HISTOGRAM, o, created);
    if (c == null) {
      return created[0] ? CHUNK_CREATED : 0;
    }
    if (!created[0]) {
      prevApp = null; // continuing the current chunk
    }
    AppendResult<HistogramAppender> r = c.histogram.appendHistogram(prevApp, 0, t, h, false);
    switch (r.outcome()) {
      case APPENDED -> {
        c.maxTime = t;
        return APPENDED | (created[0] ? CHUNK_CREATED : 0);
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
    boolean[] created = new boolean[1];
    MemChunk c = histogramsAppendPreprocessor(t, ChunkEncoding.FLOAT_HISTOGRAM, o, created);
    if (c == null) {
      return created[0] ? CHUNK_CREATED : 0;
    }
    if (!created[0]) {
      prevApp = null;
    }
    AppendResult<FloatHistogramAppender> r = c.floatHistogram.appendFloatHistogram(prevApp, 0, t, fh, false);
    switch (r.outcome()) {
      case APPENDED -> {
        c.maxTime = t;
        return APPENDED | (created[0] ? CHUNK_CREATED : 0);
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
      mmappedChunks.add(new MmappedChunk(-1, c.minTime, c.maxTime, c.numSamples(), c.chunk(), null));
    }
    MemChunk last = headChunks.get(n);
    headChunks.clear();
    headChunks.add(last);
    return n;
  }

  /**
   * Go's {@code memSeries.insert}: an out-of-order sample into the OOO head chunk, cutting a new
   * one (and m-mapping the full one) at {@code capMax} samples.
   *
   * @return whether the sample was inserted (false for a duplicate timestamp)
   */
  boolean insertOoo(long t, double v, Histogram h, FloatHistogram fh, int capMax) {
    oooPresent = true;
    OooChunk c = oooHeadChunk;
    boolean created = false;
    if (c == null || c.numSamples() == capMax) {
      mmapCurrentOooHeadChunk();
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
    return ok;
  }

  private void mmapCurrentOooHeadChunk() {
    if (!oooPresent || oooHeadChunk == null) {
      return;
    }
    for (SampleList run : oooHeadChunk.toRuns(Long.MIN_VALUE, Long.MAX_VALUE)) {
      oooMmappedChunks.add(new MmappedChunk(-1, run.minTime(), run.maxTime(), run.samples().size(), null, run));
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
        headChunks.subList(0, i + 1).clear();
        mmappedChunks = new ArrayList<>(2);
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
