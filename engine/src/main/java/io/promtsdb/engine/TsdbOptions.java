package io.promtsdb.engine;

import io.promtsdb.chunks.ChunkSegmentWriter;
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
 * @param maxBlockChunkSegmentSize {@code MaxBlockChunkSegmentSize}, 512 MiB: the size at which
 *     a block's chunk segment file ({@code chunks/000001}, ...) is cut when compaction writes
 *     blocks (the server's {@code --storage.tsdb.max-block-chunk-segment-size}). Prometheus has
 *     no option for the head chunk files ({@code chunks_head/}, 128 MiB each) nor for compaction
 *     concurrency (its compactor runs one compaction at a time), and neither has this engine
 * @param walReplayConcurrency {@code WALReplayConcurrency}, 0: the number of threads applying
 *     WAL samples on open (0: one per core but one, at most 8; 1: on the opening thread)
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
    FileOps fileOps,
    long maxBlockChunkSegmentSize,
    int walReplayConcurrency) {

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
    if (maxBlockChunkSegmentSize <= 0) {
      throw new IllegalArgumentException("maxBlockChunkSegmentSize must be positive: " + maxBlockChunkSegmentSize);
    }
    if (walReplayConcurrency < 0) {
      throw new IllegalArgumentException("walReplayConcurrency < 0: " + walReplayConcurrency);
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
        FileOps.DEFAULT,
        ChunkSegmentWriter.DEFAULT_SEGMENT_SIZE,
        0);
  }

  public TsdbOptions withMinBlockDuration(Duration d) {
    return new TsdbOptions(d, maxBlockDuration.compareTo(d) < 0 ? d : maxBlockDuration, retentionDuration, maxBytes,
        outOfOrderTimeWindow, walCompression, walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars,
        enableNativeHistograms, enableCompaction, enableMemorySnapshotOnShutdown, fileOps, maxBlockChunkSegmentSize,
        walReplayConcurrency);
  }

  public TsdbOptions withMaxBlockDuration(Duration d) {
    return new TsdbOptions(minBlockDuration, d, retentionDuration, maxBytes, outOfOrderTimeWindow, walCompression,
        walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps, maxBlockChunkSegmentSize,
        walReplayConcurrency);
  }

  public TsdbOptions withRetention(Duration time, long bytes) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, time, bytes, outOfOrderTimeWindow, walCompression,
        walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps, maxBlockChunkSegmentSize,
        walReplayConcurrency);
  }

  public TsdbOptions withOutOfOrderTimeWindow(Duration d) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, d, walCompression,
        walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps, maxBlockChunkSegmentSize,
        walReplayConcurrency);
  }

  public TsdbOptions withWalCompression(Compression c) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow, c,
        walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps, maxBlockChunkSegmentSize,
        walReplayConcurrency);
  }

  public TsdbOptions withWalSegmentSize(int bytes) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, bytes, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps, maxBlockChunkSegmentSize,
        walReplayConcurrency);
  }

  public TsdbOptions withWalSyncPolicy(SyncPolicy p) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, p, samplesPerChunk, maxExemplars, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps, maxBlockChunkSegmentSize,
        walReplayConcurrency);
  }

  public TsdbOptions withSamplesPerChunk(int n) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, walSyncPolicy, n, maxExemplars, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps, maxBlockChunkSegmentSize,
        walReplayConcurrency);
  }

  public TsdbOptions withMaxExemplars(int n) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, walSyncPolicy, samplesPerChunk, n, enableNativeHistograms, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps, maxBlockChunkSegmentSize,
        walReplayConcurrency);
  }

  public TsdbOptions withNativeHistograms(boolean enable) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enable, enableCompaction,
        enableMemorySnapshotOnShutdown, fileOps, maxBlockChunkSegmentSize,
        walReplayConcurrency);
  }

  public TsdbOptions withCompaction(boolean enable) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms, enable,
        enableMemorySnapshotOnShutdown, fileOps, maxBlockChunkSegmentSize,
        walReplayConcurrency);
  }

  public TsdbOptions withMemorySnapshotOnShutdown(boolean enable) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms,
        enableCompaction, enable, fileOps, maxBlockChunkSegmentSize, walReplayConcurrency);
  }

  public TsdbOptions withFileOps(FileOps ops) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms,
        enableCompaction, enableMemorySnapshotOnShutdown, ops, maxBlockChunkSegmentSize,
        walReplayConcurrency);
  }

  public TsdbOptions withMaxBlockChunkSegmentSize(long bytes) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms,
        enableCompaction, enableMemorySnapshotOnShutdown, fileOps, bytes, walReplayConcurrency);
  }

  public TsdbOptions withWalReplayConcurrency(int threads) {
    return new TsdbOptions(minBlockDuration, maxBlockDuration, retentionDuration, maxBytes, outOfOrderTimeWindow,
        walCompression, walSegmentSize, walSyncPolicy, samplesPerChunk, maxExemplars, enableNativeHistograms,
        enableCompaction, enableMemorySnapshotOnShutdown, fileOps, maxBlockChunkSegmentSize, threads);
  }
}
