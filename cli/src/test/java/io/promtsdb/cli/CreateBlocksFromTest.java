package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tsdb create-blocks-from openmetrics} against the real promtool on the same input:
 * the same blocks (index and chunk bytes identical, meta.json equal but for the ULID), the
 * same standard output but for ULIDs, and the same errors on bad input. Skipped, with a
 * message, without the binaries (see {@link RealPromtoolTest#promtool}).
 */
class CreateBlocksFromTest {
  @TempDir Path tmp;

  /**
   * Seven hours of varied series (seeded): regular and jittered scrapes, 1 s scrapes (the
   * 240-sample cap and the estimated chunk end), random 64-bit values (the 1 KiB chunk cap),
   * specials, escapes, quoted names, exemplars, empty label values, exact duplicates and
   * out-of-order samples within one appender (dropped silently), HELP/TYPE/UNIT lines.
   */
  static String input(long seed) {
    return input(seed, 1_700_001_234L);
  }

  /** {@link #input(long)} starting at {@code start} (seconds). */
  static String input(long seed, long start) {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder b = new StringBuilder();
    long end = start + 7 * 3600;
    b.append("# HELP req Requests.\n# TYPE req counter\n");
    for (int s = 0; s < 8; s++) {
      long v = 0;
      for (long t = start + r.nextInt(60); t < end; t += 15 + (s % 2 == 0 ? 0 : r.nextInt(3))) {
        v += r.nextInt(50);
        b.append("req_total{job=\"api\",instance=\"h").append(s).append("\",e=\"\"} ").append(v).append(' ').append(t);
        if (r.nextInt(200) == 0) {
          b.append(" # {trace_id=\"abc").append(s).append("\"} 1.5 ").append(t);
        }
        b.append('\n');
      }
    }
    b.append("# TYPE fast gauge\n# UNIT fast_seconds seconds\n");
    for (int s = 0; s < 3; s++) {
      for (long t = start; t < start + 5 * 3600; t += 1) {
        b.append("fast_seconds{s=\"").append(s).append("\"} ").append(r.nextInt(4)).append(' ').append(t).append('\n');
      }
    }
    b.append("# TYPE noisy gauge\n");
    double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e308, 4.9e-324};
    for (int s = 0; s < 4; s++) {
      for (long t = start; t < end; t += 10) {
        double v = r.nextInt(30) == 0 ? specials[r.nextInt(specials.length)] : Double.longBitsToDouble(r.nextLong() & 0x7FEFFFFFFFFFFFFFL);
        b.append("noisy{q=\"a\\\"b\\\\c\\nd ü\",s=\"").append(s).append("\"} ").append(om(v)).append(' ').append(t).append(".").append(r.nextInt(1000)).append('\n');
      }
    }
    b.append("# TYPE lat histogram\n");
    for (int s = 0; s < 2; s++) {
      for (String le : new String[] {"0.1", "1", "1e3", "+Inf"}) {
        long c = 0;
        for (long t = start; t < end; t += 30) {
          c += r.nextInt(3);
          b.append("lat_bucket{le=\"").append(le).append("\",s=\"").append(s).append("\"} ").append(c).append(' ').append(t).append('\n');
        }
      }
      b.append("lat_created{s=\"").append(s).append("\"} ").append(start).append(' ').append(start).append('\n');
    }
    b.append("# TYPE odd unknown\n");
    long t0 = start + 100;
    // Exact duplicates are dropped; an out-of-order sample inside one appender too.
    b.append("{\"odd.name\",x=\"1\"} 1 ").append(t0).append('\n');
    b.append("{\"odd.name\",x=\"1\"} 1 ").append(t0).append('\n');
    b.append("{\"odd.name\",x=\"1\"} 2 ").append(t0 + 10).append('\n');
    b.append("{\"odd.name\",x=\"1\"} 3 ").append(t0 + 5).append('\n');
    b.append("{\"odd.name\",x=\"1\"} 4 ").append(t0 + 20).append('\n');
    b.append("sparse 7 ").append(end - 1).append('\n');
    b.append("# EOF\n");
    return b.toString();
  }

  private static String om(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    return String.format(Locale.ROOT, "%s", v).replace("E", "e");
  }

  private static Path promtoolOrSkip(String version) {
    Path pt = RealPromtoolTest.promtool(version);
    assumeTrue(Files.isExecutable(pt), "skipped: no promtool " + version + " at " + pt
        + " (run scripts/install-prometheus.sh, or set PROMTSDB_PROMETHEUS_HOME)");
    return pt;
  }

  record Outcome(int code, String out, String err, Map<Long, Path> blocks) {}

  private Outcome theirs(String version, Path om, List<String> flags, List<String> omFlags) throws Exception {
    Path pt = promtoolOrSkip(version);
    Path dir = tmp.resolve("theirs-" + version + "-" + System.nanoTime());
    List<String> cmd = new ArrayList<>(List.of(pt.toString(), "tsdb", "create-blocks-from"));
    cmd.addAll(flags);
    cmd.add("openmetrics");
    cmd.addAll(omFlags);
    cmd.addAll(List.of(om.toString(), dir.toString()));
    RealPromtoolTest.Run r = RealPromtoolTest.exec(cmd, tmp);
    return new Outcome(r.code(), r.out(), r.err(), blocks(dir));
  }

  private Outcome ours(Path om, List<String> flags, List<String> omFlags) throws IOException {
    Path dir = tmp.resolve("ours-" + System.nanoTime());
    List<String> args = new ArrayList<>(List.of("tsdb", "create-blocks-from"));
    args.addAll(flags);
    args.add("openmetrics");
    args.addAll(omFlags);
    args.addAll(List.of(om.toString(), dir.toString()));
    CliFixtureTest.Result r = CliFixtureTest.run(args.toArray(new String[0]));
    return new Outcome(r.code(), r.out(), r.err(), blocks(dir));
  }

  private static Map<Long, Path> blocks(Path dir) throws IOException {
    Map<Long, Path> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        if (Files.exists(p.resolve("meta.json"))) {
          String meta = Files.readString(p.resolve("meta.json"));
          long mint = Long.parseLong(meta.replaceAll("(?s).*\"minTime\": (-?\\d+).*", "$1"));
          out.put(mint, p);
        }
      }
    }
    return out;
  }

  /** Every file of two blocks equal, meta.json but for its ULIDs. */
  static void assertSameBlock(Path want, Path got) throws IOException {
    List<String> wantFiles = files(want);
    assertThat(files(got)).isEqualTo(wantFiles);
    String wantUlid = want.getFileName().toString();
    String gotUlid = got.getFileName().toString();
    for (String f : wantFiles) {
      byte[] w = Files.readAllBytes(want.resolve(f));
      byte[] g = Files.readAllBytes(got.resolve(f));
      if (f.equals("meta.json")) {
        assertThat(new String(g, StandardCharsets.UTF_8).replace(gotUlid, "ULID"))
            .isEqualTo(new String(w, StandardCharsets.UTF_8).replace(wantUlid, "ULID"));
      } else {
        assertThat(g).as("%s of %s vs %s", f, got, want).isEqualTo(w);
      }
    }
  }

  private static List<String> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
    }
  }

  private static String withoutUlids(String s) {
    return s.replaceAll("[0-7][0-9A-HJKMNP-TV-Z]{25}", "ULID");
  }

  /**
   * @param flags of {@code create-blocks-from}
   * @param omFlags of {@code openmetrics}, both sides
   * @param ourOmFlags of {@code openmetrics}, ours only
   */
  private void compareWith(String version, String input, List<String> flags, List<String> omFlags, List<String> ourOmFlags)
      throws Exception {
    Path om = tmp.resolve("in-" + System.nanoTime() + ".om");
    Files.writeString(om, input, StandardCharsets.UTF_8);
    Outcome want = theirs(version, om, flags, omFlags);
    List<String> ourOm = new ArrayList<>(omFlags);
    ourOm.addAll(ourOmFlags);
    Outcome got = ours(om, flags, ourOm);
    assertThat(got.err()).as("standard error").isEqualTo(want.err());
    assertThat(got.code()).as("exit code").isEqualTo(want.code());
    assertThat(withoutUlids(got.out())).as("standard output").isEqualTo(withoutUlids(want.out()));
    assertThat(got.blocks().keySet()).isEqualTo(want.blocks().keySet());
    for (Long mint : want.blocks().keySet()) {
      assertSameBlock(want.blocks().get(mint), got.blocks().get(mint));
    }
  }

  @Test
  void sameBlocksAsPromtool353() throws Exception {
    compareWith("3.5.3", input(1), List.of(), List.of(), List.of());
  }

  @Test
  void sameBlocksAsPromtool353HumanReadableAndLabels() throws Exception {
    compareWith("3.5.3", input(2), List.of("-r"), List.of("--label=job=backfill", "--label", "e=x"), List.of());
  }

  @Test
  void sameBlocksAsPromtool353WithLargerBlocks() throws Exception {
    List<String> flags = List.of("--max-block-duration=7h", "--quiet");
    compareWith("3.5.3", input(3), flags, List.of(), List.of());
  }

  @Test
  void sameBlocksAsPromtool2() throws Exception {
    compareWith("2.53.3", input(4), List.of(), List.of(), List.of("--prometheus-2"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "a 1 1\n",
      "a 1\n# EOF\n",
      "a 1 1\n# EOF\nb 1 1\n",
      "a{b=\"c\" 1 1\n# EOF\n",
      "a{b=c} 1 1\n# EOF\n",
      "a{b=\"c\"} x 1\n# EOF\n",
      "a{b=\"c\"} 1 1p3\n# EOF\n",
      "a 1 NaN\n# EOF\n",
      "a 1e400 1\n# EOF\n",
      "# TYPE a nonsense\na 1 1\n# EOF\n",
      "# UNIT a_b c\n# EOF\n",
      "# HELP a\n# EOF\n",
      "a{b=\"1\",b=\"2\"} 1 1\n# EOF\n",
      "{\"a\",\"b\"} 1 1\n# EOF\n",
      "{b=\"1\"} 1 1\n# EOF\n",
      "a 1 10\na 2 5\n# EOF\n",
      "a 1 10\na 2 10\n# EOF\n",
      "a 1 1 # {x=\"y\"}\n# EOF\n",
      "  a 1 1\n# EOF\n",
      "#a\n# EOF\n",
      "a 1 1 \n# EOF\n"
  })
  void sameErrorsAsPromtool353(String input) throws Exception {
    compareWith("3.5.3", input, List.of(), List.of(), List.of());
  }

  @Test
  void maxBlockDurationParsedAsGoDurations() {
    assertThat(CreateBlocksFromCommand.parseDurationMillis("1h30m")).isEqualTo(90 * 60_000L);
    assertThat(CreateBlocksFromCommand.parseDurationMillis("1.5h")).isEqualTo(90 * 60_000L);
  }

  /** Out of order across two appenders (5000 samples apart): an error, as in promtool. */
  @Test
  void outOfOrderAcrossCommits() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 5001; i++) {
      b.append("a ").append(i).append(' ').append(1000 + i).append('\n');
    }
    b.append("a 1 1000\n# EOF\n");
    compareWith("3.5.3", b.toString(), List.of(), List.of(), List.of());
  }
}
