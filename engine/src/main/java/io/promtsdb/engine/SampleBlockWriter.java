package io.promtsdb.engine;

import io.promtsdb.chunks.WriterFlavor;
import io.promtsdb.chunks.XorAppender;
import io.promtsdb.core.GoFloat;
import io.promtsdb.core.Labels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Accumulates float samples the way Prometheus' head does and writes them as one block (Go's
 * {@code tsdb.BlockWriter}, which promtool's backfill uses): samples go through appenders
 * whose commits apply them in order, chunks are cut as the head cuts them, and {@link
 * #flush} writes the block from {@code minTime} to {@code maxTime + 1} as a level-1
 * compaction of the head.
 *
 * <p>What the head does, reproduced here for float samples without an out-of-order window:
 *
 * <ul>
 *   <li>{@link Appender#append} rejects a sample older than the appender's minimum valid time
 *       ({@code head maxTime - chunkRange/2}; "out of bounds"), at or before the last
 *       committed sample of its series ("out of order sample"), or at the same time with other
 *       value bits ("duplicate sample for timestamp ..."); labels are checked as the head
 *       checks them (empty values dropped, no empty set, no repeated names);
 *   <li>{@link Appender#commit} applies pending samples in append order and silently drops
 *       those the series' state now rejects (e.g. out of order within one appender);
 *   <li>a chunk is cut when it holds more than {@code 1024 - 19} bytes, at the estimated end
 *       time computed when it reaches 30 samples (a quarter of 120), at the end of the chunk
 *       range, or at 240 samples.
 * </ul>
 *
 * <p>Memory: all chunks are held until {@link #flush}. Not thread-safe.
 */
public final class SampleBlockWriter {
  /** Samples per chunk Prometheus targets ({@code DefaultSamplesPerChunk}). */
  static final int SAMPLES_PER_CHUNK = 120;

  /** {@code chunkenc.MaxBytesPerXORChunk} less the largest sample (19 bytes). */
  static final int MAX_BYTES_PER_XOR_CHUNK = 1024 - 19;

  /** A sample the head rejects, with Prometheus' message. */
  public static final class RejectedSampleException extends IOException {
    private static final long serialVersionUID = 1L;

    RejectedSampleException(String message) {
      super(message);
    }
  }

  /**
   * Settings.
   *
   * @param flavor which Prometheus' XOR bytes to write (2.x adds a spare trailing byte)
   * @param block settings of the block file writers
   */
  public record Options(WriterFlavor flavor, BlockWriter.Options block) {
    public static final Options DEFAULT = new Options(WriterFlavor.PROMETHEUS_3, BlockWriter.Options.DEFAULT);

    public Options {
      Objects.requireNonNull(flavor, "flavor");
      Objects.requireNonNull(block, "block");
    }
  }

  private final Path dir;
  private final long chunkRange;
  private final Options options;
  private final Map<Labels, Series> series = new HashMap<>();
  private long minTime = Long.MAX_VALUE;
  private long maxTime = Long.MIN_VALUE;

  /**
   * A writer of blocks into {@code dir} whose head uses chunk range {@code blockSize} (promtool
   * passes twice its block duration).
   */
  public SampleBlockWriter(Path dir, long blockSize, Options options) {
    if (blockSize <= 0) {
      throw new IllegalArgumentException("block size must be positive: " + blockSize);
    }
    this.dir = Objects.requireNonNull(dir, "dir");
    this.chunkRange = blockSize;
    this.options = Objects.requireNonNull(options, "options");
  }

  public SampleBlockWriter(Path dir, long blockSize) {
    this(dir, blockSize, Options.DEFAULT);
  }

  /** A new appender; its samples become part of the block when it commits. */
  public Appender appender() {
    return new Appender();
  }

  /** The smallest committed sample time, {@link Long#MAX_VALUE} before the first append. */
  public long minTime() {
    return minTime;
  }

  /** The largest committed sample time. */
  public long maxTime() {
    return maxTime;
  }

  /**
   * Writes the block of every committed sample, from {@link #minTime()} to {@link #maxTime()}
   * + 1, with a new ULID; empty when there is no sample (no block is written).
   */
  public Optional<BlockMeta> flush() throws IOException {
    if (minTime == Long.MAX_VALUE) {
      return Optional.empty();
    }
    List<Labels> sorted = new ArrayList<>(series.keySet());
    sorted.sort(null);
    List<ChunkSeries> out = new ArrayList<>(sorted.size());
    for (Labels l : sorted) {
      out.add(new ChunkSeries(l, series.get(l).chunks()));
    }
    Ulid ulid = Ulid.generate(System.currentTimeMillis());
    BlockMeta meta = BlockWriter.newMeta(ulid, minTime, maxTime + 1, BlockWriter.level1(ulid));
    // The head's symbol table holds the labels of every series it has, with samples or not,
    // and the empty string: its postings hold the all-series list under the key ("", "").
    List<String> symbols = new ArrayList<>(BlockWriter.symbolsOf(out));
    if (symbols.isEmpty() || !symbols.get(0).isEmpty()) {
      symbols.add(0, "");
    }
    return BlockWriter.write(dir, meta, symbols, ChunkSeriesSet.of(out), sizedFor(options.block(), sorted));
  }

  /**
   * The index writer's postings sort buffer cut to this block's label pairs: it is allocated
   * whole (12 bytes an entry, 24 while sorting; 48 MiB by default) and a backfill of a few
   * series must not need that heap. The bytes written do not depend on it.
   */
  private static BlockWriter.Options sizedFor(BlockWriter.Options o, List<Labels> series) {
    long pairs = 0;
    for (Labels l : series) {
      pairs += l.size();
    }
    int entries = (int) Math.max(16, Math.min(o.index().sortBufferEntries(), pairs));
    return new BlockWriter.Options(o.chunkSegmentSize(), o.index().withSortBufferEntries(entries));
  }

  private Series getOrCreate(Labels labels) throws RejectedSampleException {
    Series s = series.get(labels);
    if (s != null) {
      return s;
    }
    Labels l = withoutEmpty(labels);
    if (l.isEmpty()) {
      throw new RejectedSampleException("empty labelset: invalid sample");
    }
    for (int i = 1; i < l.size(); i++) {
      if (l.name(i).equals(l.name(i - 1))) {
        throw new RejectedSampleException("label name \"" + l.name(i) + "\" is not unique: invalid sample");
      }
    }
    s = series.get(l);
    if (s == null) {
      s = new Series();
      series.put(l, s);
    }
    return s;
  }

  private static Labels withoutEmpty(Labels l) {
    for (int i = 0; i < l.size(); i++) {
      if (l.value(i).isEmpty()) {
        List<String> pairs = new ArrayList<>();
        for (int j = 0; j < l.size(); j++) {
          if (!l.value(j).isEmpty()) {
            pairs.add(l.name(j));
            pairs.add(l.value(j));
          }
        }
        // Labels.of keeps repeated names (a Builder would merge them), so they are reported.
        return Labels.of(pairs.toArray(new String[0]));
      }
    }
    return l;
  }

  /** A transaction of samples (Go's {@code headAppender} for floats). */
  public final class Appender {
    private boolean initialized;
    private long minValidTime;
    private final List<Series> pendingSeries = new ArrayList<>();
    private long[] pendingT = new long[64];
    private long[] pendingV = new long[64];
    private int pending;

    private Appender() {
      if (minTime != Long.MAX_VALUE) {
        init();
      }
    }

    private void init() {
      initialized = true;
      // Go computes maxTime - chunkRange/2 in wrapping int64 arithmetic; maxTime is set here.
      minValidTime = maxTime - chunkRange / 2;
    }

    /**
     * Adds a sample to this transaction.
     *
     * @throws RejectedSampleException with Prometheus' message when the head would reject it
     */
    public void append(Labels labels, long t, double v) throws RejectedSampleException {
      if (!initialized) {
        // Go's initAppender: the first sample of an empty head sets its time range.
        if (minTime == Long.MAX_VALUE) {
          minTime = t;
          maxTime = t;
        }
        init();
      }
      if (t < minValidTime) {
        throw new RejectedSampleException("out of bounds");
      }
      Series s = getOrCreate(labels);
      long bits = Double.doubleToRawLongBits(v);
      String err = s.appendable(t, bits, minValidTime);
      if (err != null) {
        throw new RejectedSampleException(err);
      }
      if (pending == pendingT.length) {
        pendingT = java.util.Arrays.copyOf(pendingT, pending * 2);
        pendingV = java.util.Arrays.copyOf(pendingV, pending * 2);
      }
      pendingT[pending] = t;
      pendingV[pending] = bits;
      pendingSeries.add(s);
      pending++;
    }

    /** Applies the pending samples in order; those the series now rejects are dropped. */
    public void commit() {
      long inMin = Long.MAX_VALUE;
      long inMax = Long.MIN_VALUE;
      for (int i = 0; i < pending; i++) {
        Series s = pendingSeries.get(i);
        long t = pendingT[i];
        if (s.appendable(t, pendingV[i], minValidTime) != null) {
          continue;
        }
        if (s.append(t, pendingV[i], chunkRange, options.flavor())) {
          inMin = Math.min(inMin, t);
          inMax = Math.max(inMax, t);
        }
      }
      if (inMin != Long.MAX_VALUE) {
        minTime = Math.min(minTime, inMin);
        maxTime = Math.max(maxTime, inMax);
      }
      pending = 0;
      pendingSeries.clear();
    }

    /** Drops the pending samples. */
    public void rollback() {
      pending = 0;
      pendingSeries.clear();
    }
  }

  /** One series' in-order chunks (Go's {@code memSeries}, floats only). */
  private static final class Series {
    private final List<BlockChunk> done = new ArrayList<>();
    private XorAppender head;
    private long headMin;
    private long headMax = Long.MIN_VALUE;
    private long nextAt;
    private long lastValueBits;

    /** Go's {@code memSeries.appendable} without an out-of-order window: null if fine. */
    String appendable(long t, long bits, long minValidTime) {
      if (t >= minValidTime) {
        if (head == null) {
          return null;
        }
        if (t > headMax) {
          return null;
        }
        if (t == headMax) {
          if (lastValueBits != bits) {
            return duplicate(t, Double.longBitsToDouble(lastValueBits), Double.longBitsToDouble(bits));
          }
          return null;
        }
        return "out of order sample";
      }
      return "out of bounds";
    }

    private static String duplicate(long t, double existing, double v) {
      if (t == 0) {
        return "duplicate sample for timestamp";
      }
      return "duplicate sample for timestamp " + t + "; overrides not allowed: existing "
          + GoFloat.formatG(existing) + ", new value " + GoFloat.formatG(v);
    }

    /** Go's {@code memSeries.append} and {@code appendPreprocessor}: false if not in order. */
    boolean append(long t, long bits, long chunkRange, WriterFlavor flavor) {
      boolean created = false;
      if (head == null) {
        cut(t, chunkRange, flavor);
        created = true;
      }
      if (headMax >= t) {
        return false;
      }
      if (!created && head.sizeBytes() > MAX_BYTES_PER_XOR_CHUNK) {
        cut(t, chunkRange, flavor);
        created = true;
      }
      int n = head.numSamples();
      if (n == 0) {
        headMin = t;
        nextAt = rangeForTimestamp(t, chunkRange);
      }
      if (n == SAMPLES_PER_CHUNK / 4) {
        nextAt = computeChunkEndTime(headMin, headMax, nextAt, 4);
      }
      if (t >= nextAt || n >= SAMPLES_PER_CHUNK * 2) {
        cut(t, chunkRange, flavor);
      }
      head.appendBits(t, bits);
      headMax = t;
      lastValueBits = bits;
      return true;
    }

    private void cut(long mint, long chunkRange, WriterFlavor flavor) {
      if (head != null && head.numSamples() > 0) {
        done.add(new BlockChunk(headMin, headMax, head.chunk()));
      }
      head = XorAppender.create(flavor);
      headMin = mint;
      headMax = Long.MIN_VALUE;
      nextAt = rangeForTimestamp(mint, chunkRange);
    }

    List<BlockChunk> chunks() {
      List<BlockChunk> out = new ArrayList<>(done);
      if (head != null && head.numSamples() > 0) {
        out.add(new BlockChunk(headMin, headMax, head.chunk()));
      }
      return out;
    }
  }

  /** Go's {@code rangeForTimestamp}: the end of the range of width {@code width} holding t. */
  static long rangeForTimestamp(long t, long width) {
    return (t / width) * width + width;
  }

  /**
   * Go's {@code computeChunkEndTime}: the end time that spreads the samples seen so far evenly
   * over the chunks left until {@code maxT}.
   */
  static long computeChunkEndTime(long start, long cur, long maxT, double ratioToFull) {
    double n = (double) (maxT - start) / ((double) (cur - start + 1) * ratioToFull);
    if (n <= 1) {
      return maxT;
    }
    return (long) ((double) start + (double) (maxT - start) / Math.floor(n));
  }
}
