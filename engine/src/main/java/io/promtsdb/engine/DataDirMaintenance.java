package io.promtsdb.engine;

import io.promtsdb.index.ChunkMetaList;
import io.promtsdb.index.IndexReader;
import io.promtsdb.index.Postings;
import io.promtsdb.tombstones.Interval;
import io.promtsdb.tombstones.TombstoneEntry;
import io.promtsdb.tombstones.Tombstones;
import io.promtsdb.tombstones.TombstonesFile;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The block side of a data directory's upkeep, as Prometheus' {@code DB} does it: compaction
 * until nothing is planned ({@code compactBlocks}), removal of superseded, deletable and
 * expired blocks ({@code reloadBlocks} with {@code BeyondTimeRetention} and {@code
 * BeyondSizeRetention}), deletion by tombstones ({@code Block.Delete}) and their cleanup
 * ({@code CleanTombstones}).
 *
 * <p>Atomicity: a new block appears by one rename of a complete directory ({@link
 * BlockWriter}); a block is deleted by renaming it to {@code <ulid>.tmp-for-deletion} first, so
 * that a crash leaves either the whole block or a directory that {@link #removeTemporaryDirs}
 * (run on open, as Prometheus does) removes; tombstones and meta.json are replaced by writing
 * a {@code .tmp} file, syncing it and renaming it over the old one. Parents are only deleted
 * after their compacted block is visible, so a crash in between leaves both and the next
 * reload deletes the parents.
 *
 * <p>The head's part (its compaction into a block, its deletion and its WAL) is the caller's;
 * {@link #reload} takes the head's size for size retention.
 */
public final class DataDirMaintenance {

  /**
   * Settings.
   *
   * @param compactor compaction ranges and block writer settings
   * @param retentionMillis time retention ({@code --storage.tsdb.retention.time}); 0 disables
   * @param maxBytes size retention ({@code --storage.tsdb.retention.size}); 0 or less disables
   */
  public record Options(Compactor.Options compactor, long retentionMillis, long maxBytes) {
    public Options {
      Objects.requireNonNull(compactor, "compactor");
      if (retentionMillis < 0) {
        throw new IllegalArgumentException("retention must not be negative: " + retentionMillis);
      }
    }
  }

  private final Path dir;
  private final Options options;
  private final Compactor compactor;

  public DataDirMaintenance(Path dataDir, Options options) {
    this.dir = Objects.requireNonNull(dataDir, "dataDir");
    this.options = Objects.requireNonNull(options, "options");
    this.compactor = new Compactor(options.compactor());
  }

  public Compactor compactor() {
    return compactor;
  }

  /**
   * Removes what an interrupted block write or deletion left behind: directories named {@code
   * <ulid>.tmp-for-creation}, {@code <ulid>.tmp-for-deletion} and the pre-2.21 {@code <ulid>.tmp}
   * (Go's {@code removeBestEffortTmpDirs}). Returns their names.
   */
  public List<String> removeTemporaryDirs() throws IOException {
    List<String> removed = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return removed;
    }
    for (Path p : FileAccess.DEFAULT.list(dir)) {
      String n = p.getFileName().toString();
      if (Files.isDirectory(p) && isTmpBlockDir(n)) {
        BlockFiles.deleteRecursively(p);
        removed.add(n);
      }
    }
    return removed;
  }

  private static boolean isTmpBlockDir(String name) {
    for (String suffix : new String[] {BlockFiles.TMP_FOR_CREATION, BlockFiles.TMP_FOR_DELETION, ".tmp"}) {
      if (name.endsWith(suffix) && Ulid.isValid(name.substring(0, name.length() - suffix.length()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Compacts blocks until the planner finds nothing more (Go's {@code compactBlocks}), removing
   * superseded blocks after each compaction. Returns the metas of the blocks written.
   *
   * @param headSize bytes of WAL, WBL and head chunks, for size retention (see {@link #headSize})
   */
  public List<BlockMeta> compact(long headSize) throws IOException {
    List<BlockMeta> written = new ArrayList<>();
    while (true) {
      List<Path> plan = compactor.plan(dir);
      if (plan.isEmpty()) {
        break;
      }
      Optional<BlockMeta> m = compactor.compact(dir, plan);
      m.ifPresent(written::add);
      reload(headSize);
    }
    return written;
  }

  /**
   * Deletes, in Prometheus' way, the blocks a reload would drop (Go's {@code reloadBlocks}):
   * blocks that are parents of another block, blocks marked deletable, and blocks beyond time
   * or size retention. Returns the deleted ULIDs.
   */
  public Set<Ulid> reload(long headSize) throws IOException {
    List<Path> dirs = Compactor.blockDirs(dir);
    List<Loaded> blocks = new ArrayList<>();
    Set<Ulid> deletable = new LinkedHashSet<>();
    for (Path d : dirs) {
      BlockMeta m = BlockMeta.read(d);
      blocks.add(new Loaded(d, m, blockSize(d)));
    }
    // Blocks superseded by a compacted block: its parents.
    for (Loaded b : blocks) {
      for (BlockMeta.BlockDesc p : b.meta.compaction().parents()) {
        deletable.add(p.ulid());
      }
    }
    List<Loaded> kept = new ArrayList<>();
    for (Loaded b : blocks) {
      if (!deletable.contains(b.meta.ulid())) {
        kept.add(b);
      }
    }
    // Newest first, as Prometheus sorts before applying retention.
    kept.sort(Comparator.comparingLong((Loaded b) -> b.meta.minTime()).reversed());
    for (Loaded b : kept) {
      if (b.meta.compaction().deletable()) {
        deletable.add(b.meta.ulid());
      }
    }
    List<BlockMeta> metas = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    for (Loaded b : kept) {
      metas.add(b.meta);
      sizes.add(b.size);
    }
    deletable.addAll(beyondTimeRetention(metas, options.retentionMillis()));
    deletable.addAll(beyondSizeRetention(metas, sizes, headSize, options.maxBytes()));
    Set<Ulid> deleted = new LinkedHashSet<>();
    for (Ulid u : deletable) {
      Path p = dir.resolve(u.toString());
      if (Files.exists(p)) {
        BlockFiles.deleteBlock(p);
        deleted.add(u);
      }
    }
    return deleted;
  }

  private record Loaded(Path dir, BlockMeta meta, long size) {}

  /**
   * Go's {@code BeyondTimeRetention}: with blocks newest first, the first block (not the newest)
   * whose end is at least {@code retention} before the newest block's end, and every older one.
   */
  public static Set<Ulid> beyondTimeRetention(List<BlockMeta> newestFirst, long retentionMillis) {
    Set<Ulid> out = new LinkedHashSet<>();
    if (newestFirst.isEmpty() || retentionMillis == 0) {
      return out;
    }
    long newestMax = newestFirst.get(0).maxTime();
    for (int i = 1; i < newestFirst.size(); i++) {
      if (newestMax - newestFirst.get(i).maxTime() >= retentionMillis) {
        for (BlockMeta m : newestFirst.subList(i, newestFirst.size())) {
          out.add(m.ulid());
        }
        break;
      }
    }
    return out;
  }

  /**
   * Go's {@code BeyondSizeRetention}: starting from the head's size (WAL, WBL and head chunk
   * files), add block sizes newest first; the block that makes the total exceed {@code
   * maxBytes}, and every older one, go.
   */
  public static Set<Ulid> beyondSizeRetention(List<BlockMeta> newestFirst, List<Long> sizes, long headSize, long maxBytes) {
    Set<Ulid> out = new LinkedHashSet<>();
    if (newestFirst.isEmpty() || maxBytes <= 0) {
      return out;
    }
    long total = headSize;
    for (int i = 0; i < newestFirst.size(); i++) {
      total += sizes.get(i);
      if (total > maxBytes) {
        for (BlockMeta m : newestFirst.subList(i, newestFirst.size())) {
          out.add(m.ulid());
        }
        break;
      }
    }
    return out;
  }

  /**
   * What size retention counts for the head (Go's {@code Head.Size}): every file under {@code
   * wal/} (segments and checkpoints), {@code wbl/} and {@code chunks_head/}.
   */
  public long headSize() throws IOException {
    return dirSize(dir.resolve("wal")) + dirSize(dir.resolve("wbl")) + dirSize(dir.resolve("chunks_head"));
  }

  /** Go's {@code Block.Size}: index, chunk segments, tombstones and meta.json. */
  static long blockSize(Path blockDir) throws IOException {
    long n = 0;
    for (String f : new String[] {"index", BlockMeta.FILE_NAME, TombstonesFile.FILE_NAME}) {
      Path p = blockDir.resolve(f);
      if (Files.exists(p)) {
        n += Files.size(p);
      }
    }
    return n + dirSize(blockDir.resolve("chunks"));
  }

  /** Go's {@code fileutil.DirSize}: the sizes of all regular files below {@code d}. */
  static long dirSize(Path d) throws IOException {
    if (!Files.isDirectory(d)) {
      return 0;
    }
    long[] n = {0};
    Files.walkFileTree(d, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (attrs.isRegularFile()) {
          n[0] += attrs.size();
        }
        return FileVisitResult.CONTINUE;
      }
    });
    return n[0];
  }

  /**
   * Records the deletion of the samples in {@code [mint, maxt]} of the series {@code matchers}
   * select in every block overlapping that range (Go's {@code DB.Delete} for blocks and {@code
   * Block.Delete}): each selected series with a chunk in range gets the interval clamped to
   * its data; the block's tombstones file and meta.json ({@code numTombstones}) are replaced
   * atomically. Returns the number of series that got a tombstone.
   */
  public long delete(long mint, long maxt, List<Matcher> matchers) throws IOException {
    long n = 0;
    for (Path d : Compactor.blockDirs(dir)) {
      BlockMeta meta = BlockMeta.read(d);
      if (!meta.overlapsClosedInterval(mint, maxt)) {
        continue;
      }
      try (Block b = Block.open(d)) {
        n += deleteInBlock(b, mint, maxt, matchers);
      }
    }
    return n;
  }

  static long deleteInBlock(Block b, long mint, long maxt, List<Matcher> matchers) throws IOException {
    IndexReader ir = b.index();
    Postings p = b.postings(matchers);
    List<TombstoneEntry> entries = new ArrayList<>();
    ChunkMetaList chks = new ChunkMetaList();
    long added = 0;
    for (long ref = p.next(); ref != Postings.END; ref = p.next()) {
      chks.clear();
      ir.series(ref, chks);
      for (int i = 0; i < chks.size(); i++) {
        if (chks.minTime(i) <= maxt && mint <= chks.maxTime(i)) {
          // Delete only until the current values and not beyond (Go's clampInterval).
          long tmin = Math.max(mint, chks.minTime(0));
          long tmax = Math.min(maxt, chks.maxTime(chks.size() - 1));
          entries.add(new TombstoneEntry(ref, tmin, tmax));
          added++;
          break;
        }
      }
    }
    Tombstones stones = new Tombstones();
    for (TombstoneEntry e : entries) {
      stones.addInterval(e.ref(), e.interval());
    }
    b.tombstones().forEach((ref, ivs) -> {
      for (Interval iv : ivs.asList()) {
        stones.addInterval(ref, iv);
      }
    });
    TombstonesFile.write(b.dir(), stones.entries());
    BlockMeta m = b.meta();
    BlockMeta.Stats s = m.stats();
    BlockMeta.Stats ns = new BlockMeta.Stats(
        s.numSamples(), s.numFloatSamples(), s.numHistogramSamples(), s.numSeries(), s.numChunks(), stones.total());
    BlockWriter.writeMeta(b.dir(), new BlockMeta(m.ulid(), m.minTime(), m.maxTime(), ns, m.compaction(), BlockMeta.VERSION_1));
    return added;
  }

  /**
   * Rewrites every block with tombstones without the deleted data (Go's {@code
   * CleanTombstones}): the new block (level 1, the old block as parent) becomes visible, then
   * the old one is marked deletable and removed; a block whose data was all deleted leaves no
   * new block. Returns the metas of the blocks written.
   */
  public List<BlockMeta> cleanTombstones(long headSize) throws IOException {
    List<BlockMeta> written = new ArrayList<>();
    boolean again = true;
    while (again) {
      again = false;
      for (Path d : Compactor.blockDirs(dir)) {
        Optional<BlockMeta> m;
        try (Block b = Block.open(d)) {
          if (b.tombstones().total() == 0) {
            continue;
          }
          m = rewriteWithoutTombstones(b);
        }
        m.ifPresent(written::add);
        BlockMeta old = BlockMeta.read(d);
        BlockMeta.Compaction c = old.compaction();
        BlockWriter.writeMeta(d, new BlockMeta(old.ulid(), old.minTime(), old.maxTime(), old.stats(),
            new BlockMeta.Compaction(c.level(), c.sources(), true, c.parents(), c.failed(), c.hints()), BlockMeta.VERSION_1));
        reload(headSize);
        again = true;
        break;
      }
    }
    return written;
  }

  private Optional<BlockMeta> rewriteWithoutTombstones(Block b) throws IOException {
    BlockMeta base = b.meta();
    Ulid ulid = Ulid.generate(System.currentTimeMillis());
    List<String> hints = base.compaction().fromOutOfOrder() ? List.of(BlockMeta.HINT_FROM_OUT_OF_ORDER) : List.of();
    BlockMeta.Compaction c = new BlockMeta.Compaction(
        1, List.of(ulid), false, List.of(new BlockMeta.BlockDesc(base.ulid(), base.minTime(), base.maxTime())), false, hints);
    BlockMeta meta = BlockWriter.newMeta(ulid, base.minTime(), base.maxTime(), c);
    return BlockWriter.write(dir, meta, Compactor.mergedSymbols(List.of(b)),
        new CompactionSeriesSet(List.of(b), meta.minTime(), meta.maxTime() - 1, options.compactor().flavor()), options.compactor().block());
  }
}
