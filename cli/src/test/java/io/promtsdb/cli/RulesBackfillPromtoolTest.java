package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tsdb create-blocks-from rules} against promtool 3.5.3's, both querying one real
 * Prometheus 3.5.3 server started on a copy of the {@code p3-none} fixture: the same blocks
 * (every index and chunk byte, meta.json but for ULIDs; also promtool's {@code tsdb dump} of
 * both dirs), the same exit code, and the same standard error but for the log lines' {@code
 * time=} and {@code source=} and their order (promtool visits groups in Go map order). Skipped,
 * with a message, without the binaries (PROMTSDB_PROMETHEUS_HOME).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RulesBackfillPromtoolTest {
  /** The fixture's samples lie in [01:12, 01:26] of this day. */
  private static final long FIXTURE_START = 1_795_309_920L;
  private static final long FIXTURE_END = 1_795_310_760L;

  @TempDir static Path tmp;

  private Process server;
  private String url;
  private Path promtool;

  @BeforeAll
  void startPrometheus() throws Exception {
    Path prom = EngineWrittenDirTest.binary("3.5.3", "prometheus");
    promtool = RealPromtoolTest.promtool("3.5.3");
    if (!Files.isExecutable(prom) || !Files.isExecutable(promtool)) {
      return;
    }
    Path data = tmp.resolve("server-data");
    EngineWrittenDirTest.copyTree(TestData.fixture("p3-none", false), data);
    Path config = tmp.resolve("prometheus.yml");
    Files.writeString(config, "global:\n  scrape_interval: 1h\n");
    int port = EngineWrittenDirTest.freePort();
    Path log = tmp.resolve("prometheus.log");
    server = new ProcessBuilder(prom.toString(), "--config.file=" + config, "--storage.tsdb.path=" + data,
        "--web.listen-address=127.0.0.1:" + port, "--storage.tsdb.retention.time=100y")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && server.isAlive()) {
      try {
        EngineWrittenDirTest.get(null, port, "/-/ready");
        url = "http://127.0.0.1:" + port;
        return;
      } catch (Exception | AssertionError e) {
        Thread.sleep(200);
      }
    }
    throw new AssertionError("prometheus not ready; log:\n" + Files.readString(log));
  }

  @AfterAll
  void stopPrometheus() throws InterruptedException {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
  }

  private void requireBinaries() {
    assumeTrue(url != null, "skipped: no prometheus and promtool 3.5.3 at " + promtool.getParent()
        + " (run scripts/install-prometheus.sh, or set PROMTSDB_PROMETHEUS_HOME)");
  }

  record Outcome(int code, List<String> err, Path dir) {}

  /** promtool's stderr without time= and source= (ours has no source=), sorted. */
  private static List<String> normalized(String err) {
    return err.lines().map(l -> l.replaceFirst("^time=\\S+ ", "").replaceFirst(" source=\\S+", "")).sorted().toList();
  }

  private Outcome theirs(Path rules, List<String> flags) throws Exception {
    Path dir = tmp.resolve("theirs-" + System.nanoTime());
    List<String> cmd = new ArrayList<>(List.of(promtool.toString(), "tsdb", "create-blocks-from", "rules"));
    cmd.addAll(flags);
    cmd.addAll(List.of("--output-dir", dir.toString(), rules.toString()));
    RealPromtoolTest.Run r = RealPromtoolTest.exec(cmd, tmp);
    assertThat(r.out()).isEmpty();
    return new Outcome(r.code(), normalized(r.err()), dir);
  }

  private Outcome ours(Path rules, List<String> flags) {
    Path dir = tmp.resolve("ours-" + System.nanoTime());
    List<String> args = new ArrayList<>(List.of("tsdb", "create-blocks-from", "rules"));
    args.addAll(flags);
    args.addAll(List.of("--output-dir", dir.toString(), rules.toString()));
    CliFixtureTest.Result r = CliFixtureTest.run(args.toArray(new String[0]));
    assertThat(r.out()).isEmpty();
    return new Outcome(r.code(), normalized(r.err()), dir);
  }

  /**
   * Blocks keyed by their time range and index bytes: promtool writes one block per rule and
   * range with random ULIDs, and rules of one group share ranges.
   */
  private static Map<String, Path> blocks(Path dir) throws IOException {
    Map<String, Path> out = new LinkedHashMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.sorted().toList()) {
        if (Files.exists(p.resolve("meta.json"))) {
          String meta = Files.readString(p.resolve("meta.json"));
          String range = meta.replaceAll("(?s).*\"minTime\": (-?\\d+).*\"maxTime\": (-?\\d+).*", "$1-$2");
          String key = range + " " + java.util.HexFormat.of().formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p.resolve("index"))));
          assertThat(out.put(key, p)).as("two blocks alike in %s", dir).isNull();
        }
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    return out;
  }

  /** promtool 3.5.3's {@code tsdb dump} of a dir of blocks (it wants a wal/ directory). */
  private String dump(Path dir) throws Exception {
    Files.createDirectories(dir.resolve("wal"));
    RealPromtoolTest.Run r = RealPromtoolTest.exec(List.of(promtool.toString(), "tsdb", "dump", dir.toString()), tmp);
    assertThat(r.code()).as(r.err()).isZero();
    return r.out();
  }

  private void compare(String ruleFile, List<String> flags, int wantBlocksAtLeast) throws Exception {
    requireBinaries();
    // The same path for both: the group's evaluation offset hashes the file name.
    Path rules = tmp.resolve("rules.yml");
    Files.writeString(rules, ruleFile);
    List<String> all = new ArrayList<>(List.of("--url", url));
    all.addAll(flags);
    Outcome want = theirs(rules, all);
    Outcome got = ours(rules, all);
    assertThat(got.err()).as("standard error").isEqualTo(want.err());
    assertThat(got.code()).as("exit code").isEqualTo(want.code());
    Map<String, Path> wantBlocks = blocks(want.dir());
    Map<String, Path> gotBlocks = blocks(got.dir());
    assertThat(gotBlocks.keySet()).isEqualTo(wantBlocks.keySet());
    assertThat(wantBlocks.size()).isGreaterThanOrEqualTo(wantBlocksAtLeast);
    for (String k : wantBlocks.keySet()) {
      CreateBlocksFromTest.assertSameBlock(wantBlocks.get(k), gotBlocks.get(k));
    }
    if (!wantBlocks.isEmpty()) {
      assertThat(dump(got.dir())).isEqualTo(dump(want.dir()));
    }
  }

  /**
   * Recording and alerting rules over the fixture's real data: aggregations, a rule keeping the
   * query's {@code __name__}, group and rule labels overriding the query's, an empty label value
   * removing one, two intervals (10 s, and the 60 s default).
   */
  @Test
  void sameBlocksAsPromtoolFromTheFixture() throws Exception {
    String rules = """
        groups:
          - name: g1
            interval: 10s
            labels:
              team: storage
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
                labels:
                  source: backfill
              - record: up_copy
                expr: up
                labels:
                  job: ""
                  instance: replaced
          - name: g2
            rules:
              - record: instance:scrape_samples:rate1m
                expr: rate(scrape_samples_scraped[1m])
              - record: "quantiles"
                expr: histogram_quantile(0.9, sum by (le) (rate(prometheus_http_request_duration_seconds_bucket[1m])))
              - alert: AlwaysUp
                expr: up == 1
                for: 1m
                labels:
                  severity: none
                annotations:
                  summary: x
        """;
    compare(rules, List.of("--start", Long.toString(FIXTURE_START), "--end", Long.toString(FIXTURE_END)), 4);
  }

  /**
   * Synthetic series over six hours: several 2 h ranges (and empty ranges of the fixture's
   * rules), a 1 s group with more than 5000 samples per range (commits inside a block), a 6 h
   * maximum block duration, and a query the server fails (one rule's error; the others go on).
   */
  @ParameterizedTest
  @ValueSource(strings = {"2h", "7h"})
  void sameBlocksOverSeveralRangesAndErrors(String maxBlockDuration) throws Exception {
    String rules = """
        groups:
          - name: consts
            interval: 1s
            rules:
              - record: const:time
                expr: vector(time())
          - name: errors
            interval: 37s
            rules:
              - record: many_to_many
                expr: up + on() up
              - record: two
                expr: vector(2) * on() group_left() (sum(up) or vector(0))
        """;
    compare(rules, List.of("--start", Long.toString(FIXTURE_END - 6 * 3600 - 17), "--end", Long.toString(FIXTURE_END),
        "--max-block-duration", maxBlockDuration), 2);
  }

  /** Rule files promtool refuses: the same message (the first error) and exit code. */
  @ParameterizedTest
  @ValueSource(strings = {
      "groups:\n  - name: ''\n    rules: []\n",
      "groups:\n  - name: a\n    rules: []\n  - name: a\n    rules: []\n",
      "groups:\n  - name: a\n    rules:\n      - expr: up\n",
      "groups:\n  - name: a\n    rules:\n      - record: r\n        alert: A\n        expr: up\n",
      "groups:\n  - name: a\n    rules:\n      - record: r\n",
      "groups:\n  - name: a\n    rules:\n      - record: r\n        expr: up\n        for: 1m\n",
      "groups:\n  - name: a\n    rules:\n      - record: r\n        expr: up\n        annotations: {a: b}\n",
      "groups:\n  - name: a\n    rules:\n      - record: 'r{a=\"b\"}'\n        expr: up\n",
      "groups:\n  - name: a\n    rules:\n      - record: r\n        expr: up\n        labels: {__name__: x}\n",
      "groups:\n  - name: a\n    interval: 1x\n    rules: []\n",
      "groups:\n  - name: a\n    interval: 1m1h\n    rules: []\n",
      "groups:\n  - name: a\n    rules:\n      - record: r\n        expr: up\n        unknown: 1\n",
      "groups:\n  - name: a\n    colour: red\n    rules: []\n",
      "groups:\n  - name: a\n    labels: {__name__: x}\n    rules: []\n",
      "groups: 5\n",
      "groups:\n  - 7\n",
      "groups:\n  - name: a\n    rules: 5\n",
      "groups:\n  - name: [a]\n    rules: []\n",
      "groups:\n  - name: a\n    labels: 5\n    rules: []\n",
      "groups:\n  - name: a\n    limit: many\n    rules: []\n",
      "groups:\n  - name: a\n    rules:\n      - record: r\n        expr: up\n        labels: [x]\n",
      "groups:\n  - name: a\n    rules:\n      - record: [r]\n        expr: true\n",
      "groups:\n  - name: a\n    rules:\n      - record: 12\n        expr: 1.5\n        labels: {a: 1, b: true}\n",
  })
  void sameRuleFileErrorsAsPromtool(String ruleFile) throws Exception {
    compare(ruleFile, List.of("--start", Long.toString(FIXTURE_START), "--end", Long.toString(FIXTURE_END)), 0);
  }
}
