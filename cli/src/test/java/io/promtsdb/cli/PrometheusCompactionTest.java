package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.promtsdb.chunks.WriterFlavor;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Span;
import io.promtsdb.core.Values;
import io.promtsdb.engine.Appender;
import io.promtsdb.engine.BlockMeta;
import io.promtsdb.engine.BlockWriter;
import io.promtsdb.engine.Compactor;
import io.promtsdb.engine.Tsdb;
import io.promtsdb.engine.TsdbOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction compared with a real Prometheus 3.5.3 server, which compacts on its first
 * compaction cycle (about a minute after start); both servers run at once.
 *
 * <ul>
 *   <li>Head compaction: a head of 4 h of integer histograms (counter resets, a bucket layout
 *       that changes and changes back, a stale marker), float histograms and floats (a stale
 *       marker), and a series that starts after the first block range. Prometheus gets the
 *       WAL only (no head chunk files), so it cuts every chunk itself while replaying; we
 *       compact our head. The block of the first 2 h must be the same: chunk cutting (120
 *       samples, counter-reset cuts, recoding), chunk bytes, and the symbol table of a head
 *       block (every series in the head, and the empty string).
 *   <li>Vertical compaction: two overlapping blocks of the same series whose samples
 *       interleave, one with a counter reset and another bucket layout, so that the merged
 *       histogram series cut a chunk at every counter reset and recode on layout changes.
 *   <li>Out-of-order compaction: a head with out-of-order floats (in time order, so their
 *       chunks do not overlap; and in seeded random order, so they do, with duplicate
 *       timestamps) and histograms, in two block ranges. Prometheus replays the WAL and WBL; we
 *       reopen ours. Both write the head block, one out-of-order block per range and a
 *       vertical compaction of the first range's two: every block must be the same.
 * </ul>
 *
 * Our block must have the same index, chunk and tombstones bytes, and the same meta.json but for
 * the new block's ULID.
 */
class PrometheusCompactionTest {
  @TempDir Path tmp;

  static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % 7_200_000L;
  static final int STEPS = 4 * 240;

  static Histogram histogram(long i, int shift) {
    return Histogram.builder().schema(1).count(13 + 6 * i).sum(2.5 * i).zeroThreshold(1e-128).zeroCount(i)
        .positiveSpans(new Span(0, 2), new Span(1 + shift, 2)).positiveBuckets(1 + i, 0, 1, 2)
        .negativeSpans(new Span(-1, 1)).negativeBuckets(5 + i)
        .build();
  }

  static FloatHistogram floatHistogram(long i) {
    return FloatHistogram.builder().schema(0).count(3 + 2 * i).sum(0.5 * i).zeroThreshold(1e-128).zeroCount(0.5)
        .positiveSpans(new Span(0, 2)).positiveBuckets(1 + i, 1.5 + i).build();
  }

  /** Which counter and which layout series {@code s} has at step {@code i}. */
  interface Shape {
    long count(int s, int i);

    int shift(int s, int i);
  }

  /**
   * Appends 4 h of samples every 15 s from {@code T0 + offset}: series {@code h}, {@code fh},
   * {@code f} for s = 0..3, shaped by {@code shape}; with {@code extras}, stale markers for
   * {@code f{s="3"}} and {@code h{s="3"}} and a series {@code late} after the first 2 h.
   */
  static void append(Tsdb db, long offset, Shape shape, boolean extras) throws Exception {
    for (int i = 0; i < STEPS; i++) {
      long t = T0 + offset + i * 15_000L;
      try (Appender app = db.appender()) {
        for (int s = 0; s < 4; s++) {
          long k = shape.count(s, i);
          boolean stale = extras && s == 3 && (i == 100 || i == 150);
          app.appendHistogram(Labels.of("__name__", "h", "s", "" + s), t, histogram(k, shape.shift(s, i)));
          app.appendFloatHistogram(Labels.of("__name__", "fh", "s", "" + s), t, floatHistogram(k));
          app.append(Labels.of("__name__", "f", "s", "" + s), t, stale && i == 100 ? Values.STALE_NAN : k * 1.5);
          if (stale && i == 150) {
            app.append(Labels.of("__name__", "h", "s", "" + s), t + 1, Values.STALE_NAN);
          }
        }
        if (extras && i >= 480) {
          app.append(Labels.of("__name__", "late", "zone", "z" + i % 3), t, i);
        }
        app.commit();
      }
    }
  }

  static TsdbOptions options() {
    return TsdbOptions.defaults().withNativeHistograms(true).withCompaction(false);
  }

  /** A data dir with one 2 h block cut from a head like {@link #append}'s. */
  static Path block(Path dir, long offset, Shape shape) throws Exception {
    try (Tsdb db = Tsdb.open(dir, options())) {
      append(db, offset, shape, false);
      List<BlockMeta> blocks = db.compact();
      assertThat(blocks).hasSize(1);
      return dir.resolve(blocks.get(0).ulid().toString());
    }
  }

  @Test
  void sameBlocksAsPrometheus() throws Exception {
    Path prom = EngineWrittenDirTest.binary("3.5.3", "prometheus");
    assumeTrue(Files.isExecutable(prom), "skipped: no prometheus 3.5.3 at " + prom
        + " (run scripts/install-prometheus.sh, or set PROMTSDB_PROMETHEUS_HOME)");

    // Head compaction: the WAL for Prometheus, our own head for us.
    Path headDir = tmp.resolve("head");
    Shape resets = new Shape() {
      public long count(int s, int i) {
        return s == 1 ? i % 300 : i;
      }

      public int shift(int s, int i) {
        return s == 2 ? (i / 200) % 2 : 0;
      }
    };
    try (Tsdb db = Tsdb.open(headDir, options())) {
      append(db, 0, resets, true);
    }
    Path promHead = tmp.resolve("prometheus-head");
    EngineWrittenDirTest.copyTree(headDir.resolve("wal"), promHead.resolve("wal"));
    BlockMeta ourHeadBlock;
    try (Tsdb db = Tsdb.open(headDir, options())) {
      List<BlockMeta> blocks = db.compact();
      assertThat(blocks).hasSize(1);
      ourHeadBlock = blocks.get(0);
    }

    // Vertical compaction: two overlapping blocks, compacted by our Compactor.
    Path a = block(tmp.resolve("a"), 0, new Shape() {
      public long count(int s, int i) {
        return i;
      }

      public int shift(int s, int i) {
        return 0;
      }
    });
    Path b = block(tmp.resolve("b"), 7_000, new Shape() {
      public long count(int s, int i) {
        return s == 1 && i >= 300 ? i - 300 : i;
      }

      public int shift(int s, int i) {
        return s == 2 ? 1 : 0;
      }
    });
    Compactor c = new Compactor(new Compactor.Options(
        Compactor.blockRanges(Compactor.DEFAULT_BLOCK_DURATION, Long.MAX_VALUE), true, BlockWriter.Options.DEFAULT,
        WriterFlavor.PROMETHEUS_3));
    BlockMeta merged = c.compact(tmp.resolve("ours"), List.of(a, b)).orElseThrow();
    // The interleaved counter resets make many chunks: the case this comparison is about.
    assertThat(merged.stats().numChunks()).isGreaterThan(1000);
    Path promBlocks = tmp.resolve("prometheus-blocks");
    EngineWrittenDirTest.copyTree(a, promBlocks.resolve(a.getFileName().toString()));
    EngineWrittenDirTest.copyTree(b, promBlocks.resolve(b.getFileName().toString()));

    // Out-of-order compaction: our WAL, WBL and head chunk files for Prometheus, our reopened
    // head for us. Full out-of-order head chunks are m-mapped into the head chunk files and
    // named by markers in the WBL: Prometheus takes those chunks as they are and replays only
    // the WBL samples after each series' last marker, so a missing, misplaced or wrong marker
    // (or chunk) would change its blocks.
    Path oooDir = tmp.resolve("ooo");
    try (Tsdb db = Tsdb.open(oooDir, oooOptions())) {
      appendOutOfOrder(db);
    }
    Path promOoo = tmp.resolve("prometheus-ooo");
    EngineWrittenDirTest.copyTree(oooDir.resolve("wal"), promOoo.resolve("wal"));
    EngineWrittenDirTest.copyTree(oooDir.resolve("wbl"), promOoo.resolve("wbl"));
    EngineWrittenDirTest.copyTree(oooDir.resolve("chunks_head"), promOoo.resolve("chunks_head"));
    assertThat(oooHeadChunks(oooDir)).isGreaterThan(10);
    try (Tsdb db = Tsdb.open(oooDir, oooOptions())) {
      assertThat(db.compact()).hasSizeGreaterThanOrEqualTo(3);
    }
    List<Path> ourOoo = blockDirs(oooDir);

    Path fromHead;
    Path fromBlocks;
    List<Path> fromOoo;
    try (Server h = Server.start(prom, promHead, tmp, "");
        Server v = Server.start(prom, promBlocks, tmp, "");
        Server o = Server.start(prom, promOoo, tmp, "storage:\n  tsdb:\n    out_of_order_time_window: 3h\n")) {
      fromHead = h.awaitBlock(Set.of());
      fromBlocks = v.awaitBlock(Set.of(a.getFileName().toString(), b.getFileName().toString()));
      fromOoo = o.awaitBlocks(ourOoo.size(), oooDir);
    }
    assertSameBlock(headDir.resolve(ourHeadBlock.ulid().toString()), fromHead);
    assertSameBlock(tmp.resolve("ours").resolve(merged.ulid().toString()), fromBlocks);
    for (int i = 0; i < ourOoo.size(); i++) {
      assertSameBlock(ourOoo.get(i), fromOoo.get(i));
    }
  }

  static TsdbOptions oooOptions() {
    return options().withOutOfOrderTimeWindow(java.time.Duration.ofHours(3));
  }

  /**
   * 4 h of in-order floats {@code f{s="0".."3"}} and histograms {@code h{s="0"}}; from the 300th
   * step on, out-of-order samples: {@code f{s="0"}} and {@code f{s="1"}} 75 min back in time
   * order, {@code f{s="2"}} at seeded random times within the window (overlapping chunks,
   * duplicate timestamps), {@code h{s="0"}} 50 min back.
   */
  static void appendOutOfOrder(Tsdb db) throws Exception {
    java.util.SplittableRandom r = new java.util.SplittableRandom(20261122L);
    for (int i = 0; i < STEPS; i++) {
      long t = T0 + i * 15_000L;
      try (Appender app = db.appender()) {
        for (int s = 0; s < 4; s++) {
          app.append(Labels.of("__name__", "f", "s", "" + s), t, i * 1.5 + s);
        }
        app.appendHistogram(Labels.of("__name__", "h", "s", "0"), t, histogram(i, 0));
        app.commit();
      }
      if (i > 300 && i % 3 == 0) {
        try (Appender app = db.appender()) {
          for (int s = 0; s < 2; s++) {
            app.append(Labels.of("__name__", "f", "s", "" + s), t - 300 * 15_000L + 7_000, -i);
          }
          long back = 1 + r.nextInt(Math.min(i, 700));
          app.append(Labels.of("__name__", "f", "s", "2"), t - back * 15_000L + 1_000 * r.nextInt(3), -2 * i);
          if (i % 5 == 0) {
            app.appendHistogram(Labels.of("__name__", "h", "s", "0"), t - 200 * 15_000L + 3_000, histogram(i / 2, 0));
          }
          app.commit();
        }
      }
    }
  }

  /** The out-of-order chunks in a data dir's head chunk files. */
  private static long oooHeadChunks(Path dir) throws Exception {
    try (io.promtsdb.chunks.HeadChunkReader r = io.promtsdb.chunks.HeadChunkReader.open(dir.resolve("chunks_head"))) {
      return r.records().stream().filter(io.promtsdb.chunks.HeadChunkReader.HeadChunkMeta::outOfOrder).count();
    }
  }

  private static void assertSameBlock(Path ours, Path theirs) throws Exception {
    for (String f : List.of("index", "chunks/000001", "tombstones")) {
      byte[] o = Files.readAllBytes(ours.resolve(f));
      byte[] t = Files.readAllBytes(theirs.resolve(f));
      int at = java.util.Arrays.mismatch(o, t);
      assertThat(at).as("%s %s: %d bytes, Prometheus' %d bytes, first difference at offset %d", ours, f, o.length,
          t.length, at).isEqualTo(-1);
    }
    assertThat(Files.exists(theirs.resolve("chunks/000002"))).isFalse();
    assertThat(ulidsNumbered(Files.readString(ours.resolve("meta.json"), StandardCharsets.UTF_8)))
        .isEqualTo(ulidsNumbered(Files.readString(theirs.resolve("meta.json"), StandardCharsets.UTF_8)));
  }

  /**
   * meta.json with every ULID replaced by its rank of first appearance: the new block's and
   * those of intermediate blocks (out-of-order blocks compacted further) differ between runs.
   */
  private static String ulidsNumbered(String json) {
    java.util.Map<String, String> names = new java.util.HashMap<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([0-9A-HJKMNP-TV-Z]{26})\"").matcher(json);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, "\"ULID" + names.computeIfAbsent(m.group(1), k -> Integer.toString(names.size())) + "\"");
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A Prometheus 3.5.3 server on a data dir, stopped on close. */
  private record Server(Process process, Path data, Path log) implements AutoCloseable {
    static Server start(Path prom, Path data, Path tmp, String storageConfig) throws Exception {
      Files.createDirectories(data);
      int port = EngineWrittenDirTest.freePort();
      Path config = tmp.resolve("prometheus-" + port + ".yml");
      Files.writeString(config, "global:\n  scrape_interval: 1h\n" + storageConfig);
      Path log = tmp.resolve("prometheus-" + port + ".log");
      Process p = new ProcessBuilder(prom.toString(), "--config.file=" + config, "--storage.tsdb.path=" + data,
          "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.retention.time=100y")
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new Server(p, data, log);
    }

    /** Waits for the one block directory that is not among {@code inputs} once none of those is left. */
    Path awaitBlock(Set<String> inputs) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
      while (System.nanoTime() < deadline && process.isAlive()) {
        List<Path> blocks = blockDirs(data);
        if (blocks.size() == 1 && !inputs.contains(blocks.get(0).getFileName().toString())) {
          return blocks.get(0);
        }
        Thread.sleep(1000);
      }
      throw new AssertionError("Prometheus did not compact " + data + "; log:\n" + Files.readString(log));
    }

    /**
     * Waits until Prometheus has as many blocks as {@code ours} has and logged that it compacted
     * them; returns them sorted as {@link #blockDirs} sorts.
     */
    List<Path> awaitBlocks(int n, Path ours) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
      while (System.nanoTime() < deadline && process.isAlive()) {
        if (Files.readString(log).contains("msg=\"compact blocks\"") && blockDirs(data).size() == n) {
          Thread.sleep(2000); // let a planned follow-up compaction show up, if any
          List<Path> blocks = blockDirs(data);
          if (blocks.size() == n) {
            return blocks;
          }
        }
        Thread.sleep(1000);
      }
      throw new AssertionError("Prometheus did not compact " + data + " into " + n + " blocks like " + ours
          + "; log:\n" + Files.readString(log));
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  /** The block directories of {@code dir}, by min time, then max time. */
  private static List<Path> blockDirs(Path dir) throws Exception {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path q : s.toList()) {
        if (q.getFileName().toString().length() == 26 && Files.exists(q.resolve("meta.json"))) {
          out.add(q);
        }
      }
    }
    List<BlockMeta> metas = new ArrayList<>();
    for (Path q : out) {
      metas.add(BlockMeta.read(q));
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      order.add(i);
    }
    order.sort(java.util.Comparator.<Integer>comparingLong(i -> metas.get(i).minTime())
        .thenComparingLong(i -> metas.get(i).maxTime()));
    List<Path> sorted = new ArrayList<>();
    for (int i : order) {
      sorted.add(out.get(i));
    }
    return sorted;
  }
}
