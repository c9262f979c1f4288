package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.promtsdb.conformance.CaseResult;
import io.promtsdb.conformance.CaseRunner;
import io.promtsdb.conformance.CommandImplementation;
import io.promtsdb.conformance.ConformanceCase;
import io.promtsdb.conformance.Corpus;
import io.promtsdb.conformance.Implementation;
import io.promtsdb.conformance.Matrix;
import io.promtsdb.conformance.PromTsdb;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The whole conformance corpus and cross matrix against the shaded {@code promtsdb.jar}
 * (what {@code ./promtsdb adapter} runs) as an external command, through the runner's {@link
 * CommandImplementation}: every case ends as it does in process, and every matrix pair between
 * the command and PromTSDB in process passes. Runs after {@code package} (surefire execution
 * {@code adapter-jar}, phase integration-test), when the jar exists.
 */
class AdapterJarIT {
  private static String command() {
    String property = System.getProperty("promtsdb.jar");
    // Set by the adapter-jar execution only: under the unit-test execution (-Dtest=...) the
    // jar may be stale or missing.
    assumeTrue(property != null, "runs in the adapter-jar execution, after package");
    Path jar = Path.of(property).toAbsolutePath();
    assertThat(jar).as("the shaded jar (mvn package)").exists();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    return "'" + java + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar '" + jar + "' adapter";
  }

  private static Map<String, CaseResult> run(Corpus corpus, Implementation impl) throws IOException {
    CaseRunner runner = new CaseRunner(corpus, impl, null, Map.of());
    Map<String, CaseResult> out = new LinkedHashMap<>();
    try {
      for (ConformanceCase c : corpus.cases()) {
        out.put(c.id(), runner.run(c));
      }
    } finally {
      runner.cleanUp();
    }
    return out;
  }

  @Test
  void theCommandPassesWhatPromTsdbPassesInProcess() throws IOException {
    Corpus corpus = Corpus.load();
    Map<String, CaseResult> inProcess = run(corpus, AdapterCommand.implementation());
    try (CommandImplementation cmd = new CommandImplementation(command(), Duration.ofMinutes(5))) {
      assertThat(cmd.describe().serve()).isTrue();
      assertThat(cmd.describe().capabilities()).isEqualTo(java.util.EnumSet.allOf(io.promtsdb.conformance.Capability.class));
      Map<String, CaseResult> external = run(corpus, cmd);
      assertThat(external.keySet()).isEqualTo(inProcess.keySet());
      for (String id : inProcess.keySet()) {
        CaseResult a = inProcess.get(id);
        CaseResult b = external.get(id);
        assertThat(b.outcome()).as("%s\n in process: %s\n command:    %s", id, a, b).isEqualTo(a.outcome());
      }
      assertThat(inProcess.values()).noneMatch(CaseResult::failed);
      // Every case applies to the command (it has every capability and targets 2.x and 3.x).
      assertThat(external.values()).allMatch(CaseResult::passed);
      long passed = external.values().stream().filter(CaseResult::passed).count();
      System.out.printf("[adapter-jar] corpus: %d cases passed through %s%n", passed, command());

      List<CaseResult> pairs = new Matrix(corpus, List.of(PromTsdb.implementation(), cmd)).run(r -> {});
      List<CaseResult> withCommand = pairs.stream()
          .filter(r -> r.id().contains("->" + cmd.id()) || r.id().contains(cmd.id() + "->")).toList();
      assertThat(withCommand).hasSizeGreaterThan(20);
      assertThat(withCommand).allSatisfy(r -> assertThat(r.failed()).as(r + "\n" + r.detail()).isFalse());
      assertThat(withCommand.stream().filter(r -> r.capability().equals("dump-dir"))).isNotEmpty();
      assertThat(withCommand.stream().filter(r -> r.id().startsWith("matrix/write-blocks/openmetrics/" + cmd.id() + "->"))).isNotEmpty();
    }
  }

  @Test
  void theLauncherScriptRunsTheAdapter() throws Exception {
    command();
    // ./promtsdb runs this same jar (cli/target/promtsdb.jar); no class data archive here.
    Path script = Path.of("..", "promtsdb").toAbsolutePath().normalize();
    ProcessBuilder pb = new ProcessBuilder("sh", script.toString(), "adapter", "describe").redirectErrorStream(false);
    pb.environment().put("PROMTSDB_NO_CDS", "1");
    pb.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + java.io.File.pathSeparator
        + System.getenv().getOrDefault("PATH", ""));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(err).isZero();
    assertThat(out).startsWith("{\"name\":\"promtsdb\"").contains("\"dump-dir\"").endsWith("}\n");
  }
}
