package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeMap;

/**
 * Counts that describe a large output, stored next to its digest ({@code output_sha256}) so
 * that a mismatch says more than "differs". The same counts as the corpus generator's.
 */
final class Summaries {
  private Summaries() {}

  private static final String[] WAL_ENTRY_KINDS = {
    "series", "samples", "tombstones", "exemplars", "markers", "metadata", "histograms", "float_histograms"
  };

  static JsonNode of(Capability c, JsonNode output) {
    ObjectNode o = Json.object();
    switch (c) {
      case READ_WAL -> {
        JsonNode records = output.path("records");
        TreeMap<Integer, Integer> byType = new TreeMap<>();
        long entries = 0;
        for (JsonNode r : records) {
          byType.merge(r.path("type").asInt(), 1, Integer::sum);
          for (String k : WAL_ENTRY_KINDS) {
            entries += r.path(k).size();
          }
        }
        o.put("records", records.size());
        ObjectNode by = o.putObject("by_type");
        byType.forEach((k, v) -> by.put(String.valueOf(k), v));
        o.put("entries", entries);
      }
      case READ_BLOCK -> {
        long chunks = 0;
        long samples = 0;
        for (JsonNode s : output.path("series")) {
          for (JsonNode ch : s.path("chunks")) {
            chunks++;
            samples += ch.path("samples").size();
          }
        }
        o.put("series", output.path("series").size());
        o.put("chunks", chunks);
        o.put("samples", samples);
      }
      case READ_INDEX -> {
        o.put("symbols", output.path("symbols").size());
        o.put("series", output.path("series").size());
        o.put("postings", output.path("postings").size());
      }
      default -> o.put("bytes", Json.canonical(output).length());
    }
    return o;
  }
}
