package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One case of the corpus: the {@code case.json} of directory {@code cases/<id>/}.
 *
 * @param id the directory path under {@code cases/}, e.g. {@code read-index/go-one-series-go242}
 * @param capabilityName the capability as written; {@link #capability()} is null when this
 *     suite does not know it (a newer corpus)
 * @param prometheus the Prometheus versions the expected behaviour holds for
 * @param source where the expected outcome comes from (which Go code or binary)
 * @param request the request template, with {@code $file}, {@code $output}, {@code
 *     $output_dir} and {@code $include} markers
 * @param expect what must come back
 */
public record ConformanceCase(
    String id,
    String capabilityName,
    Capability capability,
    Level level,
    PrometheusVersion.Range prometheus,
    String description,
    String source,
    ObjectNode request,
    ObjectNode expect,
    Path dir) {

  /** Parses {@code dir/case.json}. */
  public static ConformanceCase read(String id, Path dir) throws IOException {
    JsonNode n = Json.read(dir.resolve("case.json"));
    String path = id + "/case.json";
    String cap = Canonical.text(Canonical.member(n, "capability", path), path + ".capability");
    JsonNode request = Canonical.member(n, "request", path);
    JsonNode expect = Canonical.member(n, "expect", path);
    if (!request.isObject() || !expect.isObject()) {
      throw new Canonical.MalformedJsonException(path, "request and expect must be objects");
    }
    return new ConformanceCase(
        id,
        cap,
        Capability.forName(cap),
        Level.parse(Canonical.text(Canonical.member(n, "level", path), path + ".level")),
        PrometheusVersion.Range.parse(Canonical.text(Canonical.member(n, "prometheus", path), path + ".prometheus")),
        n.path("description").asText(""),
        n.path("source").asText(""),
        (ObjectNode) request,
        (ObjectNode) expect,
        dir);
  }

  /** Whether the case expects an error. */
  public boolean negative() {
    return expect.has("error");
  }

  @Override
  public String toString() {
    return id + " [" + level + "]";
  }
}
