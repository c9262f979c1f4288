package io.promtsdb.engine;

import java.time.Duration;
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
 * @param exemplars exemplars handed to the exemplar storage (from the memory snapshot and the
 *     WAL; 0 when it is disabled); the storage keeps the newest of them that fit
 * @param warnings corruption that was worked around (torn WAL tail, corrupt head chunk file),
 *     each naming the file and offset
 * @param durations how long each step took, as Prometheus logs them
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
    long exemplars,
    List<String> warnings,
    Durations durations) {
  public static final ReplayReport EMPTY =
      new ReplayReport(-1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, List.of(), Durations.ZERO);

  public ReplayReport {
    warnings = List.copyOf(warnings);
    java.util.Objects.requireNonNull(durations, "durations");
  }

  /** This report with {@code d} added to the WAL and total durations (work the replay left to its caller). */
  ReplayReport withWalTimeAdded(Duration d) {
    Durations x = durations;
    return new ReplayReport(checkpoint, firstSegment, lastSegment, records, series, samples, samplesAppended,
        samplesBeforeMinValidTime, samplesOutOfOrder, unknownSeriesRefs, oooSamples, mmappedChunks, exemplars, warnings,
        new Durations(x.checkpoint(), x.wal().plus(d), x.wbl(), x.chunkSnapshot(), x.mmapChunks(), x.total().plus(d)));
  }

  /**
   * The steps of a replay as Prometheus' {@code msg="WAL replay completed"} line names them
   * (tsdb/head.go {@code Init}).
   *
   * @param checkpoint {@code checkpoint_replay_duration}: the checkpoint's records
   * @param wal {@code wal_replay_duration}: the WAL segments after it
   * @param wbl {@code wbl_replay_duration}: the out-of-order WBL
   * @param chunkSnapshot {@code chunk_snapshot_load_duration}: the memory snapshot
   * @param mmapChunks {@code mmap_chunk_replay_duration}: the head chunk files
   * @param total {@code total_replay_duration}: all of it, from start to the head being ready
   */
  public record Durations(
      Duration checkpoint, Duration wal, Duration wbl, Duration chunkSnapshot, Duration mmapChunks, Duration total) {
    public static final Durations ZERO =
        new Durations(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);

    public Durations {
      java.util.Objects.requireNonNull(checkpoint, "checkpoint");
      java.util.Objects.requireNonNull(wal, "wal");
      java.util.Objects.requireNonNull(wbl, "wbl");
      java.util.Objects.requireNonNull(chunkSnapshot, "chunkSnapshot");
      java.util.Objects.requireNonNull(mmapChunks, "mmapChunks");
      java.util.Objects.requireNonNull(total, "total");
    }

    /**
     * The fields of Prometheus' log line, in its order and with Go's duration format: {@code
     * checkpoint_replay_duration=49.897µs wal_replay_duration=2.644719039s ...}.
     */
    public String logFields() {
      return "checkpoint_replay_duration=" + io.promtsdb.core.GoDuration.format(checkpoint.toNanos())
          + " wal_replay_duration=" + io.promtsdb.core.GoDuration.format(wal.toNanos())
          + " wbl_replay_duration=" + io.promtsdb.core.GoDuration.format(wbl.toNanos())
          + " chunk_snapshot_load_duration=" + io.promtsdb.core.GoDuration.format(chunkSnapshot.toNanos())
          + " mmap_chunk_replay_duration=" + io.promtsdb.core.GoDuration.format(mmapChunks.toNanos())
          + " total_replay_duration=" + io.promtsdb.core.GoDuration.format(total.toNanos());
    }
  }
}
