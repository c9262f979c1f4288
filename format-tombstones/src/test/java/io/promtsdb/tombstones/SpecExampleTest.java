package io.promtsdb.tombstones;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worked example of the tombstones spec chapter is the Go-written file. */
class SpecExampleTest {
  @Test
  void exampleIsTheGoFile() throws IOException {
    String p = System.getProperty("promtsdb.spec");
    Path dir = p != null ? Paths.get(p) : TestData.root().resolveSibling("spec/src/docs/asciidoc");
    StringBuilder sb = new StringBuilder();
    for (String line : Files.readAllLines(dir.resolve("examples/tombstones/one.hex"))) {
      sb.append(line.substring(line.indexOf(':') + 1).replace(" ", ""));
    }
    byte[] ex = HexFormat.of().parseHex(sb.toString());
    assertThat(ex).isEqualTo(TombstonesFileTest.resource("one/tombstones"));
    assertThat(TombstonesFile.open(ByteSource.of(ex)).entries())
        .isEqualTo(List.of(new TombstoneEntry(1, 100, 200)));
  }
}
