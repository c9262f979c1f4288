package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.promtsdb.chunks.WriterFlavor;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Span;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vertical compaction of native histograms, compared with the real Prometheus 3.5.3: two
 * overlapping blocks of integer histograms (one series with a counter reset in one block only,
 * one whose bucket layout differs between the blocks), float histograms and floats, whose
 * samples interleave. Merged, the histogram series cut a chunk at every counter reset and
 * recode on layout changes. A Prometheus server started on the two blocks compacts them on its
 * first compaction cycle (about a minute after start); our {@link Compactor} must write the
 * same index and chunk bytes, and the same meta.json but for the new block's ULID.
 */
class PrometheusVerticalCompactionTest {
  @TempDir Path tmp;

  static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % 7_200_000L;

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

  /**
   * A data dir with one 2 h block cut from the head: 4 h of samples every 15 s from {@code
   * T0 + offset}, series {@code h}, {@code fh}, {@code f} for s = 0..3; with {@code reset > 0}
   * series s=1 restarts its counts at step {@code reset}; s=2's second span moves by {@code shift}.
   */
  static Path write(Path dir, long offset, int shift, int reset) throws Exception {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults().withNativeHistograms(true).withCompaction(false))) {
      for (int i = 0; i < 4 * 240; i++) {
        long t = T0 + offset + i * 15_000L;
        try (Appender app = db.appender()) {
          for (int s = 0; s < 4; s++) {
            long k = reset > 0 && i >= reset && s == 1 ? i - reset : i;
            app.appendHistogram(Labels.of("__name__", "h", "s", "" + s), t, histogram(k, s == 2 ? shift : 0));
            app.appendFloatHistogram(Labels.of("__name__", "fh", "s", "" + s), t, floatHistogram(k));
            app.append(Labels.of("__name__", "f", "s", "" + s), t, k * 1.5);
          }
          app.commit();
        }
      }
      List<BlockMeta> blocks = db.compact();
      assertThat(blocks).hasSize(1);
      return dir.resolve(blocks.get(0).ulid().toString());
    }
  }

  @Test
  void sameBlockAsPrometheus() throws Exception {
    Path prom = EngineWrittenDirTest.binary("3.5.3", "prometheus");
    assumeTrue(Files.isExecutable(prom), "skipped: no prometheus 3.5.3 at " + prom
        + " (run scripts/install-prometheus.sh, or set PROMTSDB_PROMETHEUS_HOME)");
    Path a = write(tmp.resolve("a"), 0, 0, 0);
    Path b = write(tmp.resolve("b"), 7_000, 1, 300);

    Compactor c = new Compactor(new Compactor.Options(
        Compactor.blockRanges(Compactor.DEFAULT_BLOCK_DURATION, Long.MAX_VALUE), true, BlockWriter.Options.DEFAULT,
        WriterFlavor.PROMETHEUS_3));
    BlockMeta ours = c.compact(tmp.resolve("ours"), List.of(a, b)).orElseThrow();
    Path ourDir = tmp.resolve("ours").resolve(ours.ulid().toString());
    // The interleaved counter resets make many chunks: the case this test is about.
    assertThat(ours.stats().numChunks()).isGreaterThan(1000);

    Path data = tmp.resolve("prometheus");
    Files.createDirectories(data);
    EngineWrittenDirTest.copyTree(a, data.resolve(a.getFileName().toString()));
    EngineWrittenDirTest.copyTree(b, data.resolve(b.getFileName().toString()));
    Path config = tmp.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1h\n");
    int port = EngineWrittenDirTest.freePort();
    Path log = tmp.resolve("prometheus.log");
    Process p = new ProcessBuilder(prom.toString(), "--config.file=" + config, "--storage.tsdb.path=" + data,
        "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.retention.time=100y")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Path theirs = null;
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
      while (theirs == null && System.nanoTime() < deadline && p.isAlive()) {
        Thread.sleep(1000);
        List<Path> blocks = blockDirs(data);
        if (blocks.size() == 1 && !blocks.get(0).equals(data.resolve(a.getFileName().toString()))) {
          theirs = blocks.get(0);
        }
      }
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
    assertThat(theirs).as("Prometheus compacted the two blocks into one; log:\n%s", Files.readString(log)).isNotNull();

    for (String f : List.of("index", "chunks/000001", "tombstones")) {
      assertThat(Files.readAllBytes(ourDir.resolve(f))).as(f).isEqualTo(Files.readAllBytes(theirs.resolve(f)));
    }
    assertThat(Files.exists(theirs.resolve("chunks/000002"))).isFalse();
    String theirId = theirs.getFileName().toString();
    assertThat(Files.readString(ourDir.resolve("meta.json"), StandardCharsets.UTF_8).replace(ours.ulid().toString(), "ULID"))
        .isEqualTo(Files.readString(theirs.resolve("meta.json"), StandardCharsets.UTF_8).replace(theirId, "ULID"));
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
