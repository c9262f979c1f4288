package io.promtsdb.engine;

import io.promtsdb.chunks.XorAppender;
import io.promtsdb.core.Labels;
import io.promtsdb.tombstones.TombstoneEntry;
import io.promtsdb.tombstones.TombstonesFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic input blocks for compaction tests (seeded data, fixed ULIDs): the same bytes
 * every run, so that what Prometheus' compactor made of them once can be kept as expected
 * output (testdata/compaction, see its README).
 */
final class CompactionScenarios {
  static final long H = 3600_000L;

  private CompactionScenarios() {}

  /** The scenario names, each a directory under testdata/compaction. */
  static final List<String> NAMES = List.of("leveled", "vertical", "tombstones");

  /** Writes scenario {@code name}'s input blocks into {@code dir}; returns their dirs. */
  static List<Path> write(String name, Path dir) throws IOException {
    Files.createDirectories(dir);
    return switch (name) {
      case "leveled" -> List.of(
          block(dir, 1, 0, 2 * H, 0, 20, 30_000, 1),
          block(dir, 2, 2 * H, 4 * H, 10, 30, 30_000, 2),
          block(dir, 3, 4 * H, 6 * H, 5, 15, 20_000, 3));
      case "vertical" -> List.of(
          block(dir, 4, 0, 2 * H, 0, 20, 30_000, 4),
          block(dir, 5, H, 3 * H, 10, 30, 40_000, 5),
          // Same series and times as block 4's first hour, same seed: identical chunks.
          block(dir, 6, 0, H, 0, 10, 15_000, 4));
      case "tombstones" -> {
        Path b = block(dir, 7, 0, 2 * H, 0, 15, 30_000, 7);
        // Series refs are offset/16 in the index; take them from the index itself.
        List<TombstoneEntry> stones = new ArrayList<>();
        try (Block blk = Block.open(b)) {
          long[] refs = refs(blk);
          stones.add(new TombstoneEntry(refs[3], 1_000_000, 2_000_000));
          stones.add(new TombstoneEntry(refs[3], 3_000_000, 3_100_000));
          stones.add(new TombstoneEntry(refs[5], Long.MIN_VALUE, Long.MAX_VALUE));
          stones.add(new TombstoneEntry(refs[9], 0, 30_000));
        }
        TombstonesFile.write(b, stones);
        yield List.of(b);
      }
      default -> throw new IllegalArgumentException(name);
    };
  }

  static long[] refs(Block b) throws IOException {
    io.promtsdb.index.Postings p = b.index().allPostings();
    List<Long> out = new ArrayList<>();
    for (long r = p.next(); r != io.promtsdb.index.Postings.END; r = p.next()) {
      out.add(r);
    }
    return out.stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * A level-1 block over {@code [mint, maxt)} with series {@code from..to-1} ({@code
   * m{i="..."}}), samples every {@code step} ms with jitter, 120 per chunk.
   */
  static Path block(Path dir, int id, long mint, long maxt, int from, int to, long step, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    List<ChunkSeries> series = new ArrayList<>();
    for (int i = from; i < to; i++) {
      Labels l = Labels.of("__name__", "m" + (i % 3), "i", String.format("%04d", i), "job", i % 2 == 0 ? "a" : "b");
      List<BlockChunk> chunks = new ArrayList<>();
      XorAppender a = null;
      long cmin = 0;
      long last = 0;
      double v = r.nextInt(100);
      for (long t = mint + r.nextInt(1000); t < maxt; t += step + r.nextInt(100)) {
        if (a == null || a.numSamples() == 120) {
          if (a != null) {
            chunks.add(new BlockChunk(cmin, last, a.chunk()));
          }
          a = XorAppender.create();
          cmin = t;
        }
        v += r.nextInt(20) == 0 ? r.nextDouble() : r.nextInt(5);
        a.append(t, v);
        last = t;
      }
      if (a != null && a.numSamples() > 0) {
        chunks.add(new BlockChunk(cmin, last, a.chunk()));
      }
      series.add(new ChunkSeries(l, chunks));
    }
    series.sort((x, y) -> x.labels().compareTo(y.labels()));
    Ulid ulid = new Ulid(((1_700_000_000_000L + id) << 16) | id, 0x5EED_0000_0000_0000L | id);
    BlockWriter.write(dir, BlockWriter.newMeta(ulid, mint, maxt, BlockWriter.level1(ulid)), series).orElseThrow();
    return dir.resolve(ulid.toString());
  }

  /** Writes every scenario under {@code root/<name>/in}: used once to make the expectations. */
  static void writeAll(Path root) throws IOException {
    for (String n : NAMES) {
      write(n, root.resolve(n).resolve("in"));
    }
  }
}
