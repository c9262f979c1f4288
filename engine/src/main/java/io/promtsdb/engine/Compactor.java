package io.promtsdb.engine;

import io.promtsdb.chunks.WriterFlavor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Prometheus' {@code LeveledCompactor} (tsdb/compact.go, 3.5.3): plans which blocks of a data
 * directory to compact, and compacts blocks into one.
 *
 * <p>Planning ({@link #plan}), on blocks sorted by min time:
 *
 * <ol>
 *   <li>overlapping blocks (when enabled): the first run of blocks that overlap, for a vertical
 *       compaction;
 *   <li>otherwise, leaving out the newest block: for each range after the first (6 h, 18 h, 54
 *       h, ... for 2 h blocks), the first group of blocks inside one aligned range that fills
 *       it or ends before the newest block's start, has more than one block and no failed
 *       compaction;
 *   <li>otherwise, from the newest block backwards: a block of at least half the largest range
 *       with more than 5 % tombstones per series, or a smaller block whose every series has
 *       tombstones, is rewritten alone.
 * </ol>
 *
 * <p>Compaction ({@link #compact}) writes one block through {@link BlockWriter} with the union of
 * the inputs' symbols, their series merged ({@link CompactionSeriesSet}), level one above the
 * highest input level, the inputs as parents and the union of their sources. When nothing is
 * left (everything deleted), no block is written and the inputs are marked deletable in their
 * meta.json, as Prometheus does. The inputs are not removed here: {@link DataDirMaintenance}
 * deletes blocks that are parents of others, as Prometheus' reload does.
 */
public final class Compactor {

  /**
   * Settings.
   *
   * @param ranges compaction ranges in ms, ascending (see {@link #blockRanges})
   * @param enableOverlappingCompaction whether overlapping blocks are compacted vertically
   * @param block settings of the block writer
   * @param flavor the XOR bytes of re-encoded chunks (Prometheus 2.x wrote a spare trailing
   *     byte; only to reproduce what 2.x compaction writes)
   */
  public record Options(long[] ranges, boolean enableOverlappingCompaction, BlockWriter.Options block, WriterFlavor flavor) {
    public Options(long[] ranges, boolean enableOverlappingCompaction, BlockWriter.Options block) {
      this(ranges, enableOverlappingCompaction, block, WriterFlavor.PROMETHEUS_3);
    }

    public Options {
      Objects.requireNonNull(flavor, "flavor");
      ranges = ranges.clone();
      if (ranges.length == 0) {
        throw new IllegalArgumentException("at least one compaction range is needed");
      }
      for (int i = 0; i < ranges.length; i++) {
        if (ranges[i] <= 0 || (i > 0 && ranges[i] <= ranges[i - 1])) {
          throw new IllegalArgumentException("compaction ranges must be positive and ascending: " + Arrays.toString(ranges));
        }
      }
      Objects.requireNonNull(block, "block");
    }

    @Override
    public long[] ranges() {
      return ranges.clone();
    }

    /** Prometheus' defaults: 2 h blocks, ranges up to 31 days, vertical compaction on. */
    public static Options defaults() {
      return new Options(blockRanges(DEFAULT_BLOCK_DURATION, defaultMaxBlockDuration(0)), true, BlockWriter.Options.DEFAULT);
    }
  }

  /** {@code tsdb.DefaultBlockDuration}: 2 h. */
  public static final long DEFAULT_BLOCK_DURATION = 2 * 3600_000L;

  private final Options options;

  public Compactor(Options options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /** Go's {@code ExponentialBlockRanges}: {@code steps} ranges, each {@code stepSize} times the last. */
  public static long[] exponentialBlockRanges(long minSize, int steps, int stepSize) {
    long[] r = new long[steps];
    long cur = minSize;
    for (int i = 0; i < steps; i++) {
      r[i] = cur;
      cur *= stepSize;
    }
    return r;
  }

  /**
   * The ranges Prometheus compacts with: ten ranges from {@code minBlockDuration}, tripling,
   * cut before the first above {@code maxBlockDuration} (a maximum below the minimum becomes
   * the minimum; tsdb's {@code validateOpts} and {@code open}).
   */
  public static long[] blockRanges(long minBlockDuration, long maxBlockDuration) {
    if (minBlockDuration <= 0) {
      minBlockDuration = DEFAULT_BLOCK_DURATION;
    }
    if (minBlockDuration > maxBlockDuration) {
      maxBlockDuration = minBlockDuration;
    }
    long[] r = exponentialBlockRanges(minBlockDuration, 10, 3);
    for (int i = 0; i < r.length; i++) {
      if (r[i] > maxBlockDuration) {
        return Arrays.copyOf(r, i);
      }
    }
    return r;
  }

  /**
   * Prometheus' default maximum block duration ({@code cmd/prometheus}): 31 days, or a tenth
   * of the time retention when that is smaller (0: no time retention).
   */
  public static long defaultMaxBlockDuration(long retentionMillis) {
    long max = 31L * 24 * 3600_000L;
    if (retentionMillis != 0 && retentionMillis / 10 < max) {
      max = retentionMillis / 10;
    }
    return max;
  }

  /** A block directory and its meta, as planning sees it (Go's {@code dirMeta}). */
  public record DirMeta(Path dir, BlockMeta meta) {}

  /** Go's {@code Plan}: reads every block's meta.json in {@code dataDir}. */
  public List<Path> plan(Path dataDir) throws IOException {
    List<DirMeta> dms = new ArrayList<>();
    for (Path d : blockDirs(dataDir)) {
      dms.add(new DirMeta(d, BlockMeta.read(d)));
    }
    return plan(dms);
  }

  /** Block directories of a data dir (names that are ULIDs, holding a meta.json), sorted. */
  static List<Path> blockDirs(Path dataDir) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : FileAccess.DEFAULT.list(dataDir)) {
      if (Files.isDirectory(p) && Ulid.isValid(p.getFileName().toString())) {
        out.add(p);
      }
    }
    return out;
  }

  /** Go's {@code plan}: the blocks to compact next, or none. */
  public List<Path> plan(List<DirMeta> input) {
    List<DirMeta> dms = new ArrayList<>(input);
    if (dms.isEmpty()) {
      return List.of();
    }
    // Go's slices.SortFunc is not stable, but only blocks with equal min times could differ.
    dms.sort(Comparator.comparingLong(d -> d.meta().minTime()));
    List<Path> res = selectOverlappingDirs(dms);
    if (!res.isEmpty()) {
      return res;
    }
    // The newest block is left out: it is probably still being appended to via the head.
    dms = dms.subList(0, dms.size() - 1);
    for (DirMeta dm : selectDirs(dms)) {
      res.add(dm.dir());
    }
    if (!res.isEmpty()) {
      return res;
    }
    long[] ranges = options.ranges;
    for (int i = dms.size() - 1; i >= 0; i--) {
      BlockMeta meta = dms.get(i).meta();
      if (meta.maxTime() - meta.minTime() < ranges[ranges.length / 2]) {
        // A small block with tombstones for every series is rewritten (it holds nothing).
        if (meta.stats().numTombstones() > 0 && meta.stats().numTombstones() >= meta.stats().numSeries()) {
          return List.of(dms.get(i).dir());
        }
        break;
      }
      if ((double) meta.stats().numTombstones() / (double) (meta.stats().numSeries() + 1) > 0.05) {
        return List.of(dms.get(i).dir());
      }
    }
    return List.of();
  }

  private List<DirMeta> selectDirs(List<DirMeta> ds) {
    long[] ranges = options.ranges;
    if (ranges.length < 2 || ds.isEmpty()) {
      return List.of();
    }
    long highTime = ds.get(ds.size() - 1).meta().minTime();
    for (int r = 1; r < ranges.length; r++) {
      long iv = ranges[r];
      outer:
      for (List<DirMeta> p : splitByRange(ds, iv)) {
        for (DirMeta dm : p) {
          if (dm.meta().compaction().failed()) {
            continue outer;
          }
        }
        long mint = p.get(0).meta().minTime();
        long maxt = p.get(p.size() - 1).meta().maxTime();
        if ((maxt - mint == iv || maxt <= highTime) && p.size() > 1) {
          return p;
        }
      }
    }
    return List.of();
  }

  private List<Path> selectOverlappingDirs(List<DirMeta> ds) {
    List<Path> out = new ArrayList<>();
    if (!options.enableOverlappingCompaction || ds.size() < 2) {
      return out;
    }
    long globalMaxt = ds.get(0).meta().maxTime();
    for (int i = 1; i < ds.size(); i++) {
      DirMeta d = ds.get(i);
      if (d.meta().minTime() < globalMaxt) {
        if (out.isEmpty()) {
          out.add(ds.get(i - 1).dir());
        }
        out.add(d.dir());
      } else if (!out.isEmpty()) {
        break;
      }
      if (d.meta().maxTime() > globalMaxt) {
        globalMaxt = d.meta().maxTime();
      }
    }
    return out;
  }

  /**
   * Go's {@code splitByRange}: consecutive blocks grouped by the aligned range of width {@code
   * tr} holding them; blocks crossing a range boundary are skipped.
   */
  static List<List<DirMeta>> splitByRange(List<DirMeta> ds, long tr) {
    List<List<DirMeta>> out = new ArrayList<>();
    for (int i = 0; i < ds.size(); ) {
      BlockMeta m = ds.get(i).meta();
      long t0 = m.minTime() >= 0 ? tr * (m.minTime() / tr) : tr * ((m.minTime() - tr + 1) / tr);
      if (m.maxTime() > t0 + tr) {
        i++;
        continue;
      }
      List<DirMeta> group = new ArrayList<>();
      for (; i < ds.size(); i++) {
        if (ds.get(i).meta().maxTime() > t0 + tr) {
          break;
        }
        group.add(ds.get(i));
      }
      if (!group.isEmpty()) {
        out.add(group);
      }
    }
    return out;
  }

  /** Go's {@code CompactBlockMetas}: the meta of the block merging {@code metas}. */
  public static BlockMeta compactBlockMetas(Ulid ulid, List<BlockMeta> metas) {
    long mint = metas.get(0).minTime();
    long maxt = metas.get(0).maxTime();
    int level = 0;
    TreeSet<Ulid> sources = new TreeSet<>();
    List<BlockMeta.BlockDesc> parents = new ArrayList<>();
    for (BlockMeta b : metas) {
      mint = Math.min(mint, b.minTime());
      maxt = Math.max(maxt, b.maxTime());
      level = Math.max(level, b.compaction().level());
      sources.addAll(b.compaction().sources());
      parents.add(new BlockMeta.BlockDesc(b.ulid(), b.minTime(), b.maxTime()));
    }
    BlockMeta.Compaction c = new BlockMeta.Compaction(level + 1, new ArrayList<>(sources), false, parents, false, List.of());
    return BlockWriter.newMeta(ulid, mint, maxt, c);
  }

  /**
   * Compacts the blocks in {@code dirs} into one new block in {@code dest} (Go's {@code
   * Compact}). Returns its meta, or empty when the result held no samples, in which case the
   * inputs' meta.json files now say {@code deletable}. On failure the inputs are marked as
   * failed compactions and no new block is visible.
   */
  public Optional<BlockMeta> compact(Path dest, List<Path> dirs) throws IOException {
    List<Block> blocks = new ArrayList<>();
    try {
      for (Path d : dirs) {
        blocks.add(Block.open(d));
      }
      return compactBlocks(dest, blocks);
    } finally {
      for (Block b : blocks) {
        b.close();
      }
    }
  }

  /** {@link #compact} of blocks already open (they stay open). */
  public Optional<BlockMeta> compactBlocks(Path dest, List<Block> blocks) throws IOException {
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("cannot populate block from no readers");
    }
    List<BlockMeta> metas = new ArrayList<>();
    for (Block b : blocks) {
      metas.add(b.meta());
    }
    Ulid ulid = Ulid.generate(System.currentTimeMillis());
    BlockMeta meta = compactBlockMetas(ulid, metas);
    Optional<BlockMeta> written;
    try {
      written = BlockWriter.write(
          dest, meta, mergedSymbols(blocks), new CompactionSeriesSet(blocks, meta.minTime(), meta.maxTime() - 1, options.flavor), options.block);
    } catch (IOException | RuntimeException e) {
      for (Block b : blocks) {
        try {
          rewriteMeta(b.dir(), b.meta(), false, true);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    if (written.isEmpty()) {
      for (Block b : blocks) {
        rewriteMeta(b.dir(), b.meta(), true, false);
      }
    }
    return written;
  }

  private static void rewriteMeta(Path dir, BlockMeta m, boolean deletable, boolean failed) throws IOException {
    BlockMeta.Compaction c = m.compaction();
    BlockMeta.Compaction n = new BlockMeta.Compaction(
        c.level(), c.sources(), c.deletable() || deletable, c.parents(), c.failed() || failed, c.hints());
    BlockWriter.writeMeta(dir, new BlockMeta(m.ulid(), m.minTime(), m.maxTime(), m.stats(), n, BlockMeta.VERSION_1));
  }

  /** The union of the blocks' symbol tables, sorted (Go's {@code NewMergedStringIter}). */
  static List<String> mergedSymbols(List<Block> blocks) {
    TreeSet<String> all = new TreeSet<>(io.promtsdb.core.Utf8Order.COMPARATOR);
    for (Block b : blocks) {
      for (var it = b.index().symbols(); it.hasNext(); ) {
        all.add(it.next());
      }
    }
    return new ArrayList<>(all);
  }
}
