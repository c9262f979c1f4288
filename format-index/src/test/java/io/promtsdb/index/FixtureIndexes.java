package io.promtsdb.index;

import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The index files of the real Prometheus data dirs under {@code testdata/fixtures}. */
final class FixtureIndexes {
  private FixtureIndexes() {}

  /** Every {@code <block>/index} of every fixture's data and crash dirs, sorted. */
  static List<Path> all() {
    try (Stream<Path> s = Files.walk(TestData.root().resolve("fixtures"))) {
      return s.filter(p -> p.getFileName().toString().equals("index") && Files.isRegularFile(p))
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A short name for test display: fixture/dir/block. */
  static String name(Path index) {
    Path root = TestData.root().resolve("fixtures");
    return root.relativize(index.getParent()).toString();
  }

  /** The smallest fixture index of Prometheus 3.5.3 and of 2.53.3 (for sweeps). */
  static Path smallest(String fixture) {
    return all().stream()
        .filter(p -> name(p).startsWith(fixture + "/"))
        .min((a, b) -> Long.compare(size(a), size(b)))
        .orElseThrow();
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path v1() {
    return TestData.path("prometheus-2.42.0/index_format_v1/index");
  }

  static Path badVersion() {
    return TestData.path("prometheus-2.42.0/repair_index_version/01BZJ9WJQPWHGNC2W4J9TA62KC/index");
  }
}
