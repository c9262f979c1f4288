package io.promtsdb.engine;

import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.ChunkSegmentWriter;
import io.promtsdb.core.Labels;
import io.promtsdb.index.ChunkMetaList;
import io.promtsdb.index.IndexWriter;
import io.promtsdb.tombstones.TombstonesFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Writes a complete block as Prometheus' {@code LeveledCompactor.write} and {@code
 * DefaultBlockPopulator.PopulateBlock} do:
 *
 * <ol>
 *   <li>{@code <dir>/<ulid>.tmp-for-creation} is removed and created;
 *   <li>the symbols are added to {@code index}, then series by series the chunks go to {@code
 *       chunks/000001...} (512 MiB segments) and the series with its chunk references to the
 *       index; series without chunks are skipped; stats count series, chunks and samples;
 *   <li>the index and the last chunk segment are finished and fsynced;
 *   <li>if no sample was written, nothing more happens and no block exists (Go returns with an
 *       empty result; the compactor marks the sources deletable);
 *   <li>{@code meta.json} (via {@code meta.json.tmp} and a rename) and an empty {@code
 *       tombstones} file are written, the directory is fsynced, and renamed to {@code
 *       <dir>/<ulid>}, after which the parent directory is fsynced.
 * </ol>
 *
 * <p>Any failure removes the temporary directory: a block is either complete under its final
 * name or not there. A reader that finds a {@code .tmp-for-creation} directory after a crash
 * removes it, as Prometheus does on open.
 */
public final class BlockWriter {

  /**
   * Settings.
   *
   * @param chunkSegmentSize maximum size of a chunk segment file (Prometheus' {@code
   *     DefaultChunkSegmentSize}, 512 MiB)
   * @param index index writer settings
   */
  public record Options(long chunkSegmentSize, IndexWriter.Options index) {
    public static final Options DEFAULT =
        new Options(ChunkSegmentWriter.DEFAULT_SEGMENT_SIZE, IndexWriter.Options.DEFAULT);

    public Options {
      Objects.requireNonNull(index, "index");
    }
  }

  private BlockWriter() {}

  /**
   * Writes the block described by {@code meta} (identity, time range, compaction; its stats
   * are ignored and computed) into {@code dir/<ulid>}.
   *
   * @param symbols every label name and value of the series, sorted by UTF-8 bytes, no
   *     duplicates; may contain more (the compactor passes the union of its inputs' symbol
   *     tables, as Prometheus does)
   * @param series sorted by labels
   * @return the meta written, or empty when the series held no samples (no block written)
   */
  public static Optional<BlockMeta> write(
      Path dir, BlockMeta meta, Iterable<String> symbols, ChunkSeriesSet series, Options options)
      throws IOException {
    Path target = dir.resolve(meta.ulid().toString());
    Path tmp = dir.resolve(meta.ulid() + BlockFiles.TMP_FOR_CREATION);
    try {
      BlockFiles.deleteRecursively(tmp);
      Files.createDirectories(tmp);
      BlockMeta.Stats stats = populate(tmp, symbols, series, options);
      if (stats.numSamples() == 0) {
        return Optional.empty();
      }
      BlockMeta done =
          new BlockMeta(meta.ulid(), meta.minTime(), meta.maxTime(), stats, meta.compaction(), BlockMeta.VERSION_1);
      writeMeta(tmp, done);
      TombstonesFile.write(tmp, List.of());
      BlockFiles.syncDirectory(tmp);
      CrashPoints.reach(CrashPoints.BLOCK_WRITTEN);
      BlockFiles.replace(tmp, target);
      return Optional.of(done);
    } finally {
      // After success the directory was renamed and this does nothing.
      BlockFiles.deleteRecursively(tmp);
    }
  }

  /** {@link #write} with the default options. */
  public static Optional<BlockMeta> write(Path dir, BlockMeta meta, Iterable<String> symbols, ChunkSeriesSet series)
      throws IOException {
    return write(dir, meta, symbols, series, Options.DEFAULT);
  }

  /** {@link #write} of series held in memory, the symbol table made of their labels. */
  public static Optional<BlockMeta> write(Path dir, BlockMeta meta, Collection<ChunkSeries> sorted)
      throws IOException {
    return write(dir, meta, symbolsOf(sorted), ChunkSeriesSet.of(sorted), Options.DEFAULT);
  }

  /** The sorted, distinct label names and values of {@code series}. */
  public static List<String> symbolsOf(Iterable<ChunkSeries> series) {
    TreeSet<String> set = new TreeSet<>(io.promtsdb.core.Utf8Order::compare);
    for (ChunkSeries s : series) {
      Labels l = s.labels();
      for (int i = 0; i < l.size(); i++) {
        set.add(l.name(i));
        set.add(l.value(i));
      }
    }
    return new ArrayList<>(set);
  }

  /**
   * A fresh meta for a block to be written: version 1, no stats yet.
   *
   * @param maxTime exclusive
   */
  public static BlockMeta newMeta(Ulid ulid, long minTime, long maxTime, BlockMeta.Compaction compaction) {
    return new BlockMeta(ulid, minTime, maxTime, BlockMeta.Stats.EMPTY, compaction, BlockMeta.VERSION_1);
  }

  /** Level 1 compaction info of a block cut from the head: its only source is itself. */
  public static BlockMeta.Compaction level1(Ulid ulid) {
    return new BlockMeta.Compaction(1, List.of(ulid), false, List.of(), false, List.of());
  }

  private static BlockMeta.Stats populate(Path tmp, Iterable<String> symbols, ChunkSeriesSet series, Options options)
      throws IOException {
    long numSamples = 0;
    long numSeries = 0;
    long numChunks = 0;
    try (ChunkSegmentWriter chunkw = ChunkSegmentWriter.create(tmp.resolve("chunks"), options.chunkSegmentSize());
        IndexWriter indexw = IndexWriter.create(tmp.resolve("index"), options.index())) {
      for (String s : symbols) {
        indexw.addSymbol(s);
      }
      List<Chunk> chunks = new ArrayList<>();
      ChunkMetaList metas = new ChunkMetaList();
      while (series.next()) {
        ChunkSeries s = series.at();
        List<BlockChunk> cs = s.chunks();
        if (cs.isEmpty()) {
          continue; // Go: "Skip series with all deleted chunks."
        }
        chunks.clear();
        for (BlockChunk c : cs) {
          chunks.add(c.chunk());
        }
        long[] refs = chunkw.writeChunks(chunks);
        metas.clear();
        for (int i = 0; i < refs.length; i++) {
          metas.add(refs[i], cs.get(i).minTime(), cs.get(i).maxTime());
          numSamples += cs.get(i).chunk().numSamples();
        }
        Labels labels = s.labels();
        indexw.addSeries(labels, metas);
        numChunks += refs.length;
        numSeries++;
      }
    }
    return new BlockMeta.Stats(numSamples, 0, 0, numSeries, numChunks, 0);
  }

  /** Go's {@code writeMetaFile}: {@code meta.json.tmp}, fsync, rename. */
  static void writeMeta(Path blockDir, BlockMeta meta) throws IOException {
    Path file = blockDir.resolve(BlockMeta.FILE_NAME);
    Path tmp = blockDir.resolve(BlockMeta.FILE_NAME + ".tmp");
    try {
      BlockFiles.writeSynced(tmp, meta.toJson());
      BlockFiles.replace(tmp, file);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
