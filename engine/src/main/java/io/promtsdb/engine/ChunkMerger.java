package io.promtsdb.engine;

import io.promtsdb.chunks.WriterFlavor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Merges the chunks of one series found in several blocks as Prometheus' {@code
 * compactChunkIterator} (storage/merge.go) does, step for step: chunks come out of a heap by
 * (min time, max time); a chunk that overlaps the next ones is merged with them (identical
 * duplicates skipped) through the chained sample merge and re-encoded in chunks of at most 120
 * samples, whose chunks go back into the heap and may merge again. Chunks that do not overlap
 * are passed on as they are.
 */
final class ChunkMerger {
  private ChunkMerger() {}

  /** A chunk list being consumed (Go's {@code chunks.Iterator}). */
  private static final class Cursor {
    private final List<BlockChunk> chunks;
    private int i = -1;

    Cursor(List<BlockChunk> chunks) {
      this.chunks = chunks;
    }

    boolean next() {
      i++;
      return i < chunks.size();
    }

    BlockChunk at() {
      return chunks.get(i);
    }
  }

  static List<BlockChunk> merge(List<List<BlockChunk>> series, WriterFlavor flavor) throws IOException {
    GoHeap<Cursor> h =
        new GoHeap<>((a, b) -> {
          BlockChunk x = a.at();
          BlockChunk y = b.at();
          if (x.minTime() == y.minTime()) {
            return Long.compare(x.maxTime(), y.maxTime()) < 0 ? -1 : (x.maxTime() == y.maxTime() ? 0 : 1);
          }
          return x.minTime() < y.minTime() ? -1 : 1;
        });
    for (List<BlockChunk> s : series) {
      Cursor c = new Cursor(s);
      if (c.next()) {
        h.push(c);
      }
    }
    List<BlockChunk> out = new ArrayList<>();
    while (!h.isEmpty()) {
      Cursor it = h.pop();
      BlockChunk curr = it.at();
      if (it.next()) {
        h.push(it);
      }
      List<BlockChunk> overlapping = new ArrayList<>();
      long oMaxTime = curr.maxTime();
      BlockChunk prev = curr;
      while (!h.isEmpty()) {
        BlockChunk next = h.peek().at();
        if (next.minTime() > oMaxTime) {
          break;
        }
        if (next.minTime() != prev.minTime()
            || next.maxTime() != prev.maxTime()
            || !next.chunk().equals(prev.chunk())) {
          overlapping.add(next);
          if (next.maxTime() > oMaxTime) {
            oMaxTime = next.maxTime();
          }
          prev = next;
        }
        Cursor n = h.pop();
        if (n.next()) {
          h.push(n);
        }
      }
      if (overlapping.isEmpty()) {
        out.add(curr);
        continue;
      }
      overlapping.add(curr);
      List<SampleIterator> its = new ArrayList<>(overlapping.size());
      for (BlockChunk c : overlapping) {
        its.add(ChunkSampleIterator.of(c.chunk(), null));
      }
      List<BlockChunk> merged = SeriesChunkEncoder.encodeSplit(new ChainSampleIterator(its), flavor);
      if (merged.isEmpty()) {
        throw new IllegalStateException("unexpected seriesToChunkEncoder lack of iterations");
      }
      Cursor m = new Cursor(merged);
      m.next();
      // Go returns the first merged chunk as the current one and pushes the rest.
      BlockChunk first = m.at();
      if (m.next()) {
        h.push(m);
      }
      out.add(first);
    }
    return out;
  }
}
