package io.promtsdb.index;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
  @Test
  void smoke(@TempDir Path dir) throws Exception {
    for (Path p : FixtureIndexes.all()) {
      Path out = dir.resolve("index");
      try (IndexReader r = IndexReader.open(p)) {
        Rewrite.copy(r, out, IndexWriter.Options.DEFAULT);
      }
      byte[] a = Files.readAllBytes(p);
      byte[] b = Files.readAllBytes(out);
      System.out.println(FixtureIndexes.name(p) + " equal=" + Arrays.equals(a, b) + " mismatch=" + Arrays.mismatch(a, b) + " " + a.length + " " + b.length);
    }
  }
}
