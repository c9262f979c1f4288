package io.promtsdb.engine;

import java.util.List;

/**
 * What rebuilding the head read and what it had to leave out.
 *
 * @param checkpoint the checkpoint replayed first ({@code wal/checkpoint.N}), or -1
 * @param firstSegment first WAL segment replayed, or -1
 * @param lastSegment last WAL segment replayed, or -1
 * @param records WAL and WBL records decoded
 * @param series series records
 * @param samples float and histogram samples read from the WAL
 * @param samplesAppended samples that went into the head
 * @param samplesBeforeMinValidTime samples dropped because a block already covers their time
 * @param samplesOutOfOrder samples dropped because they were not after the series' last sample
 * @param unknownSeriesRefs samples, tombstones and markers naming a series no record created
 * @param oooSamples out-of-order samples replayed from the WBL
 * @param mmappedChunks head chunks loaded from {@code chunks_head/}
 * @param warnings corruption that was worked around (torn WAL tail, corrupt head chunk file),
 *     each naming the file and offset
 */
public record ReplayReport(
    int checkpoint,
    int firstSegment,
    int lastSegment,
    long records,
    long series,
    long samples,
    long samplesAppended,
    long samplesBeforeMinValidTime,
    long samplesOutOfOrder,
    long unknownSeriesRefs,
    long oooSamples,
    long mmappedChunks,
    List<String> warnings) {
  public static final ReplayReport EMPTY = new ReplayReport(-1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of());

  public ReplayReport {
    warnings = List.copyOf(warnings);
  }
}
