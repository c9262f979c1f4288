package io.promtsdb.cli;

import io.promtsdb.chunks.WriterFlavor;
import io.promtsdb.core.Labels;
import io.promtsdb.engine.Block;
import io.promtsdb.engine.BlockMeta;
import io.promtsdb.engine.SampleBlockWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * promtool's OpenMetrics backfill ({@code cmd/promtool/backfill.go}, 3.5.3): one pass for the
 * time range, then, for every block-duration-aligned range holding samples, a pass that feeds
 * that range's samples to a {@link SampleBlockWriter} (head chunk range twice the block
 * duration, a commit every 5000 samples) and flushes one block. Error messages carry
 * promtool's prefixes. With {@code prometheus2}, the output is 2.53's: XOR chunks with the
 * spare trailing byte, {@code le} and {@code quantile} values as written.
 */
final class Backfill {
  /** {@code tsdb.DefaultBlockDuration}: 2 h. */
  static final long DEFAULT_BLOCK_DURATION = 2 * 3600 * 1000L;

  /** promtool's {@code maxSamplesInAppender}. */
  static final int MAX_SAMPLES_IN_APPENDER = 5000;

  /** What to do with each block written. */
  interface BlockListener {
    void written(BlockMeta meta) throws IOException;
  }

  private Backfill() {}

  /** Go's {@code getCompatibleBlockDuration}: the largest 2h·3^k not above the maximum. */
  static long compatibleBlockDuration(long maxBlockDuration) {
    long blockDuration = DEFAULT_BLOCK_DURATION;
    if (maxBlockDuration > DEFAULT_BLOCK_DURATION) {
      long[] ranges = new long[10];
      ranges[0] = DEFAULT_BLOCK_DURATION;
      for (int i = 1; i < 10; i++) {
        ranges[i] = ranges[i - 1] * 3;
      }
      int idx = ranges.length - 1;
      for (int i = 0; i < ranges.length; i++) {
        if (ranges[i] > maxBlockDuration) {
          idx = i - 1;
          break;
        }
      }
      blockDuration = ranges[idx];
    }
    return blockDuration;
  }

  /** Go's {@code backfill}: returns normally or throws with promtool's message. */
  static void run(
      byte[] input,
      Path outputDir,
      long maxBlockDuration,
      Map<String, String> customLabels,
      boolean prometheus2,
      BlockListener listener)
      throws IOException, BackfillException {
    SampleBlockWriter.Options options =
        prometheus2
            ? new SampleBlockWriter.Options(WriterFlavor.PROMETHEUS_2, SampleBlockWriter.Options.DEFAULT.block())
            : SampleBlockWriter.Options.DEFAULT;
    long maxt = Long.MIN_VALUE;
    long mint = Long.MAX_VALUE;
    OpenMetricsParser p = new OpenMetricsParser(input, !prometheus2);
    try {
      for (OpenMetricsParser.Entry e = p.next(); e != OpenMetricsParser.Entry.EOF; e = p.next()) {
        if (e != OpenMetricsParser.Entry.SERIES) {
          continue;
        }
        Long ts = p.timestamp();
        if (ts == null) {
          throw new BackfillException("getting min and max timestamp: expected timestamp for series got none");
        }
        maxt = Math.max(maxt, ts);
        mint = Math.min(mint, ts);
      }
    } catch (OpenMetricsParser.ParseException e) {
      throw new BackfillException("getting min and max timestamp: next: " + e.getMessage());
    }
    if (maxt == Long.MIN_VALUE) {
      maxt = 0;
    }
    if (mint == Long.MAX_VALUE) {
      mint = 0;
    }
    try {
      createBlocks(input, mint, maxt, maxBlockDuration, outputDir, customLabels, options, !prometheus2, listener);
    } catch (BackfillException e) {
      throw new BackfillException("block creation: " + e.getMessage());
    }
  }

  private static void createBlocks(
      byte[] input,
      long mint,
      long maxt,
      long maxBlockDuration,
      Path outputDir,
      Map<String, String> customLabels,
      SampleBlockWriter.Options options,
      boolean normalizeFloatLabels,
      BlockListener listener)
      throws IOException, BackfillException {
    long blockDuration = compatibleBlockDuration(maxBlockDuration);
    mint = blockDuration * (mint / blockDuration);
    long nextSampleTs = Long.MAX_VALUE;
    // Go's loop "for t := mint; t <= maxt; t += blockDuration" in int64.
    for (long t = mint; t <= maxt; t += blockDuration) {
      long tsUpper = t + blockDuration;
      if (nextSampleTs != Long.MAX_VALUE && nextSampleTs >= tsUpper) {
        continue; // The next sample is not in this range: no need to parse for it.
      }
      nextSampleTs = Long.MAX_VALUE;
      // As promtool: the head pretends the block is twice as large so that samples anywhere in
      // the range are not "out of bounds".
      SampleBlockWriter w = new SampleBlockWriter(outputDir, 2 * blockDuration, options);
      SampleBlockWriter.Appender app = w.appender();
      OpenMetricsParser p = new OpenMetricsParser(input, normalizeFloatLabels);
      int samplesCount = 0;
      try {
        for (OpenMetricsParser.Entry e = p.next(); e != OpenMetricsParser.Entry.EOF; e = p.next()) {
          if (e != OpenMetricsParser.Entry.SERIES) {
            continue;
          }
          Long ts = p.timestamp();
          if (ts == null) {
            throw new BackfillException("process blocks: expected timestamp for series " + p.labels() + ", got none");
          }
          if (ts < t) {
            continue;
          }
          if (ts >= tsUpper) {
            nextSampleTs = Math.min(nextSampleTs, ts);
            continue;
          }
          Labels l = withCustomLabels(p.labels(), customLabels);
          try {
            app.append(l, ts, p.value());
          } catch (SampleBlockWriter.RejectedSampleException ex) {
            throw new BackfillException("process blocks: add sample: " + ex.getMessage());
          }
          samplesCount++;
          if (samplesCount < MAX_SAMPLES_IN_APPENDER) {
            continue;
          }
          app.commit();
          app = w.appender();
          samplesCount = 0;
        }
      } catch (OpenMetricsParser.ParseException ex) {
        throw new BackfillException("process blocks: parse: " + ex.getMessage());
      }
      app.commit();
      Optional<BlockMeta> block = w.flush();
      if (block.isPresent()) {
        listener.written(block.get());
      }
    }
  }

  /**
   * Go's {@code labels.Builder}: {@code Reset} drops labels with empty values, {@code Set}
   * replaces every label of that name (an empty value deletes it).
   */
  static Labels withCustomLabels(Labels l, Map<String, String> custom) {
    boolean hasEmpty = false;
    for (int i = 0; i < l.size(); i++) {
      hasEmpty |= l.value(i).isEmpty();
    }
    if (!hasEmpty && custom.isEmpty()) {
      return l;
    }
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < l.size(); i++) {
      if (!l.value(i).isEmpty() && !custom.containsKey(l.name(i))) {
        pairs.add(l.name(i));
        pairs.add(l.value(i));
      }
    }
    for (Map.Entry<String, String> e : custom.entrySet()) {
      if (!e.getValue().isEmpty()) {
        pairs.add(e.getKey());
        pairs.add(e.getValue());
      }
    }
    return Labels.of(pairs.toArray(new String[0]));
  }

  /** A backfill failure with promtool's message. */
  static final class BackfillException extends Exception {
    private static final long serialVersionUID = 1L;

    BackfillException(String message) {
      super(message);
    }
  }

  /** Opens a block just written, for its listing (promtool prints what its DB reader sees). */
  static Block open(Path outputDir, BlockMeta meta) throws IOException {
    return Block.open(outputDir.resolve(meta.ulid().toString()));
  }
}
