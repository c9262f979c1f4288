package io.promtsdb.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter contract over a process boundary: PromTSDB's adapter command, and one that misbehaves. */
class CommandImplementationTest {
  private static String java(Class<?> main) {
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    return "'" + javaBin + "' -cp '" + System.getProperty("java.class.path") + "' " + main.getName();
  }

  @Test
  void splitsLikeAShell() {
    assertThat(CommandImplementation.split("a 'b c' \"d \\\"e\" f\\ g  ")).containsExactly("a", "b c", "d \"e", "f g");
    assertThatThrownBy(() -> CommandImplementation.split("a 'b")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void exitCodesAndOutputAreInterpreted() {
    assertThat(CommandImplementation.interpret(0, "{\"samples\":[]}", "")).isInstanceOf(Response.Ok.class);
    assertThat(((Response.Error) CommandImplementation.interpret(0, "{\"error\":{}}", "")).kind()).isEqualTo(ErrorKind.CRASH);
    Response.Error e = (Response.Error) CommandImplementation.interpret(1, "{\"error\":{\"kind\":\"corrupt\",\"file\":\"index\",\"offset\":12,\"message\":\"m\"}}", "");
    assertThat(e).isEqualTo(new Response.Error(ErrorKind.CORRUPT, "index", 12L, "m"));
    assertThat(((Response.Error) CommandImplementation.interpret(1, "{\"error\":{\"kind\":\"crash\"}}", "")).kind()).isEqualTo(ErrorKind.CRASH);
    assertThat(((Response.Error) CommandImplementation.interpret(1, "", "boom")).kind()).isEqualTo(ErrorKind.CRASH);
    assertThat(((Response.Error) CommandImplementation.interpret(2, "", "no")).kind()).isEqualTo(ErrorKind.UNSUPPORTED);
    assertThat(((Response.Error) CommandImplementation.interpret(139, "", "segfault")).kind()).isEqualTo(ErrorKind.CRASH);
    assertThat(((Response.Error) CommandImplementation.interpret(0, "{not json", "")).kind()).isEqualTo(ErrorKind.CRASH);
  }

  /**
   * PromTSDB's adapter in serve mode (one JVM) passes what it passes in process, on a sample
   * of every capability it has (the whole corpus through the command takes half a minute).
   */
  @Test
  void promtsdbAdapterInServeModePassesASampleOfEveryCapability() throws IOException {
    Corpus corpus = Corpus.load();
    try (CommandImplementation impl = new CommandImplementation(java(AdapterMain.class), Duration.ofMinutes(2))) {
      assertThat(impl.describe().serve()).isTrue();
      assertThat(impl.describe().capabilities()).isEqualTo(PromTsdb.implementation().describe().capabilities());
      CaseRunner r = new CaseRunner(corpus, impl, null, Map.of());
      List<CaseResult> results = new ArrayList<>();
      java.util.Map<Capability, Integer> perCapability = new java.util.EnumMap<>(Capability.class);
      for (ConformanceCase c : corpus.cases()) {
        if (c.capability() != null && (c.negative() || perCapability.getOrDefault(c.capability(), 0) < 3)
            && !c.id().contains("unicode-1000") && !c.id().contains("pages-") && !c.id().contains("segments-")
            && !(c.id().contains("fixture") && (c.capability() == Capability.READ_BLOCK || c.capability() == Capability.READ_WAL))) {
          perCapability.merge(c.capability(), 1, Integer::sum);
          results.add(r.run(c));
        }
      }
      r.cleanUp();
      assertThat(results).hasSizeGreaterThan(60).allSatisfy(res -> assertThat(res.failed()).as(res.toString()).isFalse());
      assertThat(results.stream().filter(CaseResult::passed).map(CaseResult::capability).distinct())
          .hasSizeGreaterThanOrEqualTo(11);
    }
  }

  /** The per-call protocol (no serve): one process per request, exit codes carry the outcome. */
  @Test
  void execModeAnswersAndReportsErrors(@TempDir Path tmp) throws IOException {
    try (CommandImplementation exec = new CommandImplementation(java(ExecOnlyAdapter.class), Duration.ofMinutes(1))) {
      assertThat(exec.describe().serve()).isFalse();
      Path bad = Files.write(tmp.resolve("chunk.bin"), new byte[] {0, 5});
      Response r = exec.invoke(Capability.DECODE_CHUNK, request("{\"encoding\":1,\"chunk\":\"" + bad + "\",\"target\":\"3.5.3\"}"));
      assertThat(r).isInstanceOf(Response.Error.class);
      assertThat(((Response.Error) r).kind()).isEqualTo(ErrorKind.CORRUPT);
      Path good = Files.write(tmp.resolve("good.bin"), java.util.HexFormat.of().parseHex("0001d00f3ff0000000000000"));
      Response ok = exec.invoke(Capability.DECODE_CHUNK, request("{\"encoding\":1,\"chunk\":\"" + good + "\",\"target\":\"3.5.3\"}"));
      assertThat(Json.canonical(((Response.Ok) ok).output())).isEqualTo("{\"samples\":[{\"t\":1000,\"v\":\"0x3ff0000000000000\"}]}");
    }
  }

  @Test
  void misbehavingAdaptersAreCrashesNotHangs(@TempDir Path tmp) throws IOException {
    try (CommandImplementation impl = new CommandImplementation(java(MisbehavingAdapter.class), Duration.ofSeconds(5))) {
      assertThat(impl.describe().capabilities()).containsExactly(Capability.DECODE_CHUNK);
      for (int mode = 1; mode <= 5; mode++) {
        Path f = Files.write(tmp.resolve("m" + mode), new byte[] {(byte) mode});
        Response r = impl.invoke(Capability.DECODE_CHUNK, request("{\"encoding\":1,\"chunk\":\"" + f + "\"}"));
        ErrorKind expected = switch (mode) {
          case 4 -> ErrorKind.CHECKSUM_MISMATCH;
          case 5 -> ErrorKind.UNSUPPORTED;
          default -> ErrorKind.CRASH;
        };
        assertThat(((Response.Error) r).kind()).as("mode %d: %s", mode, r).isEqualTo(expected);
      }
    }
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode request(String json) throws IOException {
    return (com.fasterxml.jackson.databind.node.ObjectNode) Json.parse(json);
  }
}
