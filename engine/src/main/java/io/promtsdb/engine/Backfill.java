package io.promtsdb.engine;

import io.promtsdb.chunks.WriterFlavor;
import io.promtsdb.core.Labels;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates blocks from an OpenMetrics text file, as {@code promtool tsdb create-blocks-from
 * openmetrics} does ({@code cmd/promtool/backfill.go}, 3.5.3): byte for byte the same blocks
 * (but for their ULIDs) and the same error messages.
 *
 * <pre>{@code
 * List<BlockMeta> blocks = Backfill.fromOpenMetrics(Path.of("metrics.om"), Path.of("data"),
 *     Backfill.Options.DEFAULT.withMaxBlockDuration(Duration.ofHours(6).toMillis()));
 * }</pre>
 *
 * <p>As promtool: one pass over the input finds the time range; then, for every range of the
 * block duration (aligned to multiples of it) that holds samples, one more pass feeds that
 * range's samples to a {@link SampleBlockWriter} (chunk range twice the block duration, a
 * commit every 5000 samples) and writes one block. Memory is bounded by one block's series and
 * chunks and by the longest input entry, not by the input: each pass streams the file.
 *
 * <p>With {@link WriterFlavor#PROMETHEUS_2} the output is promtool 2.53's: XOR chunks with the
 * spare trailing byte, {@code le} and {@code quantile} values as written (3.x normalises them).
 */
public final class Backfill {
  /** {@code tsdb.DefaultBlockDuration}: 2 h. */
  public static final long DEFAULT_BLOCK_DURATION = 2 * 3600 * 1000L;

  /** promtool's {@code maxSamplesInAppender}: a commit every this many samples. */
  public static final int MAX_SAMPLES_IN_APPENDER = 5000;

  /** Bytes between two progress updates. */
  private static final long PROGRESS_STEP = 4 << 20;

  /** Is told of each block as soon as it is written. */
  @FunctionalInterface
  public interface BlockListener {
    void written(BlockMeta meta) throws IOException;

    /** Ignores every block. */
    BlockListener NONE = meta -> {};
  }

  /**
   * Settings (promtool's flags).
   *
   * @param maxBlockDuration {@code --max-block-duration} in milliseconds: blocks span the
   *     largest of 2h·3^k (k < 10) not above it; anything below 2 h means 2 h
   * @param labels {@code --label}: set on every series, replacing a label of that name (an
   *     empty value removes it); applied in this map's iteration order
   * @param flavor which promtool's bytes to write
   * @param blocks told of each block written (promtool prints it)
   * @param progress told of the bytes read in each pass, per {@value #PROGRESS_STEP} bytes
   */
  public record Options(
      long maxBlockDuration, Map<String, String> labels, WriterFlavor flavor, BlockListener blocks, Progress progress) {
    /** promtool 3.5.3's defaults: 2 h blocks, no labels, nothing reported. */
    public static final Options DEFAULT =
        new Options(0, Map.of(), WriterFlavor.PROMETHEUS_3, BlockListener.NONE, Progress.NONE);

    public Options {
      labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(labels, "labels")));
      Objects.requireNonNull(flavor, "flavor");
      Objects.requireNonNull(blocks, "blocks");
      Objects.requireNonNull(progress, "progress");
    }

    public Options withMaxBlockDuration(long millis) {
      return new Options(millis, labels, flavor, blocks, progress);
    }

    public Options withLabels(Map<String, String> l) {
      return new Options(maxBlockDuration, l, flavor, blocks, progress);
    }

    public Options withFlavor(WriterFlavor f) {
      return new Options(maxBlockDuration, labels, f, blocks, progress);
    }

    public Options withBlockListener(BlockListener l) {
      return new Options(maxBlockDuration, labels, flavor, l, progress);
    }

    public Options withProgress(Progress p) {
      return new Options(maxBlockDuration, labels, flavor, blocks, p);
    }
  }

  /**
   * Bad input or a sample the head rejects. The message is promtool's, prefixes included
   * (e.g. {@code block creation: process blocks: parse: data does not end with # EOF}); where
   * the failure belongs to one entry of the input, {@link #line()} and {@link #offset()} say
   * where it starts (promtool's messages do not).
   */
  public static final class BackfillException extends Exception {
    private static final long serialVersionUID = 1L;

    private final long line;
    private final long offset;

    BackfillException(String message, long line, long offset) {
      super(message);
      this.line = line;
      this.offset = offset;
    }

    BackfillException(String message) {
      this(message, 0, -1);
    }

    /** The 1-based line of the failing entry's first byte, 0 if none. */
    public long line() {
      return line;
    }

    /** The input offset of the failing entry's first byte, -1 if none. */
    public long offset() {
      return offset;
    }

    BackfillException prefixed(String prefix) {
      return new BackfillException(prefix + getMessage(), line, offset);
    }
  }

  private Backfill() {}

  /**
   * Writes the blocks of {@code input}'s samples into {@code outputDir} (which must exist).
   *
   * @return the blocks written, in time order
   * @throws BackfillException for bad input, with promtool's message; blocks written before
   *     the failure stay, as promtool leaves them
   */
  public static List<BlockMeta> fromOpenMetrics(Path input, Path outputDir, Options options)
      throws IOException, BackfillException {
    try (FileChannel in = FileChannel.open(input, StandardOpenOption.READ)) {
      return run(new Input(in, input.toString()), outputDir, options);
    }
  }

  /** Go's {@code getCompatibleBlockDuration}: the largest 2h·3^k not above the maximum. */
  public static long compatibleBlockDuration(long maxBlockDuration) {
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

  /** The input: a file channel read from the start once per pass. */
  record Input(FileChannel channel, String name) {
    OpenMetricsParser parser(boolean normalizeFloatLabels) throws IOException {
      channel.position(0);
      return new OpenMetricsParser(channel, normalizeFloatLabels);
    }

    long size() throws IOException {
      return channel.size();
    }
  }

  /** Go's {@code backfill}. */
  static List<BlockMeta> run(Input input, Path outputDir, Options options) throws IOException, BackfillException {
    boolean normalize = options.flavor() != WriterFlavor.PROMETHEUS_2;
    long maxt = Long.MIN_VALUE;
    long mint = Long.MAX_VALUE;
    OpenMetricsParser p = input.parser(normalize);
    Reporter reporter = new Reporter(options.progress(), "time range of " + input.name(), input.size());
    try {
      for (OpenMetricsParser.Entry e = p.next(); e != OpenMetricsParser.Entry.EOF; e = p.next()) {
        reporter.at(p.position());
        if (e != OpenMetricsParser.Entry.SERIES) {
          continue;
        }
        Long ts = p.timestamp();
        if (ts == null) {
          throw failure("getting min and max timestamp: expected timestamp for series got none", p);
        }
        maxt = Math.max(maxt, ts);
        mint = Math.min(mint, ts);
      }
    } catch (OpenMetricsParser.ParseException e) {
      throw failure("getting min and max timestamp: next: " + e.getMessage(), p);
    }
    reporter.done();
    if (maxt == Long.MIN_VALUE) {
      maxt = 0;
    }
    if (mint == Long.MAX_VALUE) {
      mint = 0;
    }
    try {
      return createBlocks(input, mint, maxt, outputDir, options, normalize);
    } catch (BackfillException e) {
      throw e.prefixed("block creation: ");
    }
  }

  private static List<BlockMeta> createBlocks(
      Input input, long mint, long maxt, Path outputDir, Options options, boolean normalize)
      throws IOException, BackfillException {
    long blockDuration = compatibleBlockDuration(options.maxBlockDuration());
    SampleBlockWriter.Options writerOptions =
        new SampleBlockWriter.Options(options.flavor(), SampleBlockWriter.Options.DEFAULT.block());
    mint = blockDuration * (mint / blockDuration);
    List<BlockMeta> written = new ArrayList<>();
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
      SampleBlockWriter w = new SampleBlockWriter(outputDir, 2 * blockDuration, writerOptions);
      SampleBlockWriter.Appender app = w.appender();
      OpenMetricsParser p = input.parser(normalize);
      Reporter reporter = new Reporter(options.progress(), "block [" + t + ", " + tsUpper + ") of " + input.name(), input.size());
      int samplesCount = 0;
      try {
        for (OpenMetricsParser.Entry e = p.next(); e != OpenMetricsParser.Entry.EOF; e = p.next()) {
          reporter.at(p.position());
          if (e != OpenMetricsParser.Entry.SERIES) {
            continue;
          }
          Long ts = p.timestamp();
          if (ts == null) {
            throw failure("process blocks: expected timestamp for series " + p.labels() + ", got none", p);
          }
          if (ts < t) {
            continue;
          }
          if (ts >= tsUpper) {
            nextSampleTs = Math.min(nextSampleTs, ts);
            continue;
          }
          Labels l = withCustomLabels(p.labels(), options.labels());
          try {
            app.append(l, ts, p.value());
          } catch (SampleBlockWriter.RejectedSampleException ex) {
            throw failure("process blocks: add sample: " + ex.getMessage(), p);
          }
          samplesCount++;
          if (samplesCount < MAX_SAMPLES_IN_APPENDER) {
            continue;
          }
          // As promtool: a commit every 5000 samples keeps the appender's pending list short.
          app.commit();
          app = w.appender();
          samplesCount = 0;
        }
      } catch (OpenMetricsParser.ParseException ex) {
        throw failure("process blocks: parse: " + ex.getMessage(), p);
      }
      reporter.done();
      app.commit();
      Optional<BlockMeta> block = w.flush();
      if (block.isPresent()) {
        written.add(block.get());
        options.blocks().written(block.get());
      }
    }
    return written;
  }

  private static BackfillException failure(String message, OpenMetricsParser p) {
    return new BackfillException(message, p.entryLine(), p.entryOffset());
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

  /** Progress of one pass, in bytes, every {@link #PROGRESS_STEP}. */
  private static final class Reporter {
    private final Progress progress;
    private final String what;
    private final long total;
    private long next = PROGRESS_STEP;

    Reporter(Progress progress, String what, long total) {
      this.progress = progress;
      this.what = what;
      this.total = total;
      progress.update(what, 0, total);
    }

    void at(long position) {
      if (position >= next) {
        progress.update(what, position, total);
        next = position + PROGRESS_STEP;
      }
    }

    void done() {
      progress.update(what, total, total);
      progress.done(what);
    }
  }
}
