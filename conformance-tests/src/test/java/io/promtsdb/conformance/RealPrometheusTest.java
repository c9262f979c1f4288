package io.promtsdb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real-Prometheus matrix ({@code mvn -Preal-prometheus verify -pl conformance-tests -am}):
 * PromTSDB against promtool 3.5.3 and 2.53.3 in both directions, and real Prometheus itself
 * against the corpus cases it can run (which checks the corpus). Skips with a message when
 * the binaries are not installed. Reports go to {@code target/conformance-real-prometheus/}.
 */
class RealPrometheusTest {
  private static List<PromtoolImplementation> promtools;

  @BeforeAll
  static void find() {
    promtools = PromtoolImplementation.installed();
    if (promtools.isEmpty()) {
      System.out.println("[conformance] SKIPPED: " + PromtoolImplementation.missingMessage());
    }
  }

  private static void assumeInstalled() {
    Assumptions.assumeFalse(promtools.isEmpty(), PromtoolImplementation.missingMessage());
  }

  private static String run(String... args) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = Runner.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    String text = out.toString(StandardCharsets.UTF_8);
    System.out.println(text);
    assertThat(exit).as("runner exit code; output:\n%s", text).isZero();
    return text;
  }

  @Test
  void promtsdbAgainstRealPrometheus() throws IOException {
    assumeInstalled();
    Path report = Path.of("target", "conformance-real-prometheus", "promtsdb");
    String text = run("--impl", "builtin", "--quiet", "--report", report.toString(),
        "--prometheus-home", PromtoolImplementation.home().toString());
    for (PromtoolImplementation p : promtools) {
      assertThat(text).contains(p.id());
    }
    assertThat(text).containsPattern("matrix +\\d+ passed, 0 failed");
    assertThat(Files.readString(report.resolve("report.html"))).contains("every applicable MUST case passes");
  }

  @Test
  void realPrometheusPassesItsCorpusCases() throws IOException {
    assumeInstalled();
    for (PromtoolImplementation p : promtools) {
      String text = run("--impl", "promtool:" + p.version(), "--no-matrix", "--quiet",
          "--prometheus-home", PromtoolImplementation.home().toString(),
          "--report", Path.of("target", "conformance-real-prometheus", p.id()).toString());
      assertThat(text).containsPattern("dump-dir +9 passed").containsPattern("write-blocks +3 passed").containsPattern("list-blocks +3 passed");
    }
  }
}
