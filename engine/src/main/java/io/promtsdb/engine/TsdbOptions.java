package io.promtsdb.engine;

import io.promtsdb.wal.Compression;
import io.promtsdb.wal.FileOps;
import io.promtsdb.wal.SyncPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a writable {@link Tsdb}, named after and defaulting to Prometheus' {@code
 * tsdb.DefaultOptions()} (the library's defaults; the Prometheus server changes some of them
 * from its flags, for example WAL compression to snappy).
 *
 * <pre>{@code
 * TsdbOptions o = TsdbOptions.defaults()
 *     .withOutOfOrderTimeWindow(Duration.ofMinutes(30))
 *     .withWalCompression(Compression.SNAPPY);
 * }</pre>
 *
 * @param minBlockDuration {@code MinBlockDuration}, 2h: the head's chunk range and the range of
 *     blocks cut from the head
 * @param maxBlockDuration {@code MaxBlockDuration}, 2h in the library (the server uses 10% of
 *     the retention, at most 31 days)
 * @param retentionDuration {@code RetentionDuration}, 15 days; zero: keep forever
 * @param maxBytes {@code MaxBytes}, 0: no size-based retention
 * @param outOfOrderTimeWindow {@code OutOfOrderTimeWindow}, 0: out-of-order samples rejected
 * @param walCompression {@code WALCompression}, none
 * @param walSegmentSize {@code WALSegmentSize}, 128 MiB
 * @param walSyncPolicy when the WAL is fsynced: Prometheus syncs a segment when it is finished;
 *     {@link SyncPolicy#EVERY_BATCH} syncs every commit before it returns
 * @param samplesPerChunk {@code SamplesPerChunk}, 120
 * @param maxExemplars {@code MaxExemplars}, 0: exemplar storage disabled
 * @param enableNativeHistograms {@code EnableNativeHistograms}, false
 * @param enableCompaction background head compaction (Prometheus' {@code db.EnableCompactions})
 * @param enableMemorySnapshotOnShutdown {@code EnableMemorySnapshotOnShutdown}, false
 * @param fileOps file operations of the WAL (a seam for fault-injection tests)
 */
public record TsdbOptions(
    Duration minBlockDuration,
    Duration maxBlockDuration,
    Duration retentionDuration,
    long maxBytes,
    Duration outOfOrderTimeWindow,
    Compression walCompression,
    int walSegmentSize,
    SyncPolicy walSyncPolicy,
    int samplesPerChunk,
    int maxExemplars,
    boolean enableNativeHistograms,
    boolean enableCompaction,
    boolean enableMemorySnapshotOnShutdown,
    FileOps fileOps) {

  public TsdbOptions {
    Objects.requireNonNull(minBlockDuration, "minBlockDuration");
    Objects.requireNonNull(maxBlockDuration, "maxBlockDuration");
    Objects.requireNonNull(retentionDuration, "retentionDuration");
    Objects.requireNonNull(outOfOrderTimeWindow, "outOfOrderTimeWindow");
    Objects.requireNonNull(walCompression, "walCompression");
    Objects.requireNonNull(walSyncPolicy, "walSyncPolicy");
    Objects.requireNonNull(fileOps, "fileOps");
    if (minBlockDuration.toMillis() <= 0) {
      throw new IllegalArgumentException("minBlockDuration must be positive: " + minBlockDuration);
    }
    if (maxBlockDuration.compareTo(minBlockDuration) < 0) {
      throw new IllegalArgumentException("maxBlockDuration " + maxBlockDuration + " < minBlockDuration " + minBlockDuration);
    }
    if (outOfOrderTimeWindow.isNegative()) {
      throw new IllegalArgumentException("outOfOrderTimeWindow < 0: " + outOfOrderTimeWindow);
    }
    if (walSegmentSize <= 0 || walSegmentSize % (32 * 1024) != 0) {
      throw new IllegalArgumentException("walSegmentSize must be a positive multiple of 32 KiB: " + walSegmentSize);
    }
    if (samplesPerChunk < 1) {
      throw new IllegalArgumentException("samplesPerChunk < 1: " + samplesPerChunk);
    }
    if (maxExemplars < 0 || maxBytes < 0) {
      throw new IllegalArgumentException("maxExemplars and maxBytes must not be negative");
    }
  }

  /** Prometheus' {@code tsdb.DefaultOptions()}. */
  public static TsdbOptions defaults() {
    return new TsdbOptions(
        Duration.ofHours(2),
        Duration.ofHours(2),
        Duration.ofDays(15),
        0,
        Duration.ZERO,
        Compression.NONE,
        128 * 1024 * 1024,
        SyncPolicy.ON_SEGMENT_END,
        120,
        0,
        false,
        true,
        false,
        FileOps.DEFAULT);
  }

  public TsdbOptions withMinBlockDuration(Duration d) {
    return new TsdbOptions(d, maxBlockDuration.compareTo(d) < 0 ? d : maxBlockDuration, retentionDuration, maxBytes,
        outOfOrderTimeWindow, walCompression, walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars,
        enableNativeHistograms, enableCompaction, enableMemorySnapshotOnShutdown, fileOps);
  }

  public TsdbOptions withMaxBlockDuration(Duration d) {
    return new TsdbOptions(minBlockDuration, d, retentionDuration, maxBytes, outOfOrderTimeWindow, walCompression,
        walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps);
  }

  public TsdbOptions withRetention(Duration time, long bytes) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, time, bytes, outOfOrderTimeWindow, walCompression,
        walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps);
  }

  public TsdbOptions withOutOfOrderTimeWindow(Duration d) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, d, walCompression,
        walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps);
  }

  public TsdbOptions withWalCompression(Compression c) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow, c,
        walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps);
  }

  public TsdbOptions withWalSegmentSize(int bytes) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, bytes, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps);
  }

  public TsdbOptions withWalSyncPolicy(SyncPolicy p) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, p, samplesPerChunk, maxExemplars, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps);
  }

  public TsdbOptions withSamplesPerChunk(int n) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, walSyncPolicy, n, maxExemplars, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps);
  }

  public TsdbOptions withMaxExemplars(int n) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, walSyncPolicy, samplesPerChunk, n, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps);
  }

  public TsdbOptions withNativeHistograms(boolean enable) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enable, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps);
  }

  public TsdbOptions withCompaction(boolean enable) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms, enable,
        enableMemorySnapshotOnShutdown, fileOps);
  }

  public TsdbOptions withMemorySnapshotOnShutdown(boolean enable) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms,
        enableCompaction, enable, fileOps);
  }

  public TsdbOptions withFileOps(FileOps ops) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms,
        enableCompaction, enableMemorySnapshotOnShutdown, ops);
  }
}
