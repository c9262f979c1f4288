package io.promtsdb.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code promtsdb adapter}: the conformance contract's answers and exit codes, in process. */
class AdapterCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;

  private static CliFixtureTest.Result run(String... args) {
    return CliFixtureTest.run(args);
  }

  @Test
  void describeListsEveryCapability() throws IOException {
    CliFixtureTest.Result r = run("adapter", "describe");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).endsWith("\n");
    JsonNode d = JSON.readTree(r.out());
    assertThat(d.get("name").asText()).isEqualTo("promtsdb");
    assertThat(d.get("serve").asBoolean()).isTrue();
    List<String> caps = new ArrayList<>();
    d.get("capabilities").forEach(c -> caps.add(c.asText()));
    assertThat(caps).containsExactly("decode-chunk", "encode-chunk", "read-index", "write-index", "read-wal", "write-wal",
        "read-tombstones", "write-tombstones", "read-block", "write-block", "dump-dir", "write-blocks", "list-blocks");
    assertThat(d.has("missing")).isFalse();
  }

  @Test
  void answersARequestFileWithTheContractsExitCodes() throws IOException {
    // Two samples written by Prometheus 2.42's XORChunk (the spec's worked example).
    Path good = Files.write(tmp.resolve("good.bin"), java.util.HexFormat.of().parseHex("0002d00f3ff00000000000009875c25fff"));
    Path rq = Files.writeString(tmp.resolve("rq.json"),
        "{\"encoding\":1,\"chunk\":\"" + good + "\",\"target\":\"3.5.3\"}");
    CliFixtureTest.Result ok = run("adapter", "decode-chunk", rq.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    JsonNode samples = JSON.readTree(ok.out()).get("samples");
    assertThat(samples).hasSize(2);
    assertThat(samples.get(0).get("t").asLong()).isEqualTo(1000);
    assertThat(samples.get(0).get("v").asText()).isEqualTo("0x3ff0000000000000");

    Path bad = Files.write(tmp.resolve("bad.bin"), new byte[] {0, 5});
    Files.writeString(rq, "{\"encoding\":1,\"chunk\":\"" + bad + "\",\"target\":\"3.5.3\"}");
    CliFixtureTest.Result corrupt = run("adapter", "decode-chunk", rq.toString());
    assertThat(corrupt.code()).isEqualTo(1);
    assertThat(JSON.readTree(corrupt.out()).get("error").get("kind").asText()).isEqualTo("corrupt");

    CliFixtureTest.Result unknown = run("adapter", "frobnicate", rq.toString());
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(JSON.readTree(unknown.out()).get("error").get("kind").asText()).isEqualTo("unsupported");

    assertThat(run("adapter").code()).isEqualTo(2);
  }

  @Test
  void dumpDirAnswersWhatTheDumpCommandPrints() throws IOException {
    Path dir = TestData.path("fixtures/p3-none/data");
    Path rq = Files.writeString(tmp.resolve("rq.json"), "{\"dir\":\"" + dir + "\",\"target\":\"3.5.3\"}");
    CliFixtureTest.Result r = run("adapter", "dump-dir", rq.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode series = JSON.readTree(r.out()).get("series");
    long samples = 0;
    for (JsonNode s : series) {
      samples += s.get("samples").size();
    }
    // Every sample, where promtool's printing loop drops some of the histogram samples (the
    // conformance corpus compares through its dump projection).
    long lines = CliFixtureTest.run("tsdb", "dump", dir.toString()).out().lines().count();
    assertThat(series.size()).isGreaterThan(10);
    assertThat(samples).isGreaterThanOrEqualTo(lines).isLessThan(lines + 3L * series.size());
  }
}
