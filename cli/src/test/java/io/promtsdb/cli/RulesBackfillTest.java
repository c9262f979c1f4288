package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.promtsdb.core.Labels;
import io.promtsdb.engine.Block;
import io.promtsdb.engine.Matcher;
import io.promtsdb.engine.SampleIterator;
import io.promtsdb.engine.Series;
import io.promtsdb.engine.SeriesSet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code tsdb create-blocks-from rules} against a stand-in server (the JDK's HTTP server): the
 * requests promtool's client sends, evaluation times and block ranges, labels, what is written,
 * and errors. {@link RulesBackfillPromtoolTest} compares the whole command with promtool and a
 * real Prometheus.
 */
class RulesBackfillTest {
  @TempDir Path tmp;

  private HttpServer server;
  private final List<Map<String, String>> requests = new ArrayList<>();
  private final List<String> methods = new ArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** Serves query_range with {@code answer(form)} as (status, body). */
  private String serve(Function<Map<String, String>, Object[]> answer) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/prefix/api/v1/query_range", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String q = ex.getRequestMethod().equals("GET") ? ex.getRequestURI().getRawQuery() : body;
      Map<String, String> form = new LinkedHashMap<>();
      for (String kv : q.split("&")) {
        String[] p = kv.split("=", 2);
        form.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8), URLDecoder.decode(p[1], StandardCharsets.UTF_8));
      }
      synchronized (requests) {
        requests.add(form);
        methods.add(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type"));
      }
      Object[] a = answer.apply(form);
      byte[] out = ((String) a[1]).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders((Integer) a[0], out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        ex.getResponseBody().write(out);
      }
      ex.close();
    });
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/prefix";
  }

  /** A matrix of {@code vector(time())}-like values at every step of the request, seeded noise on top. */
  private static Object[] matrix(Map<String, String> form, long seed) {
    double start = Double.parseDouble(form.get("start"));
    double end = Double.parseDouble(form.get("end"));
    double step = Double.parseDouble(form.get("step"));
    SplittableRandom r = new SplittableRandom(seed ^ (long) start);
    StringBuilder b = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[");
    for (int s = 0; s < 3; s++) {
      b.append(s == 0 ? "" : ",").append("{\"metric\":{\"__name__\":\"src\",\"job\":\"j").append(s)
          .append("\",\"drop\":\"me\"},\"values\":[");
      long startMs = Math.round(start * 1000);
      long stepMs = Math.round(step * 1000);
      boolean first = true;
      for (long t = startMs; t <= end * 1000; t += stepMs) {
        String v = s == 2 && r.nextInt(10) == 0 ? "NaN" : Long.toString(t / 1000 + r.nextInt(5));
        b.append(first ? "" : ",").append('[').append(t / 1000).append('.').append(String.format("%03d", t % 1000))
            .append(",\"").append(v).append("\"]");
        first = false;
      }
      b.append("]}");
    }
    b.append("]}}");
    return new Object[] {200, b.toString()};
  }

  private Path rules(String text) throws IOException {
    Path f = tmp.resolve("rules-" + System.nanoTime() + ".yml");
    Files.writeString(f, text);
    return f;
  }

  private static List<Path> blocks(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Files.exists(p.resolve("meta.json"))).sorted().toList();
    }
  }

  @Test
  void evaluatesEachRuleOverEachBlockRangeAtTheGroupsTimes() throws Exception {
    String url = serve(form -> matrix(form, 5));
    Path f = rules("groups:\n"
        + "  - name: g\n    interval: 10s\n    labels: {team: storage, job: overridden}\n    rules:\n"
        + "      - record: 'r:one'\n        expr: src{drop=\"me\"}\n        labels: {drop: '', job: rule}\n"
        + "      - alert: A\n        expr: src > 0\n        for: 5m\n        annotations: {x: y}\n");
    Path out = tmp.resolve("out");
    long start = 1_700_000_000L;
    long end = start + 5 * 3600;
    CliFixtureTest.Result r = CliFixtureTest.run("tsdb", "create-blocks-from", "rules", "--url", url,
        "--start", Long.toString(start), "--end", Long.toString(end), "--output-dir", out.toString(), f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
    // The log: promtool's lines but for time= and source=.
    assertThat(r.err().lines().map(l -> l.replaceFirst("^time=\\S+ ", "")).toList()).containsExactly(
        "level=INFO msg=\"new rule importer\" component=backfiller start=\"14 Nov 23 22:13 UTC\" end=\"15 Nov 23 03:13 UTC\"",
        "level=INFO msg=\"processing group\" component=backfiller name=" + f + ";g",
        "level=INFO msg=\"processing rule\" component=backfiller id=0 name=r:one",
        "level=INFO msg=\"processing rule\" component=backfiller id=1 name=A");
    // Two rules; 2h ranges aligned to the epoch: [21:20, 23:20), [23:20, 01:20), [01:20, 03:20).
    int ranges = (int) (end * 1000 / 7_200_000L - start * 1000 / 7_200_000L + 1);
    assertThat(ranges).isEqualTo(3);
    assertThat(requests).hasSize(2 * ranges);
    assertThat(methods).containsOnly("POST application/x-www-form-urlencoded");
    RuleBackfill.LoadedGroup g = RuleBackfill.load(List.of(f.toString()), 60_000_000_000L).get(0);
    long offset = Long.remainderUnsigned(g.hash(), 10_000_000_000L);
    for (int i = 0; i < ranges; i++) {
      Map<String, String> q = requests.get(i);
      assertThat(q.keySet()).containsExactly("end", "query", "start", "step");
      assertThat(q.get("query")).isEqualTo("src{drop=\"me\"}");
      assertThat(q.get("step")).isEqualTo("10");
      long blockStart = Math.max(start, (start * 1000 / 7_200_000L + i) * 7200);
      long blockEnd = Math.min(end, (start * 1000 / 7_200_000L + i + 1) * 7200 - 1);
      // The first evaluation time at or after the range's start: t = k*10s + offset.
      double qs = Double.parseDouble(q.get("start"));
      long qsNanos = Math.round(qs * 1e9);
      // (Seconds as a double: within a microsecond of the exact time.)
      long off = Math.floorMod(qsNanos - offset, 10_000_000_000L);
      assertThat(Math.min(off, 10_000_000_000L - off)).as("aligned: %s", q).isLessThan(1000);
      assertThat(qs).isGreaterThanOrEqualTo(blockStart).isLessThan(blockStart + 10);
      assertThat(q.get("end")).isEqualTo(Long.toString(blockEnd));
    }
    assertThat(requests.get(ranges).get("query")).isEqualTo("src > 0");
    // One block per rule and range, each within its 2h range.
    List<Path> blocks = blocks(out);
    assertThat(blocks).hasSize(2 * ranges);
    long samples = 0;
    for (Path b : blocks) {
      try (Block block = Block.open(b)) {
        assertThat(block.meta().maxTime() - 1 - block.meta().minTime()).isLessThan(7_200_000L);
        assertThat(Math.floorDiv(block.meta().minTime(), 7_200_000L)).isEqualTo(Math.floorDiv(block.meta().maxTime() - 1, 7_200_000L));
        SeriesSet s = block.querier(Long.MIN_VALUE, Long.MAX_VALUE).select(true, List.of(Matcher.regex("__name__", ".+")));
        List<Labels> seen = new ArrayList<>();
        while (s.next()) {
          Series series = s.at();
          seen.add(series.labels());
          SampleIterator it = series.iterator(null);
          while (it.next() != io.promtsdb.chunks.ValueType.NONE) {
            samples++;
          }
        }
        if (seen.get(0).get("__name__").equals("r:one")) {
          // Query labels, then group labels, then rule labels (an empty value removes one).
          assertThat(seen).containsExactly(
              Labels.of("__name__", "r:one", "job", "rule", "team", "storage"));
        } else {
          assertThat(seen).containsExactly(
              Labels.of("__name__", "A", "drop", "me", "job", "overridden", "team", "storage"));
        }
      }
    }
    assertThat(samples).isPositive();
  }

  @Test
  void fallsBackToGetWhenPostIsNotAllowed() throws Exception {
    String url = serve(form -> new Object[] {200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"});
    server.removeContext("/prefix/api/v1/query_range");
    server.createContext("/prefix/api/v1/query_range", ex -> {
      methods.add(ex.getRequestMethod());
      ex.getRequestBody().readAllBytes();
      byte[] ok = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}".getBytes(StandardCharsets.UTF_8);
      if (ex.getRequestMethod().equals("POST")) {
        ex.sendResponseHeaders(405, -1);
      } else {
        assertThat(ex.getRequestURI().getRawQuery()).startsWith("end=").contains("&query=vector%281%29&start=");
        ex.sendResponseHeaders(200, ok.length);
        ex.getResponseBody().write(ok);
      }
      ex.close();
    });
    Path f = rules("groups:\n- name: g\n  rules:\n  - record: r\n    expr: vector(1)\n");
    CliFixtureTest.Result r = CliFixtureTest.run("tsdb", "create-blocks-from", "rules", "--url", url,
        "--start", "1700000000", "--end", "1700000600", "--output-dir", tmp.resolve("o").toString(), f.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(methods).containsExactly("POST", "GET");
    assertThat(blocks(tmp.resolve("o"))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "400|{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:1: parse error: x\"}|query range: bad_data: 1:1: parse error: x",
      "422|{\"status\":\"error\",\"errorType\":\"execution\",\"error\":\"many-to-many\"}|query range: execution: many-to-many",
      "500|oops|query range: server_error: server error: 500",
      "404|not found|query range: client_error: client error: 404",
      "200|{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[[1700000000,\"1\"],[1699990000,\"2\"]]}]}}"
          + "|add: multiappender append: out of bounds"
  })
  void errorsInPromtoolsWords(int status, String body, String message) throws Exception {
    String url = serve(form -> new Object[] {status, body});
    Path f = rules("groups:\n- name: g\n  rules:\n  - record: r\n    expr: vector(1)\n  - record: s\n    expr: vector(2)\n");
    CliFixtureTest.Result r = CliFixtureTest.run("tsdb", "create-blocks-from", "rules", "--url", url,
        "--start", "1700000000", "--end", "1700000600", "--output-dir", tmp.resolve("o").toString(), f.toString());
    assertThat(r.code()).isEqualTo(1);
    // Each rule fails on its own; then the summary.
    assertThat(r.err().lines().filter(l -> !l.startsWith("time=")).toList())
        .containsExactly("rule importer error: " + message, "rule importer error: " + message, "error importing rules");
  }

  @Test
  void connectionRefusedAsGoSaysIt() throws Exception {
    int port = EngineWrittenDirTest.freePort();
    Path f = rules("groups:\n- name: g\n  rules:\n  - record: r\n    expr: vector(1)\n");
    CliFixtureTest.Result r = CliFixtureTest.run("tsdb", "create-blocks-from", "rules", "--url", "http://127.0.0.1:" + port,
        "--start", "1700000000", "--end", "1700000600", "--output-dir", tmp.resolve("o").toString(), f.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).contains("rule importer error: query range: Post \"http://127.0.0.1:" + port
        + "/api/v1/query_range\": dial tcp 127.0.0.1:" + port + ": connect: connection refused\nerror importing rules\n");
  }

  @Test
  void xxhash64AsGo() {
    // Go: github.com/cespare/xxhash Sum64String.
    String[][] vectors = {
      {"", "ef46db3751d8e999"},
      {"a", "d24ec4f1a98c6e5b"},
      {"abc", "44bc2cf5ad770999"},
      {"0123456789abcdef0123456789abcdef", "642a94958e71e6c5"},
      {"prometheus".repeat(13), "6fd4aeccb912d6e0"}
    };
    for (String[] v : vectors) {
      assertThat(Long.toHexString(XxHash64.hash(v[0].getBytes(StandardCharsets.UTF_8)))).as(v[0]).isEqualTo(v[1]);
    }
  }

  @Test
  void timesAndDurationsAsPromtool() {
    assertThat(QueryRangeClient.formatSeconds(1_795_310_554_891_000_000L)).isEqualTo("1795310554.891");
    assertThat(QueryRangeClient.formatSeconds(1_795_310_560_000_000_000L)).isEqualTo("1795310560");
    assertThat(QueryRangeClient.formatSeconds(500_000_000L)).isEqualTo("0.5");
    assertThat(CreateBlocksFromCommand.parseTime("1700000000.5").toInstant().toEpochMilli()).isEqualTo(1_700_000_000_500L);
    assertThat(CreateBlocksFromCommand.parseTime("2023-11-14T22:13:20Z").toEpochSecond()).isEqualTo(1_700_000_000L);
    assertThat(CreateBlocksFromCommand.parseTime("yesterday")).isNull();
    assertThat(CreateBlocksFromCommand.rfc822(CreateBlocksFromCommand.parseTime("2023-11-14T22:13:20+02:00")))
        .isEqualTo("14 Nov 23 22:13 +0200");
    assertThat(PromDuration.parseMillis("1h30m")).isEqualTo(5_400_000L);
    assertThat(PromDuration.parseMillis("1d")).isEqualTo(86_400_000L);
    assertThat(PromDuration.parseMillis("0")).isZero();
    for (String bad : new String[] {"1m1h", "1m1m", "h", "-1m", "1"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> PromDuration.parseMillis(bad))
          .hasMessage("not a valid duration string: \"" + bad + "\"");
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PromDuration.parseMillis("1.5h"))
        .hasMessage("unknown unit \".\" in duration \"1.5h\"");
  }

  @Test
  void startMustBeBeforeEnd() throws Exception {
    Path f = rules("groups: []\n");
    CliFixtureTest.Result r = CliFixtureTest.run("tsdb", "create-blocks-from", "rules", "--start", "1700000600",
        "--end", "1700000000", f.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("start time is not before end time\n");
    r = CliFixtureTest.run("tsdb", "create-blocks-from", "rules", "--start", "soon", f.toString());
    assertThat(r.err()).isEqualTo("error parsing start time: cannot parse \"soon\" to a valid timestamp\n");
  }
}
