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

  /** The spec's AsciiDoc source folder, whose example files tests check. */
  public static Path spec(String relative) {
    String prop = System.getProperty("promtsdb.spec");
    Path base = prop != null ? Paths.get(prop) : root().resolveSibling("spec/src/docs/asciidoc");
    Path p = base.resolve(relative);
    if (!Files.exists(p)) {
      throw new IllegalStateException("missing spec file: " + p);
    }
    return p;
  }

  /** Hex string (spaces allowed) to bytes. */
  public static byte[] hex(String s) {
    String h = s.replaceAll("\\s+", "");
    if (h.length() % 2 != 0) {
      throw new IllegalArgumentException("odd hex length: " + s);
    }
    byte[] out = new byte[h.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return out;
  }

  /** Lower-case hex of bytes, no separators. */
  public static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder(b.length * 2);
    for (byte x : b) {
      sb.append(Character.forDigit((x >> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
    }
    return sb.toString();
  }

  /** The four real data dir fixtures: p2-snappy, p3-none, p3-snappy, p3-zstd. */
  public static final String[] FIXTURES = {"p2-snappy", "p3-none", "p3-snappy", "p3-zstd"};

  /** {@code testdata/fixtures/NAME/data} (clean shutdown) or {@code .../crash}. */
  public static Path fixture(String name, boolean crash) {
    return path("fixtures/" + name + (crash ? "/crash" : "/data"));
  }
}
