package io.promtsdb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** {@code java -jar conformance.jar} as a user runs it, without real Prometheus. */
class RunnerTest {
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = Runner.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void runsSelectedCasesAndTheMatrixAndWritesReports(@TempDir Path tmp) throws Exception {
    Path noPrometheus = Files.createDirectories(tmp.resolve("empty-home"));
    Run r = run("--case", "read-tombstones/**", "--case", "decode-chunk/go2.42-xor-dod-*", "--capability", "read-tombstones",
        "--capability", "decode-chunk", "--report", tmp.resolve("report").toString(),
        "--prometheus-home", noPrometheus.toString());
    assertThat(r.exit).as(r.out + r.err).isZero();
    assertThat(r.out)
        .contains("NOTE: real Prometheus not found")
        .containsPattern("read-tombstones +11 passed, 0 failed, 0 skipped")
        .containsPattern("decode-chunk +25 passed, 0 failed, 0 skipped")
        .containsPattern("matrix +\\d+ passed, 0 failed, 0 skipped");
    String[] lines = r.out.strip().split("\n");
    assertThat(lines[lines.length - 1]).matches("\\d+ passed, 0 failed, 0 skipped");

    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(tmp.resolve("report").resolve("TEST-conformance-promtsdb.xml").toFile());
    Element root = xml.getDocumentElement();
    assertThat(root.getTagName()).isEqualTo("testsuites");
    assertThat(Integer.parseInt(root.getAttribute("failures"))).isZero();
    assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(Integer.parseInt(lines[lines.length - 1].split(" ")[0]));
    String html = Files.readString(tmp.resolve("report").resolve("report.html"));
    assertThat(html).contains("every applicable MUST case passes").doesNotContain("<script src").doesNotContain("<link");
  }

  @Test
  void failuresSetTheExitCodeAndAreReported(@TempDir Path tmp) throws Exception {
    // A command adapter that answers every decode with no samples.
    Path script = tmp.resolve("adapter.sh");
    Files.writeString(script, """
        #!/bin/sh
        case "$1" in
          describe) echo '{"name":"empty","version":"1","targets":["3.5.3"],"capabilities":["decode-chunk"]}';;
          *) echo '{"samples":[]}';;
        esac
        """);
    script.toFile().setExecutable(true);
    Run r = run("--impl", script.toString(), "--case", "decode-chunk/go2.42-xor-single-sample", "--case", "decode-chunk/corrupt-xor-empty",
        "--no-matrix", "--report", tmp.resolve("r").toString(), "--prometheus-home", tmp.toString());
    assertThat(r.exit).isEqualTo(1);
    assertThat(r.out).contains("FAIL decode-chunk/go2.42-xor-single-sample [MUST]")
        .contains("FAIL decode-chunk/corrupt-xor-empty [SHOULD]").contains("1 MUST case(s) failed").endsWith("0 passed, 2 failed, 0 skipped\n");
    String html = Files.readString(tmp.resolve("r").resolve("report.html"));
    assertThat(html).contains("1 MUST case(s) fail").contains("no error, expected corrupt");
  }

  @Test
  void usageErrorsExitWithTwo() throws IOException {
    Run r = run("--no-such-option");
    assertThat(r.exit).isEqualTo(2);
    assertThat(r.err).contains("unknown option --no-such-option").contains("Usage: java -jar conformance.jar");
    assertThat(run("--capability", "decode-everything").exit).isEqualTo(2);
  }

  @Test
  void listsAndExportsTheCorpus(@TempDir Path tmp) throws IOException {
    Run list = run("--list", "--level", "MUST", "--capability", "read-wal");
    assertThat(list.exit).isZero();
    assertThat(list.out).contains("read-wal/corrupt-payload-bit-flip").doesNotContain("SHOULD").contains(" cases");
    Run export = run("--export-corpus", tmp.resolve("corpus").toString());
    assertThat(export.exit).isZero();
    assertThat(Corpus.open(tmp.resolve("corpus")).cases()).hasSameSizeAs(Corpus.load().cases());
  }

  @Test
  void optOutsSkipWithTheirReason(@TempDir Path tmp) throws IOException {
    Path f = Files.writeString(tmp.resolve("opt-outs.txt"), "# comment\nread-tombstones/go-*  we only read empty files\n");
    Run r = run("--case", "read-tombstones/**", "--opt-out", f.toString(), "--no-matrix");
    assertThat(r.exit).isZero();
    assertThat(r.out).contains("skip read-tombstones/go-many [MUST]: opted out: we only read empty files")
        .endsWith("8 passed, 0 failed, 3 skipped\n");
  }
}
