package io.promtsdb.benchmarks.engine;

import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.ChunkSegmentWriter;
import io.promtsdb.chunks.XorAppender;
import io.promtsdb.core.Labels;
import io.promtsdb.engine.BlockMeta;
import io.promtsdb.engine.Ulid;
import io.promtsdb.index.ChunkMeta;
import io.promtsdb.index.IndexWriter;
import io.promtsdb.tombstones.TombstonesFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Blocks for the engine benchmarks, built with the format modules' writers, shaped like the
 * Go benchmarks' data. Built once per machine into {@code java.io.tmpdir/promtsdb-bench/} and
 * reused.
 */
final class BenchBlocks {
  private BenchBlocks() {}

  /** Prometheus' {@code postingsBenchSuffix}. */
  static final String SUFFIX = "aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd";

  /**
   * BenchmarkQuerierSelect's data as a block: {@code numSeries} series {@code {foo="bar",
   * i="<n>" + SUFFIX}}, one XOR sample (t = n, v = 0) each.
   */
  static synchronized Path querierSelectBlock(int numSeries) throws IOException {
    Path root = Path.of(System.getProperty("java.io.tmpdir"), "promtsdb-bench", "querier-select-" + numSeries);
    Path done = root.resolve("done");
    if (Files.exists(done)) {
      return Path.of(Files.readString(done).trim());
    }
    Files.createDirectories(root);
    Ulid ulid = Ulid.generate(System.currentTimeMillis());
    Path dir = root.resolve(ulid.toString());
    Files.createDirectories(dir);
    String[] values = new String[numSeries];
    long[] times = new long[numSeries];
    for (int i = 0; i < numSeries; i++) {
      values[i] = i + SUFFIX;
    }
    // Series in label order: by the value of i, as raw bytes (ASCII here).
    Integer[] order = new Integer[numSeries];
    for (int i = 0; i < numSeries; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> values[a].compareTo(values[b]));
    try (ChunkSegmentWriter cw = ChunkSegmentWriter.create(dir.resolve("chunks"));
        IndexWriter iw = IndexWriter.create(dir.resolve("index"))) {
      List<String> symbols = new ArrayList<>(numSeries + 3);
      symbols.add("bar");
      symbols.add("foo");
      symbols.add("i");
      for (Integer o : order) {
        symbols.add(values[o]);
      }
      symbols.sort(String::compareTo);
      iw.addSymbols(symbols);
      for (Integer o : order) {
        XorAppender a = XorAppender.create();
        a.append(o, 0.0);
        times[o] = o;
        Chunk c = a.chunk();
        long ref = cw.writeChunks(List.of(c))[0];
        iw.addSeries(Labels.of("foo", "bar", "i", values[o]), new ChunkMeta(ref, o, o));
      }
    }
    TombstonesFile.write(dir, List.of());
    BlockMeta meta =
        new BlockMeta(
            ulid,
            0,
            numSeries,
            new BlockMeta.Stats(numSeries, 0, 0, numSeries, numSeries, 0),
            new BlockMeta.Compaction(1, List.of(ulid), false, List.of(), false, List.of()),
            BlockMeta.VERSION_1);
    Files.write(dir.resolve(BlockMeta.FILE_NAME), meta.toJson());
    Files.writeString(done, dir.toString());
    return dir;
  }
}
