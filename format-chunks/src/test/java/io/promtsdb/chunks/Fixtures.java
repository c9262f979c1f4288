package io.promtsdb.chunks;

import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The chunk files of the real Prometheus data dirs under {@code testdata/fixtures}. */
final class Fixtures {
  private Fixtures() {}

  /** A data dir: fixture name and whether it is the crash copy. */
  record DataDir(String fixture, boolean crash, Path path) {
    /** Prometheus 2.53.3 wrote the p2 fixture: chunks carry the 2.x spare byte. */
    WriterFlavor flavor() {
      return fixture.startsWith("p2") ? WriterFlavor.PROMETHEUS_2 : WriterFlavor.PROMETHEUS_3;
    }

    @Override
    public String toString() {
      return fixture + (crash ? "/crash" : "/data");
    }
  }

  static List<DataDir> dataDirs() {
    List<DataDir> out = new ArrayList<>();
    for (String f : TestData.FIXTURES) {
      for (boolean crash : new boolean[] {false, true}) {
        out.add(new DataDir(f, crash, TestData.fixture(f, crash)));
      }
    }
    return out;
  }

  /** The {@code chunks/} directories of every block of every data dir. */
  static List<Path> blockChunkDirs(DataDir d) throws IOException {
    try (Stream<Path> s = Files.list(d.path())) {
      return s.filter(p -> Files.isDirectory(p.resolve("chunks")))
          .map(p -> p.resolve("chunks"))
          .sorted()
          .toList();
    }
  }

  static Path headChunkDir(DataDir d) {
    return d.path().resolve("chunks_head");
  }
}
