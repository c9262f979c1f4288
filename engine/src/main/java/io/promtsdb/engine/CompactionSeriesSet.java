package io.promtsdb.engine;

import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.WriterFlavor;
import io.promtsdb.core.Labels;
import io.promtsdb.index.ChunkMetaList;
import io.promtsdb.index.IndexReader;
import io.promtsdb.index.Postings;
import io.promtsdb.tombstones.Interval;
import io.promtsdb.tombstones.Intervals;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The series of several blocks as compaction reads them (Go's {@code PopulateBlock} input):
 * each block's series in index order with their chunks in {@code [mint, maxt]}, deleted
 * samples removed ({@code NewBlockChunkSeriesSet} with {@code populateWithDelChunkSeriesIterator}),
 * merged by labels ({@code NewMergeChunkSeriesSet}); a series found in several blocks has its
 * chunks merged by {@link ChunkMerger} ({@code NewCompactingChunkSeriesMerger} with {@code
 * ChainedSeriesMerge}).
 */
final class CompactionSeriesSet implements ChunkSeriesSet {
  private final List<BlockCursor> cursors;
  private final GoHeap<BlockCursor> heap = new GoHeap<>((a, b) -> a.labels.compareTo(b.labels));
  private final List<BlockCursor> current = new ArrayList<>();
  private boolean started;
  private ChunkSeries at;

  private final WriterFlavor flavor;

  CompactionSeriesSet(List<Block> blocks, long mint, long maxt, WriterFlavor flavor) throws IOException {
    this.flavor = flavor;
    cursors = new ArrayList<>(blocks.size());
    for (Block b : blocks) {
      cursors.add(new BlockCursor(b, mint, maxt, flavor));
    }
  }

  @Override
  public boolean next() throws IOException {
    if (!started) {
      started = true;
      for (BlockCursor c : cursors) {
        if (c.next()) {
          heap.push(c);
        }
      }
    } else {
      for (BlockCursor c : current) {
        if (c.next()) {
          heap.push(c);
        }
      }
    }
    current.clear();
    if (heap.isEmpty()) {
      at = null;
      return false;
    }
    Labels labels = heap.peek().labels;
    while (!heap.isEmpty() && heap.peek().labels.equals(labels)) {
      current.add(heap.pop());
    }
    if (current.size() == 1) {
      at = new ChunkSeries(labels, current.get(0).chunks);
    } else {
      List<List<BlockChunk>> lists = new ArrayList<>(current.size());
      for (BlockCursor c : current) {
        lists.add(c.chunks);
      }
      at = new ChunkSeries(labels, ChunkMerger.merge(lists, flavor));
    }
    return true;
  }

  @Override
  public ChunkSeries at() {
    if (at == null) {
      throw new IllegalStateException("no current series");
    }
    return at;
  }

  /** One block's series with chunks in range (Go's {@code blockChunkSeriesSet}). */
  private static final class BlockCursor {
    private final Block block;
    private final IndexReader index;
    private final Postings postings;
    private final long mint;
    private final long maxt;
    private final ChunkMetaList metas = new ChunkMetaList();
    private final DeletedIterator deleted = new DeletedIterator();
    Labels labels;
    List<BlockChunk> chunks;

    private final WriterFlavor flavor;

    BlockCursor(Block block, long mint, long maxt, WriterFlavor flavor) throws IOException {
      this.flavor = flavor;
      this.block = block;
      this.index = block.index();
      this.postings = index.sortedPostings(index.allPostings());
      this.mint = mint;
      this.maxt = maxt;
    }

    boolean next() throws IOException {
      for (long ref = postings.next(); ref != Postings.END; ref = postings.next()) {
        metas.clear();
        Labels l = index.series(ref, metas);
        Intervals intervals = block.tombstones().get(ref);
        if (intervals == null) {
          intervals = Intervals.EMPTY;
        }
        List<Integer> kept = new ArrayList<>();
        boolean trimFront = false;
        boolean trimBack = false;
        for (int i = 0; i < metas.size(); i++) {
          long cmin = metas.minTime(i);
          long cmax = metas.maxTime(i);
          if (cmax < mint || cmin > maxt) {
            continue;
          }
          if (new Interval(cmin, cmax).isSubrange(intervals)) {
            continue;
          }
          kept.add(i);
          trimFront |= cmin < mint;
          trimBack |= cmax > maxt;
        }
        if (kept.isEmpty()) {
          continue;
        }
        if (trimFront) {
          intervals = intervals.add(new Interval(Long.MIN_VALUE, mint - 1));
        }
        if (trimBack) {
          intervals = intervals.add(new Interval(maxt + 1, Long.MAX_VALUE));
        }
        List<BlockChunk> out = new ArrayList<>(kept.size());
        for (int i : kept) {
          long cmin = metas.minTime(i);
          long cmax = metas.maxTime(i);
          Chunk c = block.chunks().chunk(metas.ref(i));
          List<Interval> overlapping = new ArrayList<>();
          for (int k = 0; k < intervals.size(); k++) {
            if (cmin <= intervals.maxt(k) && intervals.mint(k) <= cmax) {
              overlapping.add(intervals.get(k));
            }
          }
          if (overlapping.isEmpty()) {
            out.add(new BlockChunk(cmin, cmax, c));
            continue;
          }
          deleted.reset(ChunkSampleIterator.of(c, deleted.inner()), Intervals.merged(overlapping));
          BlockChunk re = SeriesChunkEncoder.encodeOne(deleted, flavor);
          if (re != null) {
            out.add(re);
          }
        }
        if (out.isEmpty()) {
          // Go's iterator yields no chunk; PopulateBlock skips such a series.
          labels = l;
          chunks = List.of();
          return true;
        }
        labels = l;
        chunks = out;
        return true;
      }
      return false;
    }
  }

}
