package io.promtsdb.wal;

import io.promtsdb.wal.Refs.RefExemplar;
import io.promtsdb.wal.Refs.RefFloatHistogramSample;
import io.promtsdb.wal.Refs.RefHistogramSample;
import io.promtsdb.wal.Refs.RefMetadata;
import io.promtsdb.wal.Refs.RefSample;
import io.promtsdb.wal.Refs.RefSeries;
import io.promtsdb.wal.Refs.RefTombstone;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;

/**
 * WAL checkpoints ({@code wlog/checkpoint.go}): directories {@code checkpoint.NNNNNNNN} next
 * to the segments, holding ordinary segments with what is still needed of the WAL up to and
 * including segment N. Replay reads the newest checkpoint, then the segments after N.
 */
public final class Checkpoints {
  public static final String PREFIX = "checkpoint.";
  public static final String TMP_SUFFIX = ".tmp";

  private Checkpoints() {}

  /** A checkpoint directory and the last WAL segment it covers. */
  public record CheckpointRef(int index, Path path) {}

  /** {@code checkpoint.00000042}. */
  public static String dirName(int index) {
    return PREFIX + Segments.name(index);
  }

  /**
   * The checkpoints in {@code walDir}, oldest first. Names whose number does not parse
   * (such as a {@code .tmp} directory) are skipped; a file with the prefix is an error, as in
   * Go.
   */
  public static List<CheckpointRef> list(Path walDir) throws IOException {
    List<CheckpointRef> out = new ArrayList<>();
    for (Path p : FileOps.DEFAULT.list(walDir)) {
      String name = p.getFileName().toString();
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      if (!FileOps.DEFAULT.isDirectory(p)) {
        throw new IOException("checkpoint " + name + " is not a directory");
      }
      Integer idx = Segments.parseIndex(name.substring(PREFIX.length()));
      if (idx != null) {
        out.add(new CheckpointRef(idx, p));
      }
    }
    out.sort(Comparator.comparingInt(CheckpointRef::index));
    return out;
  }

  /** The newest checkpoint, if any. */
  public static Optional<CheckpointRef> last(Path walDir) throws IOException {
    List<CheckpointRef> all = list(walDir);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }

  /** Deletes every checkpoint numbered below {@code maxIndex}. */
  public static void deleteBefore(Path walDir, int maxIndex, FileOps files) throws IOException {
    for (CheckpointRef c : list(walDir)) {
      if (c.index() >= maxIndex) {
        break;
      }
      files.deleteRecursively(c.path());
    }
  }

  /** Deletes leftover {@code checkpoint.*.tmp} directories of an interrupted checkpoint. */
  public static void deleteTemporary(Path walDir, FileOps files) throws IOException {
    for (Path p : files.list(walDir)) {
      String name = p.getFileName().toString();
      if (name.startsWith(PREFIX) && name.endsWith(TMP_SUFFIX)) {
        files.deleteRecursively(p);
      }
    }
  }

  /** What a checkpoint kept and dropped (Go's {@code CheckpointStats}). */
  public record Stats(
      int droppedSeries,
      int droppedSamples,
      int droppedTombstones,
      int droppedExemplars,
      int droppedMetadata,
      int totalSeries,
      int totalSamples,
      int totalTombstones,
      int totalExemplars,
      int totalMetadata) {}

  /**
   * Writes {@code checkpoint.to} from the newest existing checkpoint and WAL segments {@code
   * from..to}, keeping what Prometheus keeps: series for which {@code keep} holds; samples,
   * histograms and exemplars at or after {@code mint}; tombstones of kept series with an
   * interval ending at or after {@code mint}; the latest metadata of each kept series
   * (written last, in one record). Mmap markers and unknown record types are dropped.
   * Records are re-encoded as Prometheus' encoder does: V2 sample records with {@code
   * enableStStorage}, V1 otherwise (custom-bucket histograms then go to their own records).
   *
   * <p>The checkpoint is written to {@code checkpoint.N.tmp} with the WAL's compression,
   * synced, and renamed into place, so a crash leaves either no checkpoint or a whole one.
   * Corruption in the input is an error: a checkpoint cannot be repaired.
   */
  public static Stats create(
      Path walDir,
      int from,
      int to,
      LongPredicate keep,
      long mint,
      boolean enableStStorage,
      WalWriter.Options options)
      throws IOException {
    FileOps files = options.files();
    List<Segments.SegmentRef> inputs = new ArrayList<>();
    Optional<CheckpointRef> prev = last(walDir);
    if (prev.isPresent()) {
      int next = prev.get().index() + 1;
      if (from > next) {
        throw new IOException(
            "unexpected gap to last checkpoint. expected:" + next + ", requested:" + from);
      }
      from = next;
      inputs.addAll(Segments.list(prev.get().path()));
    }
    inputs.addAll(WalReader.select(walDir, from, to));
    deleteTemporary(walDir, files);
    Path dir = walDir.resolve(dirName(to));
    Path tmp = walDir.resolve(dirName(to) + TMP_SUFFIX);
    files.createDirectories(tmp);
    int[] s = new int[10];
    boolean done = false;
    try (WalWriter cp = WalWriter.open(tmp, options)) {
      Map<Long, RefMetadata> latestMetadata = new LinkedHashMap<>();
      List<byte[]> batch = new ArrayList<>();
      long batchBytes = 0;
      for (Segments.SegmentRef in : inputs) {
        try (SegmentReader r = SegmentReader.open(in.path())) {
          while (r.next()) {
            RecordType type = RecordCodec.type(r.record());
            if (type == null) {
              continue;
            }
            List<WalRecord> out = filter(RecordCodec.decode(r.record()), keep, mint, enableStStorage, latestMetadata, s);
            for (WalRecord rec : out) {
              byte[] b = RecordCodec.encode(rec);
              batch.add(b);
              batchBytes += b.length;
            }
            // Go flushes in 1 MiB increments; batching does not change the bytes.
            if (batchBytes > 1 << 20) {
              cp.log(batch);
              batch.clear();
              batchBytes = 0;
            }
          }
        }
      }
      if (!batch.isEmpty()) {
        cp.log(batch);
      }
      if (!latestMetadata.isEmpty()) {
        cp.log(RecordCodec.encode(new WalRecord.Metadata(new ArrayList<>(latestMetadata.values()))));
      }
      done = true;
    } finally {
      if (!done) {
        files.deleteRecursively(tmp);
      }
    }
    try {
      files.syncDirectory(tmp);
      files.rename(tmp, dir);
      files.syncDirectory(walDir);
    } catch (IOException e) {
      files.deleteRecursively(tmp);
      throw e;
    }
    return new Stats(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9]);
  }

  // s: dropped series, samples, tombstones, exemplars, metadata; totals in the same order.
  private static List<WalRecord> filter(
      WalRecord rec,
      LongPredicate keep,
      long mint,
      boolean st,
      Map<Long, RefMetadata> latestMetadata,
      int[] s) {
    List<WalRecord> out = new ArrayList<>(2);
    if (rec instanceof WalRecord.Series r) {
      List<RefSeries> kept = new ArrayList<>();
      for (RefSeries e : r.series()) {
        if (keep.test(e.ref())) {
          kept.add(e);
        }
      }
      if (!kept.isEmpty()) {
        out.add(new WalRecord.Series(kept));
      }
      s[5] += r.size();
      s[0] += r.size() - kept.size();
    } else if (rec instanceof WalRecord.Samples || rec instanceof WalRecord.SamplesV2) {
      List<RefSample> all =
          rec instanceof WalRecord.Samples r ? r.samples() : ((WalRecord.SamplesV2) rec).samples();
      List<RefSample> kept = new ArrayList<>();
      for (RefSample e : all) {
        if (e.t() >= mint) {
          kept.add(st ? e : new RefSample(e.ref(), 0, e.t(), e.v()));
        }
      }
      if (!kept.isEmpty()) {
        out.add(st ? new WalRecord.SamplesV2(kept) : WalRecord.Samples.of(kept));
      }
      s[6] += all.size();
      s[1] += all.size() - kept.size();
    } else if (rec instanceof WalRecord.HistogramSamples || rec instanceof WalRecord.HistogramSamplesV2) {
      List<RefHistogramSample> all =
          rec instanceof WalRecord.HistogramSamples r
              ? r.histograms()
              : ((WalRecord.HistogramSamplesV2) rec).histograms();
      boolean customOnly = rec instanceof WalRecord.HistogramSamples r && r.customBuckets();
      List<RefHistogramSample> kept = new ArrayList<>();
      for (RefHistogramSample e : all) {
        if (e.t() >= mint) {
          kept.add(e);
        }
      }
      if (!kept.isEmpty()) {
        if (st) {
          out.add(new WalRecord.HistogramSamplesV2(kept));
        } else {
          List<RefHistogramSample> exp = new ArrayList<>();
          List<RefHistogramSample> custom = new ArrayList<>();
          for (RefHistogramSample e : kept) {
            RefHistogramSample v1 = new RefHistogramSample(e.ref(), 0, e.t(), e.h());
            (customOnly || e.h().usesCustomBuckets() ? custom : exp).add(v1);
          }
          if (!exp.isEmpty()) {
            // Go takes the base from the first kept histogram, whatever its schema.
            out.add(new WalRecord.HistogramSamples(false, kept.get(0).ref(), kept.get(0).t(), exp));
          }
          if (!custom.isEmpty()) {
            out.add(WalRecord.HistogramSamples.of(true, custom));
          }
        }
      }
      s[6] += all.size();
      s[1] += all.size() - kept.size();
    } else if (rec instanceof WalRecord.FloatHistogramSamples
        || rec instanceof WalRecord.FloatHistogramSamplesV2) {
      List<RefFloatHistogramSample> all =
          rec instanceof WalRecord.FloatHistogramSamples r
              ? r.histograms()
              : ((WalRecord.FloatHistogramSamplesV2) rec).histograms();
      boolean customOnly = rec instanceof WalRecord.FloatHistogramSamples r && r.customBuckets();
      List<RefFloatHistogramSample> kept = new ArrayList<>();
      for (RefFloatHistogramSample e : all) {
        if (e.t() >= mint) {
          kept.add(e);
        }
      }
      if (!kept.isEmpty()) {
        if (st) {
          out.add(new WalRecord.FloatHistogramSamplesV2(kept));
        } else {
          List<RefFloatHistogramSample> exp = new ArrayList<>();
          List<RefFloatHistogramSample> custom = new ArrayList<>();
          for (RefFloatHistogramSample e : kept) {
            RefFloatHistogramSample v1 = new RefFloatHistogramSample(e.ref(), 0, e.t(), e.fh());
            (customOnly || e.fh().usesCustomBuckets() ? custom : exp).add(v1);
          }
          if (!exp.isEmpty()) {
            out.add(new WalRecord.FloatHistogramSamples(false, kept.get(0).ref(), kept.get(0).t(), exp));
          }
          if (!custom.isEmpty()) {
            out.add(WalRecord.FloatHistogramSamples.of(true, custom));
          }
        }
      }
      s[6] += all.size();
      s[1] += all.size() - kept.size();
    } else if (rec instanceof WalRecord.Tombstones r) {
      List<RefTombstone> kept = new ArrayList<>();
      for (RefTombstone e : r.tombstones()) {
        if (keep.test(e.ref()) && e.maxt() >= mint) {
          kept.add(e);
        }
      }
      if (!kept.isEmpty()) {
        out.add(new WalRecord.Tombstones(kept));
      }
      s[7] += r.size();
      s[2] += r.size() - kept.size();
    } else if (rec instanceof WalRecord.Exemplars r) {
      List<RefExemplar> kept = new ArrayList<>();
      for (RefExemplar e : r.exemplars()) {
        if (e.t() >= mint) {
          kept.add(e);
        }
      }
      if (!kept.isEmpty()) {
        out.add(WalRecord.Exemplars.of(kept));
      }
      s[8] += r.size();
      s[3] += r.size() - kept.size();
    } else if (rec instanceof WalRecord.Metadata r) {
      int kept = 0;
      for (RefMetadata m : r.metadata()) {
        if (keep.test(m.ref())) {
          if (!latestMetadata.containsKey(m.ref())) {
            kept++;
          }
          latestMetadata.put(m.ref(), m);
        }
      }
      s[9] += r.size();
      s[4] += r.size() - kept;
    }
    // MmapMarkers: dropped (WBL only).
    return out;
  }
}
