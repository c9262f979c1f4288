package io.promtsdb.engine;

import io.promtsdb.core.CorruptFormatException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A Prometheus data directory opened for reading, never modified (Go's {@code
 * tsdb.DBReadOnly}, what {@code promtool tsdb} uses): the persisted blocks, and the head
 * rebuilt in memory from the WAL (checkpoint and segments), the head chunk files and the
 * out-of-order WBL.
 *
 * <pre>{@code
 * try (ReadOnlyDb db = ReadOnlyDb.open(Path.of("data"));
 *     Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
 *   SeriesSet ss = q.select(true, MetricSelectors.parse("up"));
 *   ...
 * }
 * }</pre>
 *
 * <p>Unlike Prometheus' read-only mode, nothing is written: no new WAL segment, no sandbox
 * directory, no lock file. Blocks are opened when first needed. A block that fails to open
 * fails {@link #blocks()} with an error naming the block, file and offset (as Prometheus does),
 * unless a loadable block lists it as a parent (it was compacted away but not yet deleted), or
 * {@link Options#skipCorruptBlocks()} is set: then it is left out and reported by {@link
 * #corruptBlocks()}.
 */
public final class ReadOnlyDb implements Closeable {

  /**
   * How to open a data directory.
   *
   * @param skipCorruptBlocks leave out blocks that fail to open instead of failing
   * @param fileAccess how files are read (a seam for fault-injection tests)
   * @param progress told about long-running steps (WAL replay)
   */
  /**
   * How to open a data directory.
   *
   * @param skipCorruptBlocks leave out blocks that fail to open (listed in {@link
   *     #corruptBlocks()}) instead of failing
   * @param fileAccess how files are listed and opened (tests wrap it to inject failures)
   * @param progress told about long steps (WAL replay)
   * @param useChunkSnapshot rebuild the head from the newest memory snapshot ({@code
   *     chunk_snapshot.N.M}) and replay only the WAL after it, as Prometheus does with {@code
   *     --enable-feature=memory-snapshot-on-shutdown}; off by default, as in Prometheus'
   *     read-only mode and promtool, which replay the whole WAL
   * @param walReplayConcurrency threads applying WAL samples to series (Prometheus' {@code
   *     WALReplayConcurrency}); 0 for one per processor but one (at most 8), 1 for the calling
   *     thread only
   */
  public record Options(
      boolean skipCorruptBlocks,
      FileAccess fileAccess,
      Progress progress,
      boolean useChunkSnapshot,
      int walReplayConcurrency) {
    public static final Options DEFAULT = new Options(false, FileAccess.DEFAULT, Progress.NONE, false, 0);

    public Options {
      Objects.requireNonNull(fileAccess, "fileAccess");
      Objects.requireNonNull(progress, "progress");
      if (walReplayConcurrency < 0) {
        throw new IllegalArgumentException("walReplayConcurrency < 0: " + walReplayConcurrency);
      }
    }

    public Options(boolean skipCorruptBlocks, FileAccess fileAccess, Progress progress) {
      this(skipCorruptBlocks, fileAccess, progress, false, 0);
    }

    public Options withSkipCorruptBlocks(boolean skip) {
      return new Options(skip, fileAccess, progress, useChunkSnapshot, walReplayConcurrency);
    }

    public Options withProgress(Progress p) {
      return new Options(skipCorruptBlocks, fileAccess, p, useChunkSnapshot, walReplayConcurrency);
    }

    public Options withFileAccess(FileAccess f) {
      return new Options(skipCorruptBlocks, f, progress, useChunkSnapshot, walReplayConcurrency);
    }

    public Options withChunkSnapshot(boolean use) {
      return new Options(skipCorruptBlocks, fileAccess, progress, use, walReplayConcurrency);
    }

    public Options withWalReplayConcurrency(int threads) {
      return new Options(skipCorruptBlocks, fileAccess, progress, useChunkSnapshot, threads);
    }
  }

  /** A block directory that could not be opened, and why. */
  public record CorruptBlock(String id, Path dir, IOException error) {
    @Override
    public String toString() {
      return "corrupted block " + id + ": " + error.getMessage();
    }
  }

  private final Path dir;
  private final Options options;
  private final List<String> warnings = new ArrayList<>();
  private List<Block> blocks;
  private final List<CorruptBlock> corrupt = new ArrayList<>();
  private Head head;
  private final List<Closeable> closers = new ArrayList<>();
  private boolean closed;

  private ReadOnlyDb(Path dir, Options options) {
    this.dir = dir;
    this.options = options;
  }

  /** Opens {@code dir} with {@link Options#DEFAULT}. */
  public static ReadOnlyDb open(Path dir) throws IOException {
    return open(dir, Options.DEFAULT);
  }

  /**
   * Opens {@code dir}: only checks that it is a directory; blocks and head are loaded when
   * first used.
   */
  public static ReadOnlyDb open(Path dir, Options options) throws IOException {
    if (!Files.exists(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "opening the db dir: no such file or directory");
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException("opening the db dir: " + dir + " is not a directory");
    }
    return new ReadOnlyDb(dir, options);
  }

  public Path dir() {
    return dir;
  }

  public Options options() {
    return options;
  }

  /** Block directories: sub-directories named by a valid ULID, in name order. */
  public List<Path> blockDirs() throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isDirectory(p) && Ulid.isValid(p.getFileName().toString())) {
          out.add(p);
        }
      }
    }
    out.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return out;
  }

  /**
   * The blocks, sorted by min time (Go's {@code DBReadOnly.Blocks}).
   *
   * @throws IOException if a block is corrupt (and not superseded, and skipping is off): the
   *     message names the block, file and offset
   */
  public synchronized List<Block> blocks() throws IOException {
    checkOpen();
    if (blocks != null) {
      return blocks;
    }
    List<Block> loaded = new ArrayList<>();
    List<CorruptBlock> bad = new ArrayList<>();
    for (Path bd : blockDirs()) {
      String id = bd.getFileName().toString();
      BlockMeta meta;
      try {
        meta = BlockMeta.read(bd);
      } catch (IOException e) {
        // Prometheus skips a block whose meta.json cannot be read (with an error log).
        warnings.add("skipping block " + id + ": " + e.getMessage());
        continue;
      }
      try {
        loaded.add(Block.open(bd, options.fileAccess()));
      } catch (IOException e) {
        bad.add(new CorruptBlock(meta.ulid().toString(), bd, e));
      }
    }
    // Blocks that a loadable block lists as parents were compacted already: ignore them.
    Set<Ulid> superseded = new HashSet<>();
    for (Block b : loaded) {
      for (BlockMeta.BlockDesc p : b.meta().compaction().parents()) {
        superseded.add(p.ulid());
      }
    }
    bad.removeIf(c -> superseded.contains(Ulid.parse(c.id())));
    if (!bad.isEmpty() && !options.skipCorruptBlocks()) {
      for (Block b : loaded) {
        b.close();
      }
      IOException e = new CorruptBlocksException(bad);
      throw e;
    }
    corrupt.addAll(bad);
    for (CorruptBlock c : bad) {
      warnings.add("skipped " + c);
    }
    // Stable: blocks with equal min time keep ULID order, as Go's sort does for few blocks.
    loaded.sort(Comparator.comparingLong(b -> b.meta().minTime()));
    closers.addAll(loaded);
    blocks = List.copyOf(loaded);
    return blocks;
  }

  /** Blocks left out by {@link Options#skipCorruptBlocks()}. */
  public synchronized List<CorruptBlock> corruptBlocks() throws IOException {
    blocks();
    return List.copyOf(corrupt);
  }

  /** Problems that did not stop reading: skipped blocks, WAL repairs. */
  public synchronized List<String> warnings() {
    List<String> out = new ArrayList<>(warnings);
    if (head != null) {
      out.addAll(head.replayReport().warnings());
    }
    return out;
  }

  /** The id of the block with the newest ULID time (Go's {@code LastBlockID}), if any. */
  public Optional<String> lastBlockId() throws IOException {
    String last = null;
    long maxT = 0;
    for (Path p : blockDirs()) {
      String name = p.getFileName().toString();
      long t = Ulid.parse(name).timestamp();
      if (t > maxT) {
        maxT = t;
        last = name;
      }
    }
    return Optional.ofNullable(last);
  }

  /** Opens block {@code id} on its own (Go's {@code DBReadOnly.Block}); closed with this db. */
  public synchronized Block block(String id) throws IOException {
    checkOpen();
    Path bd = dir.resolve(id);
    if (!Files.isDirectory(bd)) {
      throw new IOException("invalid block ID " + id);
    }
    Block b = Block.open(bd, options.fileAccess());
    closers.add(b);
    return b;
  }

  /**
   * The head, replayed on first use from the WAL, checkpoint, head chunks and WBL (Go's {@code
   * Head.Init} with the newest block's max time as the minimum valid time).
   */
  public synchronized Head head() throws IOException {
    checkOpen();
    if (head == null) {
      List<Block> bs = blocks();
      long minValidTime = bs.isEmpty() ? Long.MIN_VALUE : bs.get(bs.size() - 1).meta().maxTime();
      head = Head.replay(dir, minValidTime, options);
      closers.add(head);
    }
    return head;
  }

  /**
   * A querier over {@code [mint, maxt]}: the overlapping blocks and, when the blocks do not
   * cover {@code maxt}, the head (Go's {@code DBReadOnly.Querier}). Series of several sources
   * are merged as Prometheus merges them.
   */
  public synchronized Querier querier(long mint, long maxt) throws IOException {
    List<Block> bs = blocks();
    long maxBlockTime = bs.isEmpty() ? Long.MIN_VALUE : bs.get(bs.size() - 1).meta().maxTime();
    List<Querier> qs = new ArrayList<>();
    if (maxBlockTime <= maxt) {
      Head h = head();
      Querier hq = h.querier(mint, maxt);
      if (hq != null) {
        qs.add(hq);
      }
    }
    for (Block b : bs) {
      if (b.overlapsClosedInterval(mint, maxt)) {
        qs.add(b.querier(mint, maxt));
      }
    }
    if (qs.isEmpty()) {
      return new EmptyQuerier();
    }
    return MergeQuerier.of(qs);
  }

  private void checkOpen() throws IOException {
    if (closed) {
      throw new IOException("db already closed");
    }
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException first = null;
    for (Closeable c : closers) {
      try {
        c.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** One or more blocks failed to open. */
  public static final class CorruptBlocksException extends CorruptFormatException {
    private static final long serialVersionUID = 1L;
    private final transient List<CorruptBlock> blocks;

    CorruptBlocksException(List<CorruptBlock> blocks) {
      super(describe(blocks), NO_OFFSET, "", blocks.get(0).error());
      this.blocks = List.copyOf(blocks);
    }

    private static String describe(List<CorruptBlock> blocks) {
      StringBuilder b = new StringBuilder();
      for (CorruptBlock c : blocks) {
        if (b.length() > 0) {
          b.append("; ");
        }
        b.append(c);
      }
      return b.toString();
    }

    public List<CorruptBlock> blocks() {
      return blocks;
    }

    @Override
    public String getMessage() {
      return describe(blocks);
    }
  }

  /** A querier with nothing to query. */
  static final class EmptyQuerier implements Querier {
    @Override
    public SeriesSet select(boolean sortSeries, List<Matcher> matchers) {
      return SeriesSet.empty();
    }

    @Override
    public List<String> labelValues(String name, List<Matcher> matchers) {
      return List.of();
    }

    @Override
    public List<String> labelNames(List<Matcher> matchers) {
      return List.of();
    }

    @Override
    public void close() {}
  }
}
