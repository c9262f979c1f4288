package io.promtsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.Labels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One million series written and read in a JVM capped at 256 MiB of heap (its own surefire
 * execution, see the module's pom): the writer streams, the reader maps.
 */
class LargeIndexTest {
  private static final long MiB = 1 << 20;

  @Test
  void writesAndReadsOneMillionSeriesInA256MiBHeap(@TempDir Path dir) throws Exception {
    assertThat(Runtime.getRuntime().maxMemory())
        .as("run by the large-index surefire execution with -Xmx256m")
        .isLessThanOrEqualTo(260 * MiB);
    SyntheticSeries set = SyntheticSeries.oneMillion();
    Path file = dir.resolve("index");
    long chunks;
    long t0 = System.nanoTime();
    try (IndexWriter w = IndexWriter.create(file)) {
      chunks = set.write(w);
    }
    long t1 = System.nanoTime();
    long size = Files.size(file);
    // Prometheus 2.42's index.Writer wrote the same series to the same bytes (the Go side of
    // the index benchmarks, TestWrite1M; see benchmarks/README.md).
    assertThat(size).isEqualTo(67_060_784L);
    assertThat(sha256(file))
        .isEqualTo("17cf4a7518404751ca38d2411cfb8d684bb1cde68e82bd8cece41cf726674d65");
    try (var files = Files.list(dir)) {
      assertThat(files.count()).as("temporary files removed").isEqualTo(1);
    }

    try (IndexReader r = IndexReader.open(file)) {
      assertThat(Postings.count(r.allPostings())).isEqualTo(1_000_000);
      assertThat(r.labelValues("pod")).hasSize(10_000);
      assertThat(r.labelValues("__name__")).hasSize(100);
      // {__name__="metric_042", job="job-3", zone=~"zone-1|zone-2"}
      Postings p =
          Postings.intersect(
              r.postings("__name__", "metric_042"),
              r.postings("job", "job-3"),
              r.postings("zone", "zone-1", "zone-2"));
      long n = 0;
      for (long ref = p.next(); ref != Postings.END; ref = p.next()) {
        Labels l = r.labels(ref);
        assertThat(l.get("__name__")).isEqualTo("metric_042");
        assertThat(l.get("job")).isEqualTo("job-3");
        assertThat(l.get("zone")).isIn("zone-1", "zone-2");
        n++;
      }
      assertThat(n).isEqualTo(10 * 66); // hosts with h % 10 == 3, pods with k % 3 in {1, 2}
      // Series by position: the i-th reference of all postings is the i-th series.
      long[] all = Postings.expand(r.allPostings());
      Random rnd = new Random(1);
      ChunkMetaList actual = new ChunkMetaList();
      for (int probe = 0; probe < 2000; probe++) {
        int i = rnd.nextInt(set.size());
        assertThat(r.series(all[i], actual)).isEqualTo(set.labels(i));
        assertThat(actual.size()).isEqualTo(SyntheticSeries.chunkCount(i, set.pods));
        assertThat(actual.minTime(0)).isZero();
      }
      long t2 = System.nanoTime();
      IntegrityReport report = r.checkIntegrity();
      System.out.printf("LargeIndexTest: write %d ms, integrity pass %d ms%n",
          (t1 - t0) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
      assertThat(report.series()).isEqualTo(1_000_000);
      assertThat(report.chunks()).isEqualTo(chunks);
      assertThat(report.bytes()).isEqualTo(size);
    }
    printSummary(chunks, size);
  }

  private static String sha256(Path file) throws Exception {
    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
    byte[] buf = new byte[1 << 20];
    try (var in = Files.newInputStream(file)) {
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        md.update(buf, 0, n);
      }
    }
    return java.util.HexFormat.of().formatHex(md.digest());
  }

  private static void printSummary(long chunks, long size) {
    System.out.printf(
        "LargeIndexTest: 1M series, %d chunk metas, index %.1f MiB, heap max %d MiB, committed %d MiB%n",
        chunks, size / (double) MiB, Runtime.getRuntime().maxMemory() / MiB,
        Runtime.getRuntime().totalMemory() / MiB);
  }
}
