package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** verify, inspect, the extras, the bundled sample, exit codes and error lines. */
class CliToolsTest {
  @TempDir Path tmp;

  private static CliFixtureTest.Result run(String... args) {
    return CliFixtureTest.run(args);
  }

  private Path copy(String fixture, String which) throws IOException {
    Path src = TestData.path("fixtures/" + fixture + "/" + which);
    Path dst = tmp.resolve(fixture + "-" + which);
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return dst;
  }

  @Test
  void verifyPassesOnEveryFixture() {
    for (String f : TestData.FIXTURES) {
      for (String which : List.of("data", "crash")) {
        Path dir = TestData.path("fixtures/" + f + "/" + which);
        CliFixtureTest.Result r = run("tsdb", "verify", dir.toString());
        assertThat(r.code()).as(dir + ": " + r.out() + r.err()).isZero();
        assertThat(r.out()).contains("no problems found").contains("ok   wal");
      }
    }
  }

  @Test
  void verifyNamesFileAndOffsetOfEachProblem() throws IOException {
    Path dir = copy("p3-none", "data");
    Path chunks = dir.resolve("01M80DT7A5E0KSN4SD4GDWTGQ9/chunks/000001");
    try (RandomAccessFile f = new RandomAccessFile(chunks.toFile(), "rw")) {
      f.seek(20);
      int b = f.read();
      f.seek(20);
      f.write(b ^ 1);
    }
    Path meta = dir.resolve("01M80DT7BX1K0YP1GGP08TPJDG/meta.json");
    Files.writeString(meta, Files.readString(meta).replace("\"numSamples\": 40", "\"numSamples\": 41"));
    CliFixtureTest.Result r = run("tsdb", "verify", dir.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.out())
        .contains("FAIL " + chunks)
        .contains("offset")
        .contains("stats.numSamples: actual 40 vs meta.json 41")
        .contains("2 problem(s) found");
  }

  @Test
  void inspectShowsEveryKindOfFile() throws IOException {
    Path data = TestData.path("fixtures/p3-snappy/data");
    List<Path> files;
    try (Stream<Path> s = Files.walk(data)) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertThat(files).hasSizeGreaterThan(20);
    for (Path f : files) {
      CliFixtureTest.Result r = run("tsdb", "inspect", "--limit", "2", f.toString());
      assertThat(r.code()).as(f + ": " + r.err()).isZero();
      String kind = f.getFileName().toString();
      if (kind.equals("index")) {
        assertThat(r.out()).contains("TOC at").contains("postings offset table at").contains("(the all-series list)");
      } else if (kind.equals("meta.json")) {
        assertThat(r.out()).contains("bytes are exactly what Go's json.MarshalIndent writes");
      } else if (kind.equals("tombstones")) {
        assertThat(r.out()).contains("magic 0x0130BA30");
      } else if (f.getParent().getFileName().toString().equals("chunks")) {
        assertThat(r.out()).contains("magic 0x85BD40DD").contains("every CRC32C verified");
      } else if (f.getParent().getFileName().toString().equals("chunks_head")) {
        assertThat(r.out()).contains("magic 0x0130BC91");
      } else {
        assertThat(r.out()).contains("fragments").contains("records");
      }
    }
  }

  @Test
  void inspectOfSomethingElseIsAOneLineError() throws IOException {
    Path f = tmp.resolve("notes.txt");
    Files.writeString(f, "hello");
    CliFixtureTest.Result r = run("tsdb", "inspect", f.toString());
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.err().strip()).doesNotContain("\n").contains(f.toString()).contains("not a TSDB file");
  }

  @Test
  void analyzeExtrasCompressionAndHtml() throws IOException {
    Path dir = TestData.path("fixtures/p3-none/data");
    Path html = tmp.resolve("report.html");
    CliFixtureTest.Result r =
        run("tsdb", "analyze", "--extras", "--compression", "--html", html.toString(), dir.toString(), "01M80DT7A5E0KSN4SD4GDWTGQ9");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("Block ID: 01M80DT7A5E0KSN4SD4GDWTGQ9")
        .contains("BYTES/SAMPLE")
        .contains("XOR (stored chunks)")
        .contains("XOR2")
        .contains("LZ4 over raw")
        .contains("zstd over delta-of-delta varint");
    String h = Files.readString(html, StandardCharsets.UTF_8);
    assertThat(h).startsWith("<!DOCTYPE html>").contains("<svg").contains("Block timeline").contains("Series churn")
        .contains("Chunk fullness").doesNotContain("<script").doesNotContain("http://").doesNotContain("https://");
  }

  @Test
  void withoutAPathAndWithoutDataItReadsTheBundledSample() throws IOException {
    // Run from a directory without data/ (the test's working directory is the module dir).
    assertThat(Files.exists(Path.of("data"))).isFalse();
    CliFixtureTest.Result r = run("tsdb", "list");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.err()).contains("bundled sample");
    assertThat(r.out()).isEqualTo(Files.readString(TestData.path("fixtures/p3-none/expected/list.txt")));
  }

  @Test
  void bundledSampleListMatchesTheFixture() throws IOException {
    Path src = TestData.path("fixtures/p3-none/data");
    List<String> files;
    try (Stream<Path> s = Files.walk(src)) {
      files = s.filter(Files::isRegularFile).map(p -> src.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }
    List<String> listed;
    try (var in = DataDirs.class.getResourceAsStream("sample-files.txt")) {
      listed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
    assertThat(listed).isEqualTo(files);
  }

  @Test
  void exitCodesAndOneLineErrors() {
    CliFixtureTest.Result missing = run("tsdb", "list", tmp.resolve("nope").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err().strip()).doesNotContain("\n").contains("nope");

    CliFixtureTest.Result usage = run("tsdb", "dump", "--min-time", "soon");
    assertThat(usage.code()).isEqualTo(2);

    CliFixtureTest.Result badSelector =
        run("tsdb", "dump", "--match", "{a=~\"(\"}", TestData.path("fixtures/p3-none/data").toString());
    assertThat(badSelector.code()).isEqualTo(1);
    assertThat(badSelector.err().strip()).isEqualTo("1:2: parse error: error parsing regexp: missing closing ): `(`");

    CliFixtureTest.Result noCommand = run();
    assertThat(noCommand.code()).isEqualTo(2);

    // A reader that stops early (| head): no message, status 141.
    java.io.OutputStream closing =
        new java.io.OutputStream() {
          private long n;

          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            n += len;
            if (n > 100_000) {
              throw new IOException("Broken pipe");
            }
          }
        };
    java.io.ByteArrayOutputStream errBytes = new java.io.ByteArrayOutputStream();
    int code =
        Main.run(
            new String[] {"tsdb", "dump", TestData.path("fixtures/p3-none/data").toString()},
            closing,
            new java.io.PrintStream(errBytes, true, java.nio.charset.StandardCharsets.UTF_8),
            false);
    assertThat(code).isEqualTo(141);
    assertThat(errBytes.toString(java.nio.charset.StandardCharsets.UTF_8)).isEmpty();

    CliFixtureTest.Result badBlock = run("tsdb", "analyze", TestData.path("fixtures/p3-none/data").toString(), "01M80DT7A5E0KSN4SD4GDWTGQX");
    assertThat(badBlock.code()).isEqualTo(1);
    assertThat(badBlock.err()).contains("invalid block ID 01M80DT7A5E0KSN4SD4GDWTGQX");
  }

  @Test
  void skipCorruptListsTheOthers() throws IOException {
    Path dir = copy("p3-none", "data");
    Path index = dir.resolve("01M80DQJH0BESSQ6C48W8X23M5/index");
    try (RandomAccessFile f = new RandomAccessFile(index.toFile(), "rw")) {
      f.setLength(f.length() - 1);
    }
    CliFixtureTest.Result failing = run("tsdb", "list", dir.toString());
    assertThat(failing.code()).isEqualTo(1);
    assertThat(failing.err().strip()).doesNotContain("\n").contains("01M80DQJH0BESSQ6C48W8X23M5").contains(index.toString());
    CliFixtureTest.Result skipping = run("tsdb", "list", "--skip-corrupt", dir.toString());
    assertThat(skipping.code()).isZero();
    assertThat(skipping.out().lines()).hasSize(3).noneMatch(l -> l.contains("01M80DQJH0BESSQ6C48W8X23M5"));
    assertThat(skipping.err()).contains("warning: skipped corrupted block 01M80DQJH0BESSQ6C48W8X23M5");
  }
}
