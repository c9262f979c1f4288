package io.promtsdb.wal;

import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The segment files of the real Prometheus data dirs in {@code testdata/fixtures}. */
final class Fixtures {
  private Fixtures() {}

  enum Kind {
    WAL,
    CHECKPOINT,
    WBL,
    SNAPSHOT
  }

  record Segment(String fixture, boolean crash, Kind kind, Path path) {
    String name() {
      return fixture + (crash ? "/crash/" : "/data/") + TestData.fixture(fixture, crash).relativize(path);
    }

    @Override
    public String toString() {
      return name();
    }
  }

  static List<Segment> all() {
    List<Segment> out = new ArrayList<>();
    for (String f : TestData.FIXTURES) {
      for (boolean crash : new boolean[] {false, true}) {
        Path root = TestData.fixture(f, crash);
        try (Stream<Path> s = Files.walk(root)) {
          for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
            String rel = root.relativize(p).toString().replace('\\', '/');
            Kind k;
            if (rel.startsWith("wal/checkpoint.")) {
              k = Kind.CHECKPOINT;
            } else if (rel.startsWith("wal/")) {
              k = Kind.WAL;
            } else if (rel.startsWith("wbl/")) {
              k = Kind.WBL;
            } else if (rel.startsWith("chunk_snapshot.")) {
              k = Kind.SNAPSHOT;
            } else {
              continue;
            }
            out.add(new Segment(f, crash, k, p));
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return out;
  }
}
