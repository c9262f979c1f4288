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

    Path fromHead;
    Path fromBlocks;
    try (Server h = Server.start(prom, promHead, tmp); Server v = Server.start(prom, promBlocks, tmp)) {
      fromHead = h.awaitBlock(Set.of());
      fromBlocks = v.awaitBlock(Set.of(a.getFileName().toString(), b.getFileName().toString()));
    }
    assertSameBlock(headDir.resolve(ourHeadBlock.ulid().toString()), fromHead);
    assertSameBlock(tmp.resolve("ours").resolve(merged.ulid().toString()), fromBlocks);
  }

  private static void assertSameBlock(Path ours, Path theirs) throws Exception {
    for (String f : List.of("index", "chunks/000001", "tombstones")) {
      assertThat(Files.readAllBytes(ours.resolve(f))).as(ours + " " + f).isEqualTo(Files.readAllBytes(theirs.resolve(f)));
    }
    assertThat(Files.exists(theirs.resolve("chunks/000002"))).isFalse();
    String ourId = ours.getFileName().toString();
    String theirId = theirs.getFileName().toString();
    assertThat(Files.readString(ours.resolve("meta.json"), StandardCharsets.UTF_8).replace(ourId, "ULID"))
        .isEqualTo(Files.readString(theirs.resolve("meta.json"), StandardCharsets.UTF_8).replace(theirId, "ULID"));
  }

  /** A Prometheus 3.5.3 server on a data dir, stopped on close. */
  private record Server(Process process, Path data, Path log) implements AutoCloseable {
    static Server start(Path prom, Path data, Path tmp) throws Exception {
      Files.createDirectories(data);
      Path config = tmp.resolve("prometheus.yml");
      Files.writeString(config, "global:\n  scrape_interval: 1h\n");
      int port = EngineWrittenDirTest.freePort();
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

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  private static List<Path> blockDirs(Path dir) throws Exception {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path q : s.toList()) {
        if (q.getFileName().toString().length() == 26 && Files.exists(q.resolve("meta.json"))) {
          out.add(q);
        }
      }
    }
    return out;
  }
}
