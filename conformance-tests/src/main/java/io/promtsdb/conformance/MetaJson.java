package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.promtsdb.core.CorruptFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The block {@code meta.json} as far as the suite needs it: read the fields {@code promtool
 * tsdb list} shows, and write a level-1 block's meta the way Prometheus does ({@code
 * json.MarshalIndent} with tabs, no trailing newline, through {@code meta.json.tmp} and a
 * rename). The engine module has the complete model.
 */
final class MetaJson {
  private MetaJson() {}

  static BlockInfo read(Path blockDir) throws IOException {
    Path file = blockDir.resolve("meta.json");
    JsonNode n;
    try {
      n = Json.parse(Files.readAllBytes(file));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new CorruptFormatException(file.toString(), CorruptFormatException.NO_OFFSET, "not JSON: " + e.getOriginalMessage());
    }
    if (!n.isObject() || n.path("version").asInt(-1) != 1) {
      throw new CorruptFormatException(file.toString(), CorruptFormatException.NO_OFFSET,
          "meta.json version: actual " + n.path("version") + " vs expected 1");
    }
    JsonNode stats = n.path("stats");
    return new BlockInfo(
        n.path("ulid").asText(""),
        n.path("minTime").asLong(),
        n.path("maxTime").asLong(),
        stats.path("numSamples").asLong(0),
        stats.path("numSeries").asLong(0),
        stats.path("numChunks").asLong(0));
  }

  /**
   * Writes the meta of a block cut from the head (level 1, itself as its only source). The
   * float/histogram sample counts exist from Prometheus 3.6 on and are omitted when zero.
   */
  static void write(Path blockDir, BlockInfo b, long floatSamples, long histogramSamples, boolean sampleKinds)
      throws IOException {
    StringBuilder s = new StringBuilder();
    s.append("{\n");
    s.append("\t\"ulid\": \"").append(b.ulid()).append("\",\n");
    s.append("\t\"minTime\": ").append(b.minTime()).append(",\n");
    s.append("\t\"maxTime\": ").append(b.maxTime()).append(",\n");
    s.append("\t\"stats\": {");
    StringBuilder st = new StringBuilder();
    field(st, "numSamples", b.numSamples());
    if (sampleKinds) {
      field(st, "numFloatSamples", floatSamples);
      field(st, "numHistogramSamples", histogramSamples);
    }
    field(st, "numSeries", b.numSeries());
    field(st, "numChunks", b.numChunks());
    if (st.length() > 0) {
      s.append(st, 1, st.length()).append("\n\t");
    }
    s.append("},\n");
    s.append("\t\"compaction\": {\n");
    s.append("\t\t\"level\": 1,\n");
    s.append("\t\t\"sources\": [\n\t\t\t\"").append(b.ulid()).append("\"\n\t\t]\n");
    s.append("\t},\n");
    s.append("\t\"version\": 1\n");
    s.append("}");
    Path tmp = blockDir.resolve("meta.json.tmp");
    Files.write(tmp, s.toString().getBytes(StandardCharsets.UTF_8));
    Files.move(tmp, blockDir.resolve("meta.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void field(StringBuilder st, String name, long v) {
    if (v != 0) {
      st.append(",\n\t\t\"").append(name).append("\": ").append(v);
    }
  }
}
