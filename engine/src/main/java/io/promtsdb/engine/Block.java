package io.promtsdb.engine;

import io.promtsdb.chunks.ChunkSegmentReader;
import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.index.IndexReader;
import io.promtsdb.index.Postings;
import io.promtsdb.tombstones.Intervals;
import io.promtsdb.tombstones.Tombstones;
import io.promtsdb.tombstones.TombstonesFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A persisted block, opened read-only: {@code meta.json}, the memory-mapped {@code index} and
 * {@code chunks/} segment files, and the {@code tombstones} (Go's {@code tsdb.Block}).
 *
 * <p>Opening reads meta.json and the tombstones and checks the index's TOC, symbol table and
 * postings offset table and every chunk segment header; chunks and series are checked when
 * they are read (and all at once by {@link io.promtsdb.engine.ReadOnlyDb#verify}). Thread-safe
 * for reading.
 */
public final class Block implements Closeable {
  private final Path dir;
  private final BlockMeta meta;
  private final IndexReader index;
  private final ChunkSegmentReader chunks;
  private final Tombstones tombstones;
  private final long size;
  private final List<ByteSource> files;

  private Block(
      Path dir,
      BlockMeta meta,
      IndexReader index,
      ChunkSegmentReader chunks,
      Tombstones tombstones,
      long size,
      List<ByteSource> files) {
    this.dir = dir;
    this.meta = meta;
    this.index = index;
    this.chunks = chunks;
    this.tombstones = tombstones;
    this.size = size;
    this.files = List.copyOf(files);
  }

  /**
   * Opens the block in {@code dir}.
   *
   * @throws CorruptFormatException naming the file (and offset) that is missing or corrupt
   */
  public static Block open(Path dir) throws IOException {
    return open(dir, FileAccess.DEFAULT);
  }

  /** Opens the block in {@code dir}, reading through {@code files}. */
  public static Block open(Path dir, FileAccess files) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Path metaFile = dir.resolve(BlockMeta.FILE_NAME);
    if (!files.exists(metaFile)) {
      throw new CorruptFormatException(metaFile.toString(), CorruptFormatException.NO_OFFSET, "missing");
    }
    byte[] metaBytes = files.readAll(metaFile);
    BlockMeta meta = BlockMeta.parse(metaBytes, metaFile.toString());
    long size = metaBytes.length;
    Path chunkDir = dir.resolve("chunks");
    List<ByteSource> opened = new ArrayList<>();
    try {
      if (!files.isDirectory(chunkDir)) {
        throw new CorruptFormatException(chunkDir.toString(), CorruptFormatException.NO_OFFSET, "missing chunks directory");
      }
      List<ByteSource> segments = new ArrayList<>();
      for (Path p : files.list(chunkDir)) {
        if (isSequenceNumber(p.getFileName().toString())) {
          ByteSource s = files.open(p);
          opened.add(s);
          segments.add(s);
          size += s.length();
        }
      }
      ChunkSegmentReader chunks = ChunkSegmentReader.of(segments);
      Path indexFile = dir.resolve("index");
      if (!files.exists(indexFile)) {
        throw new CorruptFormatException(indexFile.toString(), CorruptFormatException.NO_OFFSET, "missing");
      }
      ByteSource indexSource = files.open(indexFile);
      opened.add(indexSource);
      IndexReader index = IndexReader.open(indexSource);
      size += indexSource.length();
      Path tombFile = dir.resolve(TombstonesFile.FILE_NAME);
      Tombstones tombstones;
      if (files.exists(tombFile)) {
        ByteSource ts = files.open(tombFile);
        try {
          size += ts.length();
          // Each entry takes at least 3 bytes: a bound that keeps memory proportional to the file.
          tombstones = TombstonesFile.open(ts).toTombstones(ts.length() / 3 + 1);
        } finally {
          FileAccess.close(ts);
        }
      } else {
        tombstones = new Tombstones(); // Go: a missing tombstones file is an empty one
      }
      return new Block(dir, meta, index, chunks, tombstones, size, opened);
    } catch (IOException | RuntimeException e) {
      for (ByteSource s : opened) {
        try {
          FileAccess.close(s);
        } catch (IOException c) {
          e.addSuppressed(c);
        }
      }
      throw e;
    }
  }

  // Go's chunks.sequenceFiles: names strconv.ParseUint accepts.
  private static boolean isSequenceNumber(String name) {
    if (name.isEmpty() || name.length() > 20) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return false;
      }
    }
    return name.length() < 20 || name.compareTo("18446744073709551615") <= 0;
  }

  public Path dir() {
    return dir;
  }

  public BlockMeta meta() {
    return meta;
  }

  public Ulid ulid() {
    return meta.ulid();
  }

  /** The index file reader. */
  public IndexReader index() {
    return index;
  }

  /** The chunk segment files. */
  public ChunkSegmentReader chunks() {
    return chunks;
  }

  /** Deleted intervals by series reference. */
  public Tombstones tombstones() {
    return tombstones;
  }

  /** Bytes on disk: meta.json, index, chunk segments and tombstones (Go's {@code Block.Size}). */
  public long size() {
    return size;
  }

  /** Whether the block holds data in {@code [mint, maxt]} (its own maxTime is exclusive). */
  public boolean overlapsClosedInterval(long mint, long maxt) {
    return meta.overlapsClosedInterval(mint, maxt);
  }

  /**
   * The references of the series {@code matchers} select, in label order (Prometheus' {@code
   * PostingsForMatchers} on this block's index).
   */
  public Postings postings(List<Matcher> matchers) throws IOException {
    return PostingsForMatchers.select(new BlockIndexView(index, meta.minTime(), meta.maxTime()), matchers);
  }

  /** A querier over {@code [mint, maxt]} of this block alone. */
  public Querier querier(long mint, long maxt) {
    ChunkView cv = (ref, min, max, att, reuse) -> ChunkSampleIterator.of(chunks.chunk(ref), reuse);
    return new BlockQuerier(new BlockIndexView(index, meta.minTime(), meta.maxTime()), cv, this::intervals, mint, maxt, null);
  }

  private Intervals intervals(long ref) {
    return tombstones.isEmpty() ? Intervals.EMPTY : tombstones.get(ref);
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (ByteSource s : files) {
      try {
        FileAccess.close(s);
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

  @Override
  public String toString() {
    return "block " + meta.ulid() + " [" + meta.minTime() + ", " + meta.maxTime() + ")";
  }
}
