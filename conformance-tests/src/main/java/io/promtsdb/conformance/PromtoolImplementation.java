package io.promtsdb.conformance;

import static io.promtsdb.conformance.Canonical.member;
import static io.promtsdb.conformance.Canonical.text;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Real Prometheus as an implementation under test, through {@code promtool tsdb}: {@code
 * dump-dir} ({@code promtool tsdb dump}, answered as promtool's text, compared through the
 * dump projection), {@code write-blocks} ({@code create-blocks-from openmetrics}) and {@code
 * list-blocks} ({@code promtool tsdb list}).
 *
 * <p>Binaries are found as {@code <home>/<version>/promtool}, {@code <home>} being {@code
 * $PROMTSDB_PROMETHEUS_HOME}, the system property {@code promtsdb.prometheus.home}, or
 * {@code ~/.cache/promtsdb/prometheus} ({@code scripts/install-prometheus.sh} installs there).
 */
public final class PromtoolImplementation implements Implementation {
  /** The versions the project tests against. */
  public static final List<String> VERSIONS = List.of("3.5.3", "2.53.3");

  private final String version;
  private final Path promtool;

  public PromtoolImplementation(String version, Path promtool) {
    this.version = version;
    this.promtool = promtool;
  }

  /** Where the binaries are looked for. */
  public static Path home() {
    String env = System.getenv("PROMTSDB_PROMETHEUS_HOME");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    String prop = System.getProperty("promtsdb.prometheus.home");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "promtsdb", "prometheus");
  }

  /** promtool {@code version} under {@link #home()}, if it is there and runs. */
  public static Optional<PromtoolImplementation> find(String version) {
    return find(home(), version);
  }

  public static Optional<PromtoolImplementation> find(Path home, String version) {
    Path p = home.resolve(version).resolve("promtool");
    if (!Files.isExecutable(p)) {
      return Optional.empty();
    }
    return Optional.of(new PromtoolImplementation(version, p));
  }

  /** Every installed version of {@link #VERSIONS}. */
  public static List<PromtoolImplementation> installed() {
    List<PromtoolImplementation> out = new ArrayList<>();
    for (String v : VERSIONS) {
      find(v).ifPresent(out::add);
    }
    return out;
  }

  /** The message to print when no binaries are found. */
  public static String missingMessage() {
    return "real Prometheus not found: no " + home() + "/{" + String.join(",", VERSIONS)
        + "}/promtool (set PROMTSDB_PROMETHEUS_HOME, or run scripts/install-prometheus.sh)";
  }

  public String version() {
    return version;
  }

  @Override
  public String id() {
    return "promtool-" + version;
  }

  @Override
  public Description describe() {
    return new Description("promtool " + version, version, List.of(version),
        EnumSet.of(Capability.DUMP_DIR, Capability.WRITE_BLOCKS, Capability.LIST_BLOCKS), false);
  }

  @Override
  public Response invoke(Capability c, ObjectNode rq) throws IOException {
    try {
      return switch (c) {
        case DUMP_DIR -> dump(rq);
        case WRITE_BLOCKS -> createBlocks(rq);
        case LIST_BLOCKS -> list(rq);
        default -> new Response.Error(ErrorKind.UNSUPPORTED, null, null, "promtool has no " + c);
      };
    } catch (Canonical.MalformedJsonException e) {
      return new Response.Error(ErrorKind.UNSUPPORTED, null, null, "malformed request: " + e.getMessage());
    }
  }

  private Response dump(ObjectNode rq) throws IOException {
    Path dir = Path.of(text(member(rq, "dir", "$"), "$.dir"));
    Path tmp = Files.createTempDirectory("promtool-dump-");
    try {
      Path db = dir;
      if (!Files.isDirectory(dir.resolve("wal"))) {
        // promtool refuses a data dir without wal/ (3.x: "find last checkpoint"); dump a copy.
        db = tmp.resolve("db");
        Corpus.copyTree(dir, db);
        Files.createDirectories(db.resolve("wal"));
      }
      Path sandbox = Files.createDirectories(tmp.resolve("sandbox"));
      List<String> argv = new ArrayList<>(List.of(promtool.toString(), "tsdb", "dump", "--sandbox-dir-root=" + sandbox));
      if (rq.has("min_time")) {
        argv.add("--min-time=" + rq.get("min_time").asLong());
      }
      if (rq.has("max_time")) {
        argv.add("--max-time=" + rq.get("max_time").asLong());
      }
      argv.add(db.toString());
      Run r = run(argv);
      if (r.exit != 0) {
        return new Response.Error(ErrorKind.CORRUPT, null, null, lastLine(r.stderr));
      }
      ObjectNode o = Json.object();
      o.put(DumpText.PROMTOOL_TEXT, r.stdout);
      return new Response.Ok(o);
    } finally {
      Corpus.deleteQuietly(tmp);
    }
  }

  private Response createBlocks(ObjectNode rq) throws IOException {
    Path om = Path.of(text(member(rq, "openmetrics", "$"), "$.openmetrics"));
    Path out = Path.of(text(member(rq, "output", "$"), "$.output"));
    Run r = run(List.of(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics", "--quiet", om.toString(), out.toString()));
    if (r.exit != 0) {
      return new Response.Error(ErrorKind.CORRUPT, null, null, lastLine(r.stderr));
    }
    ObjectNode o = Json.object();
    ArrayNode a = o.putArray("blocks");
    for (Path b : CaseRunner.blockDirs(out)) {
      a.add(b.getFileName().toString());
    }
    return new Response.Ok(o);
  }

  private Response list(ObjectNode rq) throws IOException {
    Path dir = Path.of(text(member(rq, "dir", "$"), "$.dir"));
    Run r = run(List.of(promtool.toString(), "tsdb", "list", dir.toString()));
    if (r.exit != 0) {
      return new Response.Error(ErrorKind.CORRUPT, null, null, lastLine(r.stderr));
    }
    List<BlockInfo> blocks = new ArrayList<>();
    String[] lines = r.stdout.strip().split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].trim().split("\\s+");
      if (f.length < 7) {
        continue;
      }
      blocks.add(new BlockInfo(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]),
          Long.parseLong(f[4]), Long.parseLong(f[6]), Long.parseLong(f[5])));
    }
    blocks.sort(java.util.Comparator.comparingLong(BlockInfo::minTime).thenComparing(BlockInfo::ulid));
    return new Response.Ok(CapabilityJson.listOutput(blocks));
  }

  private record Run(int exit, String stdout, String stderr) {}

  private static Run run(List<String> argv) throws IOException {
    Process p = new ProcessBuilder(argv).start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
    try {
      if (!p.waitFor(10, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new IOException("promtool did not finish in 10 minutes: " + argv);
      }
      return new Run(p.exitValue(), new String(out.get(), StandardCharsets.UTF_8), new String(err.get(), StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException(e);
    }
  }

  private static byte[] readAll(java.io.InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }

  private static String lastLine(String s) {
    String[] lines = s.strip().split("\n");
    return lines.length == 0 ? "" : lines[lines.length - 1];
  }
}
