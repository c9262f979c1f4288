package io.promtsdb.conformance;

import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Sample;
import io.promtsdb.tombstones.TombstoneEntry;
import java.util.List;

/**
 * Everything one block holds: its meta, every series of its index with every chunk decoded,
 * and its tombstones (not applied).
 *
 * @param tombstones merged per series as {@link ReadTombstones} returns them
 */
public record BlockContent(BlockInfo meta, List<Series> series, List<TombstoneEntry> tombstones) {
  public BlockContent {
    series = List.copyOf(series);
    tombstones = List.copyOf(tombstones);
  }

  /** A series of the block's index, in index order. */
  public record Series(long ref, Labels labels, List<Chunk> chunks) {
    public Series {
      chunks = List.copyOf(chunks);
    }
  }

  /**
   * A chunk: its index meta and its decoded content.
   *
   * @param maxTime inclusive
   * @param header the counter-reset header of histogram chunks, else null
   */
  public record Chunk(long ref, long minTime, long maxTime, int encoding, CounterResetHint header, List<Sample> samples) {
    public Chunk {
      samples = List.copyOf(samples);
    }
  }
}
