package io.promtsdb.engine;

import io.promtsdb.chunks.WriterFlavor;
import io.promtsdb.tombstones.Interval;
import io.promtsdb.tombstones.Intervals;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The chunks an out-of-order compaction writes for one series and one block range, step for
 * step as Prometheus 3.5.3 gets them: {@code getOOOSeriesChunks} (the series' out-of-order
 * chunks overlapping the range, sorted by min time then chunk order, chunks that overlap merged
 * into one group), {@code blockBaseSeriesSet} (samples outside the range trimmed) and {@code
 * populateWithDelChunkSeriesIterator}:
 *
 * <ul>
 *   <li>a group of one chunk inside the range is copied as it is;
 *   <li>a group of one chunk reaching outside the range is re-encoded into one chunk from the
 *       samples inside ({@code populateCurrForSingleChunk});
 *   <li>a group of several chunks is merged sample by sample (the chained merge: one sample per
 *       timestamp) and re-encoded with a new chunk only where the value type changes or a
 *       histogram append asks for one ({@code populateChunksFromIterable}): no 120-sample cut.
 * </ul>
 *
 * So the out-of-order chunk boundaries (at most {@code out_of_order_cap_max} samples each) show
 * in the block wherever the chunks do not overlap.
 */
final class OooCompactionChunks {
  private OooCompactionChunks() {}

  /**
   * @param chunks the series' out-of-order chunks in chunk order (m-mapped first, oldest first)
   * @param mint first millisecond of the range
   * @param maxt last millisecond of the range (inclusive)
   */
  static List<BlockChunk> inRange(List<BlockChunk> chunks, long mint, long maxt) throws IOException {
    List<BlockChunk> sel = new ArrayList<>();
    for (BlockChunk c : chunks) {
      if (c.maxTime() >= mint && c.minTime() <= maxt) {
        sel.add(c);
      }
    }
    // A stable sort: chunks with the same min time stay in chunk (reference) order.
    sel.sort(Comparator.comparingLong(BlockChunk::minTime));
    List<BlockChunk> out = new ArrayList<>();
    int i = 0;
    while (i < sel.size()) {
      int j = i + 1;
      long groupMax = sel.get(i).maxTime();
      while (j < sel.size() && sel.get(j).minTime() <= groupMax) {
        groupMax = Math.max(groupMax, sel.get(j).maxTime());
        j++;
      }
      long groupMin = sel.get(i).minTime();
      boolean inside = groupMin >= mint && groupMax <= maxt;
      if (j - i == 1 && inside) {
        out.add(sel.get(i));
      } else {
        List<SampleIterator> its = new ArrayList<>(j - i);
        for (int k = i; k < j; k++) {
          its.add(ChunkSampleIterator.of(sel.get(k).chunk(), null));
        }
        SampleIterator it = j - i == 1 ? its.get(0) : new ChainSampleIterator(its);
        if (!inside) {
          it = new DeletedIterator().reset(it, outside(groupMin, groupMax, mint, maxt));
        }
        if (j - i == 1) {
          BlockChunk re = SeriesChunkEncoder.encodeOne(it, WriterFlavor.PROMETHEUS_3);
          if (re != null) {
            out.add(re);
          }
        } else {
          out.addAll(SeriesChunkEncoder.encodeRuns(it, WriterFlavor.PROMETHEUS_3));
        }
      }
      i = j;
    }
    return out;
  }

  /** The trim intervals of a group reaching outside {@code [mint, maxt]}. */
  private static Intervals outside(long groupMin, long groupMax, long mint, long maxt) {
    List<Interval> iv = new ArrayList<>(2);
    if (groupMin < mint) {
      iv.add(new Interval(Long.MIN_VALUE, mint - 1));
    }
    if (groupMax > maxt) {
      iv.add(new Interval(maxt + 1, Long.MAX_VALUE));
    }
    return Intervals.merged(iv);
  }
}
