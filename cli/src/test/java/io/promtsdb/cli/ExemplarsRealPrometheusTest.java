package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promtsdb.core.Labels;
import io.promtsdb.core.testing.TestData;
import io.promtsdb.engine.Exemplar;
import io.promtsdb.engine.Matcher;
import io.promtsdb.engine.Tsdb;
import io.promtsdb.engine.TsdbOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Exemplars survive a restart as in Prometheus: the real Prometheus 3.5.3 and our engine open
 * copies of the same fixture data dir (written by Prometheus, with exemplars from an
 * OpenMetrics scrape) and return the same exemplars: from the WAL's exemplar records (the
 * crash copy) and from the memory snapshot taken at shutdown (the clean copy, with Prometheus'
 * {@code memory-snapshot-on-shutdown}).
 */
class ExemplarsRealPrometheusTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "{0}/{1} snapshot={2}")
  @CsvSource({"p3-snappy, crash, false", "p3-snappy, data, true", "p3-zstd, data, false"})
  void theSameExemplarsAsPrometheusAfterARestart(String fixture, String sub, boolean snapshot) throws Exception {
    Path prom = EngineWrittenDirTest.binary("3.5.3", "prometheus");
    assumeTrue(Files.isExecutable(prom), "skipped: no prometheus 3.5.3 at " + prom
        + " (run scripts/install-prometheus.sh, or set PROMTSDB_PROMETHEUS_HOME)");
    Path src = TestData.path("fixtures/" + fixture).resolve(sub);
    TreeSet<String> ours = new TreeSet<>();
    Path mine = FixtureContinueTest.copy(src, tmp.resolve("ours"));
    TsdbOptions o = TsdbOptions.defaults().withMaxExemplars(100_000).withOutOfOrderTimeWindow(Duration.ofMinutes(30))
        .withNativeHistograms(true).withMemorySnapshotOnShutdown(snapshot).withCompaction(false)
        .withRetention(Duration.ZERO, 0);
    try (Tsdb db = Tsdb.open(mine, o)) {
      assertThat(db.replayReport().exemplars()).isPositive();
      for (Map.Entry<Labels, List<Exemplar>> e
          : db.exemplars(Long.MIN_VALUE, Long.MAX_VALUE, List.of(Matcher.regex("__name__", ".+"))).entrySet()) {
        for (Exemplar x : e.getValue()) {
          ours.add(line(e.getKey().toString(), x.labels().toString(), x.value(), x.t()));
        }
      }
    }
    assertThat(ours).isNotEmpty();
    assertThat(theirs(prom, FixtureContinueTest.copy(src, tmp.resolve("theirs")), snapshot)).isEqualTo(ours);
  }

  private static String line(String series, String labels, double v, long t) {
    return series + " " + labels + " " + Double.doubleToRawLongBits(v) + " " + t;
  }

  /** Prometheus' {@code /api/v1/query_exemplars} for every series, as {@link #line}s. */
  private TreeSet<String> theirs(Path prom, Path dir, boolean snapshot) throws Exception {
    Path config = tmp.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1h\nstorage:\n  tsdb:\n    out_of_order_time_window: 30m\n"
        + "  exemplars:\n    max_exemplars: 100000\n");
    int port = EngineWrittenDirTest.freePort();
    Path log = tmp.resolve("prometheus.log");
    List<String> cmd = new ArrayList<>(List.of(prom.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir, "--web.listen-address=127.0.0.1:" + port,
        "--enable-feature=native-histograms,exemplar-storage" + (snapshot ? ",memory-snapshot-on-shutdown" : ""),
        "--storage.tsdb.retention.time=100y"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      boolean ready = false;
      while (!ready && System.nanoTime() < deadline && p.isAlive()) {
        try {
          EngineWrittenDirTest.get(null, port, "/-/ready");
          ready = true;
        } catch (Exception | AssertionError e) {
          Thread.sleep(200);
        }
      }
      assertThat(ready).as("prometheus ready; log:\n%s", Files.readString(log)).isTrue();
      if (snapshot) {
        assertThat(Files.readString(log)).contains("chunk snapshot loaded");
      }
      String q = URLEncoder.encode("{__name__=~\".+\"}", StandardCharsets.UTF_8);
      String body = EngineWrittenDirTest.get(null, port, "/api/v1/query_exemplars?query=" + q
          + "&start=0&end=4000000000");
      TreeSet<String> out = new TreeSet<>();
      for (JsonNode s : new ObjectMapper().readTree(body).get("data")) {
        String series = labels(s.get("seriesLabels")).toString();
        for (JsonNode x : s.get("exemplars")) {
          // Go's JSON: the value as a string, the time as seconds with millisecond decimals.
          long t = Math.round(x.get("timestamp").asDouble() * 1000);
          out.add(line(series, labels(x.get("labels")).toString(), Double.parseDouble(x.get("value").asText()), t));
        }
      }
      return out;
    } finally {
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static Labels labels(JsonNode o) {
    List<String> kv = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      kv.add(e.getKey());
      kv.add(e.getValue().asText());
    }
    return Labels.of(kv.toArray(new String[0]));
  }
}
