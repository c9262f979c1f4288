package io.promtsdb.engine;

import io.promtsdb.core.Labels;
import io.promtsdb.index.Postings;
import io.promtsdb.tombstones.Interval;
import io.promtsdb.tombstones.Intervals;
import java.io.IOException;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A querier over one block or one head range (Go's {@code blockQuerier} and {@code
 * blockBaseSeriesSet}): postings from the matchers, then for each series the chunks that
 * overlap {@code [mint, maxt]} and are not entirely deleted; samples outside the range and
 * inside tombstones are skipped while iterating.
 */
final class BlockQuerier implements Querier {
  private final IndexView index;
  private final ChunkView chunks;
  private final LongFunction<Intervals> tombstones;
  private final long mint;
  private final long maxt;
  private final Runnable onClose;

  BlockQuerier(
      IndexView index,
      ChunkView chunks,
      LongFunction<Intervals> tombstones,
      long mint,
      long maxt,
      Runnable onClose) {
    this.index = index;
    this.chunks = chunks;
    this.tombstones = tombstones;
    this.mint = mint;
    this.maxt = maxt;
    this.onClose = onClose;
  }

  @Override
  public SeriesSet select(boolean sortSeries, List<Matcher> matchers) throws IOException {
    Postings p = PostingsForMatchers.select(index, matchers);
    if (sortSeries) {
      p = index.sortedPostings(p);
    }
    return new BlockSeriesSet(index, chunks, tombstones, p, mint, maxt, index.labelsLater(mint, maxt));
  }

  @Override
  public List<String> labelValues(String name, List<Matcher> matchers) throws IOException {
    return PostingsForMatchers.labelValues(index, name, matchers);
  }

  @Override
  public List<String> labelNames(List<Matcher> matchers) throws IOException {
    return PostingsForMatchers.labelNames(index, matchers);
  }

  @Override
  public void close() {
    if (onClose != null) {
      onClose.run();
    }
  }

  /** The series of one block for a postings list. */
  static final class BlockSeriesSet implements SeriesSet {
    private final IndexView index;
    private final ChunkView chunks;
    private final LongFunction<Intervals> tombstones;
    private final Postings postings;
    private final long mint;
    private final long maxt;
    private final boolean labelsLater;
    private final ChunkMetas buf = new ChunkMetas();
    private Series current;

    BlockSeriesSet(
        IndexView index,
        ChunkView chunks,
        LongFunction<Intervals> tombstones,
        Postings postings,
        long mint,
        long maxt,
        boolean labelsLater) {
      this.index = index;
      this.labelsLater = labelsLater;
      this.chunks = chunks;
      this.tombstones = tombstones;
      this.postings = postings;
      this.mint = mint;
      this.maxt = maxt;
    }

    @Override
    public boolean next() throws IOException {
      for (long ref = postings.next(); ref != Postings.END; ref = postings.next()) {
        Labels labels = null;
        if (labelsLater) {
          if (!index.chunkMetas(ref, buf) || buf.isEmpty()) {
            continue;
          }
        } else {
          labels = index.series(ref, buf);
          if (labels == null || buf.isEmpty()) {
            continue; // gone (head), or a series without chunks
          }
        }
        // Block ranges are half-open [minTime, maxTime), chunk ranges and the requested
        // range closed.
        int inRange = 0;
        for (int i = 0; i < buf.size(); i++) {
          if (buf.maxTimes[i] >= mint && buf.minTimes[i] <= maxt) {
            inRange++;
          }
        }
        if (inRange == 0) {
          continue;
        }
        Intervals intervals = tombstones.apply(ref);
        int n = 0;
        long[] refs = new long[inRange];
        long[] mins = new long[inRange];
        long[] maxs = new long[inRange];
        Object[] atts = null;
        boolean trimFront = false;
        boolean trimBack = false;
        for (int i = 0; i < buf.size(); i++) {
          long cmin = buf.minTimes[i];
          long cmax = buf.maxTimes[i];
          if (cmax < mint || cmin > maxt) {
            continue;
          }
          if (new Interval(cmin, cmax).isSubrange(intervals)) {
            continue;
          }
          refs[n] = buf.refs[i];
          mins[n] = cmin;
          maxs[n] = cmax;
          if (buf.attachments[i] != null) {
            if (atts == null) {
              atts = new Object[inRange];
            }
            atts[n] = buf.attachments[i];
          }
          n++;
          if (cmin < mint) {
            trimFront = true;
          }
          if (cmax > maxt) {
            trimBack = true;
          }
        }
        if (n == 0) {
          continue;
        }
        if (labels == null) {
          labels = index.series(ref, null);
          if (labels == null) {
            continue;
          }
        }
        if (trimFront) {
          intervals = intervals.add(new Interval(Long.MIN_VALUE, mint - 1));
        }
        if (trimBack) {
          intervals = intervals.add(new Interval(maxt + 1, Long.MAX_VALUE));
        }
        current =
            new BlockSeries(
                labels,
                chunks,
                n == refs.length ? refs : java.util.Arrays.copyOf(refs, n),
                n == mins.length ? mins : java.util.Arrays.copyOf(mins, n),
                n == maxs.length ? maxs : java.util.Arrays.copyOf(maxs, n),
                atts,
                intervals);
        return true;
      }
      return false;
    }

    @Override
    public Series at() {
      return current;
    }
  }

  /** A series of one block: labels, the chunks to read and the intervals to skip. */
  record BlockSeries(
      Labels labels,
      ChunkView chunks,
      long[] refs,
      long[] minTimes,
      long[] maxTimes,
      Object[] attachments,
      Intervals intervals)
      implements Series {
    @Override
    public SampleIterator iterator(SampleIterator reuse) {
      return new ChunkListIterator(chunks, refs, minTimes, maxTimes, attachments, intervals);
    }

    @Override
    public String toString() {
      return labels.toString();
    }
  }
}
