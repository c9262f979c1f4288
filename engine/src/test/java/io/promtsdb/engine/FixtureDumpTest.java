package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The proof of the read side: for every real Prometheus data dir in testdata/fixtures (clean
 * shutdown and crash copies), our dump equals what promtool 3.5.3 printed, line for line.
 */
class FixtureDumpTest {

  static List<Arguments> dirs() {
    List<Arguments> out = new ArrayList<>();
    for (String f : TestData.FIXTURES) {
      out.add(Arguments.of(f, false));
      out.add(Arguments.of(f, true));
    }
    return out;
  }

  @ParameterizedTest(name = "{0} crash={1}")
  @MethodSource("dirs")
  void dumpEqualsPromtool(String fixture, boolean crash) throws IOException {
    Path root = TestData.path("fixtures/" + fixture);
    Path dir = root.resolve(crash ? "crash" : "data");
    Path expected = root.resolve(crash ? "expected-crash" : "expected").resolve("dump.txt.gz");
    byte[] want;
    try (java.io.InputStream in = new GZIPInputStream(Files.newInputStream(expected))) {
      want = in.readAllBytes();
    }
    Dump.StringOut got = new Dump.StringOut();
    try (ReadOnlyDb db = ReadOnlyDb.open(dir);
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      Dump.promtool(q.select(false, MetricSelectors.parse("{__name__=~'(?s:.*)'}")), got);
    }
    byte[] ours = got.toByteArray();
    if (!java.util.Arrays.equals(ours, want)) {
      // Report the first line that differs.
      String[] a = new String(ours, StandardCharsets.UTF_8).split("\n", -1);
      String[] b = new String(want, StandardCharsets.UTF_8).split("\n", -1);
      for (int i = 0; i < Math.min(a.length, b.length); i++) {
        assertThat(a[i]).as("line %d of the dump of %s", i + 1, dir).isEqualTo(b[i]);
      }
      assertThat(a.length).as("lines of the dump of %s", dir).isEqualTo(b.length);
    }
    assertThat(ours).hasSameSizeAs(want);
  }

  /**
   * WAL samples applied on four shard threads (Prometheus' WAL replay concurrency) give the
   * same dump and the same replay counts as on the calling thread alone.
   */
  @ParameterizedTest(name = "{0} crash={1}")
  @MethodSource("dirs")
  void shardedReplayIsTheSame(String fixture, boolean crash) throws IOException {
    Path dir = TestData.path("fixtures/" + fixture).resolve(crash ? "crash" : "data");
    String[] dumps = new String[2];
    ReplayReport[] reports = new ReplayReport[2];
    long[][] ranges = new long[2][];
    int[] concurrency = {1, 4};
    for (int i = 0; i < 2; i++) {
      Dump.StringOut got = new Dump.StringOut();
      try (ReadOnlyDb db = ReadOnlyDb.open(dir, ReadOnlyDb.Options.DEFAULT.withWalReplayConcurrency(concurrency[i]));
          Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        Dump.promtool(q.select(false, MetricSelectors.parse("{__name__=~'(?s:.*)'}")), got, 0);
        reports[i] = db.head().replayReport();
        ranges[i] = new long[] {db.head().minTime(), db.head().maxTime()};
      }
      dumps[i] = got.toString();
    }
    assertThat(dumps[1]).isEqualTo(dumps[0]);
    // Everything but how long it took.
    assertThat(reports[1]).usingRecursiveComparison().ignoringFields("durations").isEqualTo(reports[0]);
    assertThat(ranges[1]).isEqualTo(ranges[0]);
  }

  static List<String> fixtures() {
    return List.of(TestData.FIXTURES);
  }

  /**
   * Every clean-shutdown fixture holds a memory snapshot (Prometheus ran with {@code
   * memory-snapshot-on-shutdown}); a head rebuilt from it and the WAL after it dumps the same
   * as promtool's replay of the whole WAL.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void headFromMemorySnapshotDumpsTheSame(String fixture) throws IOException {
    Path root = TestData.path("fixtures/" + fixture);
    byte[] want;
    try (java.io.InputStream in = new GZIPInputStream(Files.newInputStream(root.resolve("expected/dump.txt.gz")))) {
      want = in.readAllBytes();
    }
    Dump.StringOut got = new Dump.StringOut();
    try (ReadOnlyDb db = ReadOnlyDb.open(root.resolve("data"), ReadOnlyDb.Options.DEFAULT.withChunkSnapshot(true));
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      Dump.promtool(q.select(false, MetricSelectors.parse("{__name__=~'(?s:.*)'}")), got);
      assertThat(db.head().replayReport().warnings()).isEmpty();
      assertThat(db.head().replayReport().firstSegment()).isPositive();
    }
    assertThat(got.toString()).isEqualTo(new String(want, StandardCharsets.UTF_8));
  }

  /** Formatting on several threads gives the same bytes as on one. */
  static List<Arguments> snappyDirs() {
    return List.of(Arguments.of("p3-snappy", false), Arguments.of("p3-snappy", true));
  }

  @ParameterizedTest(name = "{0} crash={1}")
  @MethodSource("snappyDirs")
  void parallelFormattingIsTheSame(String fixture, boolean crash) throws IOException {
    Path dir = TestData.path("fixtures/" + fixture).resolve(crash ? "crash" : "data");
    byte[][] outs = new byte[2][];
    try (ReadOnlyDb db = ReadOnlyDb.open(dir)) {
      for (int threads : new int[] {0, 3}) {
        Dump.StringOut o = new Dump.StringOut();
        try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
          Dump.promtool(q.select(false, MetricSelectors.parse("{__name__=~'(?s:.*)'}")), o, threads);
        }
        outs[threads == 0 ? 0 : 1] = o.toByteArray();
      }
    }
    assertThat(outs[0].length).isGreaterThan(1_000_000);
    assertThat(outs[1]).isEqualTo(outs[0]);
  }
}
