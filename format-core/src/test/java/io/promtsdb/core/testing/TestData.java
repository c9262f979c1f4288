package io.promtsdb.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The repository's {@code testdata/} folder (real Prometheus data dirs, Go chunk vectors).
 * Surefire passes its location as {@code promtsdb.testdata}; when run from an IDE the folder
 * is found by walking up from the working directory.
 */
public final class TestData {
  private TestData() {}

  public static Path root() {
    String prop = System.getProperty("promtsdb.testdata");
    if (prop != null && Files.isDirectory(Paths.get(prop))) {
      return Paths.get(prop);
    }
    for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("testdata");
      if (Files.isDirectory(candidate.resolve("fixtures"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("testdata/ not found; set -Dpromtsdb.testdata");
  }

  /** A path below {@code testdata/}, which must exist. */
  public static Path path(String relative) {
    Path p = root().resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("missing test data: " + p);
    }
    return p;
  }

  /** The four real data dir fixtures: p2-snappy, p3-none, p3-snappy, p3-zstd. */
  public static final String[] FIXTURES = {"p2-snappy", "p3-none", "p3-snappy", "p3-zstd"};

  /** {@code testdata/fixtures/NAME/data} (clean shutdown) or {@code .../crash}. */
  public static Path fixture(String name, boolean crash) {
    return path("fixtures/" + name + (crash ? "/crash" : "/data"));
  }
}
