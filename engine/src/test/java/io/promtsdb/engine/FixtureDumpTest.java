package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.testing.TestData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
    List<String> want = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(new GZIPInputStream(Files.newInputStream(expected)), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        want.add(line);
      }
    }
    StringBuilder got = new StringBuilder();
    try (ReadOnlyDb db = ReadOnlyDb.open(dir);
        Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      Dump.promtool(q.select(false, MetricSelectors.parse("{__name__=~'(?s:.*)'}")), got::append);
    }
    List<String> lines = List.of(got.toString().split("\n", -1));
    lines = lines.subList(0, lines.size() - 1);
    int n = Math.min(lines.size(), want.size());
    for (int i = 0; i < n; i++) {
      if (!lines.get(i).equals(want.get(i))) {
        assertThat(lines.get(i)).as("line %d of %s", i + 1, dir).isEqualTo(want.get(i));
      }
    }
    assertThat(lines.size()).as("lines of %s", dir).isEqualTo(want.size());
  }
}
