package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.testing.TestData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CLI against what promtool 3.5.3 printed for every fixture data dir (testdata/fixtures,
 * clean and crash copies): list and list -r byte for byte, dump line for line, analyze
 * --extended field for field (promtool orders equal counts by Go's random map order, so those
 * are compared as sets).
 */
class CliFixtureTest {

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, out, new PrintStream(err, true, StandardCharsets.UTF_8), false);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static List<Arguments> dirs() {
    List<Arguments> out = new ArrayList<>();
    for (String f : TestData.FIXTURES) {
      out.add(Arguments.of(f, "data", "expected"));
      out.add(Arguments.of(f, "crash", "expected-crash"));
    }
    return out;
  }

  static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("dirs")
  void listMatchesPromtool(String fixture, String dir, String expected) throws IOException {
    Path root = TestData.path("fixtures/" + fixture);
    Result r = run("tsdb", "list", root.resolve(dir).toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo(read(root.resolve(expected).resolve("list.txt")));
    Result h = run("tsdb", "list", "-r", root.resolve(dir).toString());
    assertThat(h.out()).isEqualTo(read(root.resolve(expected).resolve("list-human.txt")));
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("dirs")
  void analyzeMatchesPromtool(String fixture, String dir, String expected) throws IOException {
    Path root = TestData.path("fixtures/" + fixture);
    Result r = run("tsdb", "analyze", "--extended", root.resolve(dir).toString());
    assertThat(r.code()).as(r.err()).isZero();
    Result all = run("tsdb", "analyze", "--limit", "1000000", root.resolve(dir).toString());
    assertSameAnalysis(r.out(), read(root.resolve(expected).resolve("analyze.txt")), all.out());
  }

  /**
   * Same lines, where promtool's lists are compared by count sequence; within a count the
   * names must be the same set, except at the cut-off of a list, where promtool's names must
   * be among ours with that count.
   */
  static void assertSameAnalysis(String ours, String promtool, String oursUnlimited) {
    Map<String, List<String>> a = sections(ours);
    Map<String, List<String>> b = sections(promtool);
    Map<String, List<String>> full = sections(oursUnlimited);
    assertThat(a.keySet()).containsExactlyElementsOf(b.keySet());
    for (String sec : a.keySet()) {
      List<String> x = a.get(sec);
      List<String> y = b.get(sec);
      assertThat(x).as(sec).hasSameSizeAs(y);
      if (!isRanking(x)) {
        assertThat(x).as(sec).containsExactlyElementsOf(y);
        continue;
      }
      assertThat(counts(x)).as(sec).containsExactlyElementsOf(counts(y));
      String lastCount = count(x.get(x.size() - 1));
      for (String cnt : new java.util.LinkedHashSet<>(counts(x))) {
        List<String> xs = x.stream().filter(l -> count(l).equals(cnt)).sorted().toList();
        List<String> ys = y.stream().filter(l -> count(l).equals(cnt)).sorted().toList();
        if (!cnt.equals(lastCount) || full.get(sec) == null) {
          assertThat(xs).as(sec + " count " + cnt).containsExactlyElementsOf(ys);
        } else {
          assertThat(full.get(sec)).as(sec + " count " + cnt).containsAll(ys);
        }
      }
    }
  }

  private static boolean isRanking(List<String> lines) {
    return !lines.isEmpty() && lines.stream().allMatch(l -> l.matches("\\d+ .*"));
  }

  private static List<String> counts(List<String> lines) {
    return lines.stream().map(CliFixtureTest::count).toList();
  }

  private static String count(String line) {
    return line.substring(0, line.indexOf(' '));
  }

  private static Map<String, List<String>> sections(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    String cur = "header";
    out.put(cur, new ArrayList<>());
    for (String line : text.split("\n")) {
      if (line.endsWith(":") && !line.startsWith("[")) {
        cur = line;
        out.put(cur, new ArrayList<>());
      } else if (!line.isEmpty()) {
        out.get(cur).add(line);
      }
    }
    return out;
  }

  // The engine's FixtureDumpTest covers every dir; through the CLI one fixture suffices.
  static List<Arguments> dumpDirs() {
    return List.of(Arguments.of("p3-zstd", "data", "expected"), Arguments.of("p3-zstd", "crash", "expected-crash"));
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("dumpDirs")
  void dumpMatchesPromtool(String fixture, String dir, String expected) throws IOException {
    Path root = TestData.path("fixtures/" + fixture);
    Result r = run("tsdb", "dump", root.resolve(dir).toString());
    assertThat(r.code()).as(r.err()).isZero();
    String want;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(root.resolve(expected).resolve("dump.txt.gz")))) {
      want = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(r.out().equals(want)).as("dump of " + root.resolve(dir)).isTrue();
  }

  @org.junit.jupiter.api.Test
  void dumpFromMemorySnapshotMatchesPromtool() throws IOException {
    Path root = TestData.path("fixtures/p3-zstd");
    Result r = run("tsdb", "dump", "--memory-snapshot", root.resolve("data").toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    String want;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(root.resolve("expected").resolve("dump.txt.gz")))) {
      want = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(r.out().equals(want)).as("dump --memory-snapshot of " + root.resolve("data")).isTrue();
  }
}
