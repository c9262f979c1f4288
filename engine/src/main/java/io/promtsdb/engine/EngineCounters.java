package io.promtsdb.engine;

/**
 * The engine's counters, the source of {@link Tsdb.Stats} and of the metrics under Prometheus'
 * names. Guarded by this object's monitor so that a stats snapshot is consistent.
 */
final class EngineCounters {
  private long floatsAppended;
  private long histogramsAppended;
  private long droppedAtCommit;
  private long oooAppended;
  private long exemplarsAppended;
  private long compactions;
  private long compactionsFailed;
  private long checkpoints;
  private long checkpointsFailed;
  private long walTruncations;
  private long headTruncations;

  synchronized void committed(long floats, long histograms, long ooo, long exemplars, long dropped) {
    floatsAppended += floats;
    histogramsAppended += histograms;
    oooAppended += ooo;
    exemplarsAppended += exemplars;
    droppedAtCommit += dropped;
  }

  synchronized void compaction(boolean failed) {
    if (failed) {
      compactionsFailed++;
    } else {
      compactions++;
    }
  }

  synchronized void checkpoint(boolean failed) {
    if (failed) {
      checkpointsFailed++;
    } else {
      checkpoints++;
      walTruncations++;
    }
  }

  synchronized void headTruncation() {
    headTruncations++;
  }

  synchronized long samplesAppended() {
    return floatsAppended + histogramsAppended + oooAppended;
  }

  synchronized long droppedAtCommit() {
    return droppedAtCommit;
  }

  synchronized long compactions() {
    return compactions;
  }

  synchronized Tsdb.Stats stats(Head head, int blocks, TimedFileOps timed) {
    long syncs = timed == null ? 0 : timed.syncs.get();
    double syncSeconds = timed == null ? 0 : timed.syncNanos.get() / 1e9;
    return new Tsdb.Stats(head.numSeries(), head.minTime, head.maxTime, floatsAppended, histogramsAppended,
        oooAppended, droppedAtCommit, exemplarsAppended, compactions, compactionsFailed, checkpoints,
        checkpointsFailed, walTruncations, headTruncations, blocks, syncs, syncSeconds);
  }
}
