package io.promtsdb.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Prints JMH results as a Markdown table and, given Go benchmark output and a pairs file,
 * the side-by-side comparison with the ratio Go/Java (above 1 means Java is faster).
 *
 * <pre>
 * java -cp benchmarks.jar io.promtsdb.benchmarks.Report RESULT.json [--go GO.txt ...] [--pairs pairs.tsv]
 * </pre>
 *
 * A pairs file has tab-separated lines {@code javaKey goName javaOpsPerGoOp [unit label]}:
 * the Java key is {@code Class.method} with the JMH parameters in brackets, e.g.
 * {@code XorBenchmark.decode[data=go]}, the Go name is the benchmark name without the
 * {@code -N} CPU suffix (sub-benchmarks with their slash path), and the factor converts a
 * Java operation into a Go operation (250 when Java reports per sample and Go per chunk of
 * 250 samples).
 */
public final class Report {
  private static final Pattern GO_LINE =
      Pattern.compile("^(Benchmark\\S+?)(?:-\\d+)?\\s+\\d+\\s+([0-9.]+) ns/op.*$");

  private Report() {}

  /** One JMH result: key, score, error, unit. */
  record JavaResult(String key, double score, double error, String unit) {}

  /** One comparison row. */
  record Pair(String javaKey, String goName, double factor, String label) {}

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      System.err.println("usage: Report RESULT.json [--go GO.txt ...] [--pairs pairs.tsv]");
      System.exit(2);
    }
    Path json = Path.of(args[0]);
    List<Path> goFiles = new ArrayList<>();
    Path pairsFile = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--go" -> goFiles.add(Path.of(args[++i]));
        case "--pairs" -> pairsFile = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Map<String, JavaResult> java = readJmh(json);
    Map<String, Double> go = new LinkedHashMap<>();
    for (Path f : goFiles) {
      go.putAll(readGo(Files.readAllLines(f)));
    }
    PrintStream out = System.out;
    out.println("| Benchmark | Score | Error | Unit |");
    out.println("|---|---:|---:|---|");
    for (JavaResult r : java.values()) {
      out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %s |%n", r.key(), r.score(), r.error(), r.unit());
    }
    if (pairsFile != null && !go.isEmpty()) {
      out.println();
      out.println("| Workload | Java | Go | Go / Java |");
      out.println("|---|---:|---:|---:|");
      for (Pair p : readPairs(pairsFile)) {
        JavaResult j = java.get(p.javaKey());
        Double g = go.get(p.goName());
        if (j == null || g == null) {
          continue;
        }
        double javaNsPerGoOp = toNanos(j.score(), j.unit()) * p.factor();
        double goPerUnit = g / p.factor();
        double javaPerUnit = javaNsPerGoOp / p.factor();
        out.printf(
            Locale.ROOT,
            "| %s | %.2f %s | %.2f %s | %.2fx |%n",
            p.label(), javaPerUnit, unitLabel(p), goPerUnit, unitLabel(p), g / javaNsPerGoOp);
      }
    }
  }

  private static String unitLabel(Pair p) {
    return p.factor() == 1 ? "ns/op" : "ns/unit";
  }

  static double toNanos(double score, String unit) {
    return switch (unit) {
      case "ns/op" -> score;
      case "us/op" -> score * 1e3;
      case "ms/op" -> score * 1e6;
      case "s/op" -> score * 1e9;
      default -> throw new IllegalArgumentException("unsupported JMH unit " + unit);
    };
  }

  static Map<String, JavaResult> readJmh(Path json) throws IOException {
    Map<String, JavaResult> out = new LinkedHashMap<>();
    for (JsonNode b : new ObjectMapper().readTree(json.toFile())) {
      String name = b.get("benchmark").asText();
      String[] parts = name.split("\\.");
      StringBuilder key =
          new StringBuilder(parts[parts.length - 2]).append('.').append(parts[parts.length - 1]);
      JsonNode params = b.get("params");
      if (params != null && params.size() > 0) {
        List<String> kv = new ArrayList<>();
        params.fields().forEachRemaining(e -> kv.add(e.getKey() + "=" + e.getValue().asText()));
        key.append('[').append(String.join(",", kv)).append(']');
      }
      JsonNode m = b.get("primaryMetric");
      out.put(
          key.toString(),
          new JavaResult(
              key.toString(),
              m.get("score").asDouble(),
              m.get("scoreError").asDouble(),
              m.get("scoreUnit").asText()));
    }
    return out;
  }

  static Map<String, Double> readGo(List<String> lines) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : lines) {
      Matcher m = GO_LINE.matcher(line.trim());
      if (m.matches()) {
        out.put(m.group(1), Double.parseDouble(m.group(2)));
      }
    }
    return out;
  }

  static List<Pair> readPairs(Path file) throws IOException {
    List<Pair> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      out.add(new Pair(f[0], f[1], Double.parseDouble(f[2]), f.length > 3 ? f[3] : f[0]));
    }
    return out;
  }
}
