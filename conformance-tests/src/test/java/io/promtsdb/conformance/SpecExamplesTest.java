package io.promtsdb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked examples of the spec's conformance chapter ({@code examples/conformance/}) are
 * what the suite and PromTSDB's adapter really read and print, and the example Python adapter
 * passes the XOR cases.
 */
class SpecExamplesTest {
  private static final Path DIR = Path.of(System.getProperty("promtsdb.spec", "../spec/src/docs/asciidoc"))
      .resolve("examples").resolve("conformance");
  private final Corpus corpus = Corpus.load();

  private static String read(String name) throws IOException {
    return Files.readString(DIR.resolve(name), StandardCharsets.UTF_8);
  }

  @Test
  void exampleCasesAreCorpusCases() throws IOException {
    assertThat(read("case-decode-xor-two-samples.json"))
        .isEqualTo(Files.readString(corpus.root().resolve("cases/decode-chunk/go2.42-xor-two-samples/case.json")));
    assertThat(read("case-tombstones-crc.json"))
        .isEqualTo(Files.readString(corpus.root().resolve("cases/read-tombstones/corrupt-crc-flipped/case.json")));
  }

  @Test
  void describeIsWhatTheAdapterPrints() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(AdapterMain.run(new String[] {"describe"}, System.in, new PrintStream(out, true, StandardCharsets.UTF_8))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(read("describe-promtsdb.json"));
  }

  @Test
  void decodeRequestGivesTheExampleResponse(@TempDir Path tmp) throws IOException {
    Path chunk = Files.copy(corpus.root().resolve("cases/decode-chunk/go2.42-xor-two-samples/chunk.bin"), tmp.resolve("chunk.bin"));
    ObjectNode rq = (ObjectNode) Json.parse(read("request-decode-chunk.json"));
    rq.put("chunk", chunk.toString());
    Response r = PromTsdb.implementation().invoke(Capability.DECODE_CHUNK, rq);
    assertThat(Json.canonical(((Response.Ok) r).output()) + "\n").isEqualTo(read("response-decode-chunk.json"));
  }

  @Test
  void errorExampleIsWhatTheAdapterAnswers(@TempDir Path tmp) throws IOException {
    Path file = Files.copy(corpus.root().resolve("cases/read-tombstones/corrupt-crc-flipped/tombstones"), tmp.resolve("tombstones"));
    ObjectNode rq = (ObjectNode) Json.parse(read("request-read-tombstones.json"));
    rq.put("file", file.toString());
    Response.Error e = (Response.Error) PromTsdb.implementation().invoke(Capability.READ_TOMBSTONES, rq);
    Response.Error example = (Response.Error) Response.fromJson(Json.parse(read("error-response.json")));
    assertThat(e.kind()).isEqualTo(example.kind());
    assertThat(e.file()).isEqualTo(example.file());
    assertThat(e.offset()).isEqualTo(example.offset());
    assertThat(e.message().replace(file.toString(), "")).isEqualTo(example.message().replaceAll("^\\S+tombstones", ""));
  }

  @Test
  void pythonXorAdapterPassesTheXorCases() throws IOException, InterruptedException {
    boolean python;
    try {
      python = new ProcessBuilder("python3", "--version").start().waitFor() == 0;
    } catch (IOException e) {
      python = false;
    }
    if (!python) {
      System.out.println("[conformance] SKIPPED: python3 not found; the Python example adapter was not run");
    }
    Assumptions.assumeTrue(python, "python3 not found");
    try (CommandImplementation impl = new CommandImplementation(
        "python3 '" + DIR.resolve("xor_adapter.py").toAbsolutePath() + "'", Duration.ofMinutes(1))) {
      CaseRunner r = new CaseRunner(corpus, impl, null, Map.of());
      int passed = 0;
      for (ConformanceCase c : corpus.cases(c -> c.id().startsWith("decode-chunk/go2.42-xor-") || c.id().startsWith("decode-chunk/corrupt-"))) {
        CaseResult res = r.run(c);
        assertThat(res.failed()).as(res.toString()).isFalse();
        passed += res.passed() ? 1 : 0;
      }
      r.cleanUp();
      assertThat(passed).isGreaterThan(35);
    }
  }
}
