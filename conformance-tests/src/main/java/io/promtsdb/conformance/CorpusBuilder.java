package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Assembles the corpus at build time (Maven's {@code process-classes} phase), so that the
 * repository keeps each file once:
 *
 * <ol>
 *   <li>copies the committed cases and data ({@code src/corpus});
 *   <li>turns each chunk vector that Prometheus' Go code emitted ({@code testdata/vectors}) into
 *       {@code decode-chunk} and {@code encode-chunk} cases: the samples and the bytes are Go's,
 *       only their notation changes (the Go model's JSON to the canonical JSON);
 *   <li>copies every repository file a case refers to as {@code /repo/...};
 *   <li>writes {@code index.json}: every case id and every file.
 * </ol>
 *
 * Nothing here runs PromTSDB's codecs: expected outcomes come from Prometheus only.
 *
 * <p>Usage: {@code CorpusBuilder REPO_ROOT SRC_CORPUS OUT_DIR}
 */
public final class CorpusBuilder {
  private final Path repo;
  private final Path out;
  private final List<String> generated = new ArrayList<>();

  private CorpusBuilder(Path repo, Path out) {
    this.repo = repo;
    this.out = out;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: CorpusBuilder REPO_ROOT SRC_CORPUS OUT_DIR");
      System.exit(2);
    }
    Path repo = Path.of(args[0]).toAbsolutePath().normalize();
    Path src = Path.of(args[1]);
    Path out = Path.of(args[2]);
    long start = System.nanoTime();
    int n = build(repo, src, out);
    System.out.printf(Locale.ROOT, "conformance corpus: %d cases in %s (%d ms)%n",
        n, out, (System.nanoTime() - start) / 1_000_000);
  }

  /** Builds the corpus into {@code out} (replaced) and returns the number of cases. */
  public static int build(Path repo, Path src, Path out) throws IOException {
    Corpus.deleteTree(out);
    Files.createDirectories(out);
    Corpus.copyTree(src, out);
    CorpusBuilder b = new CorpusBuilder(repo, out);
    b.chunkVectors();
    return b.finish();
  }

  // ---- chunk vectors ----

  private static final String XOR_242 = "testdata/vectors/xor-go2.42.json";
  private static final String HIST_242 = "testdata/vectors/histogram-go2.42.json";
  private static final String UPSTREAM = "testdata/vectors/upstream-main.json";
  private static final String APPENDER = "testdata/vectors/appender-main.json";

  private void chunkVectors() throws IOException {
    for (JsonNode v : Json.read(repo.resolve(XOR_242)).path("vectors")) {
      chunkCases("go2.42-xor", v, 1, ">=2.0.0", ">=2.0.0 <3.0.0",
          "Prometheus 2.42.0 XORChunk (" + XOR_242 + ")", Notation.GO_242);
    }
    for (JsonNode v : Json.read(repo.resolve(HIST_242)).path("vectors")) {
      int e = v.path("encoding").asInt();
      chunkCases("go2.42-" + encodingName(e), v, e, e == 2 ? ">=2.40.0" : ">=2.42.0", ">=2.42.0 <3.0.0",
          "Prometheus 2.42.0 HistogramChunk/FloatHistogramChunk (" + HIST_242 + ")", Notation.GO_242);
    }
    for (JsonNode v : Json.read(repo.resolve(UPSTREAM)).path("vectors")) {
      int e = v.path("encoding").asInt();
      String min = minVersion(e, v);
      chunkCases("upstream-" + encodingName(e), v, e, min, maxOf(min, ">=3.0.0"),
          "upstream Prometheus main d15adb9ad7e5 (3.14+) chunkenc (" + UPSTREAM + ")", Notation.GO_242);
    }
    for (JsonNode v : Json.read(repo.resolve(APPENDER)).path("vectors")) {
      if (!v.has("chunk_hex")) {
        continue; // appender sequences: outcomes of AppendHistogram, not a decode/encode pair
      }
      int e = v.path("encoding").asInt();
      if (v.has("decoded")) {
        chunkCases("upstream-" + encodingName(e), v, e, ">=3.14.0", null,
            "upstream Prometheus main d15adb9ad7e5 (3.14+) chunkenc, decoded by Go's iterator (" + APPENDER + ")",
            Notation.BITS);
      } else {
        String min = minVersion(e, v);
        chunkCases("upstream-" + encodingName(e), v, e, min, maxOf(min, ">=3.0.0"),
            "upstream Prometheus main d15adb9ad7e5 (3.14+) chunkenc (" + APPENDER + ")", Notation.BITS);
      }
    }
  }

  private static String maxOf(String a, String b) {
    return PrometheusVersion.parse(a.substring(2)).compareTo(PrometheusVersion.parse(b.substring(2))) >= 0 ? a : b;
  }

  /** The first release that reads chunks of this encoding (and these features). */
  private static String minVersion(int encoding, JsonNode v) {
    String min = switch (encoding) {
      case 1 -> ">=2.0.0";
      case 2 -> ">=2.40.0";
      case 3 -> ">=2.42.0";
      case 4 -> ">=3.11.0";
      default -> ">=3.14.0";
    };
    if ((encoding == 2 || encoding == 3) && usesCustomBuckets(v)) {
      return ">=3.0.0";
    }
    return min;
  }

  private static boolean usesCustomBuckets(JsonNode v) {
    for (JsonNode s : v.path("samples")) {
      JsonNode h = s.has("histogram") ? s.get("histogram") : s.get("float_histogram");
      if (h != null && h.path(h.has("Schema") ? "Schema" : "schema").asInt() == -53) {
        return true;
      }
    }
    return false;
  }

  static String encodingName(int e) {
    return switch (e) {
      case 1 -> "xor";
      case 2 -> "histogram";
      case 3 -> "floathistogram";
      case 4 -> "xor2";
      case 5 -> "histogram-st";
      case 6 -> "floathistogram-st";
      default -> "encoding-" + e;
    };
  }

  private enum Notation {
    /** Go's model JSON ({@code Schema}, {@code ZeroThreshold} as numbers; xor {@code value_bits}). */
    GO_242,
    /** Bits and decimal strings ({@code zero_threshold_bits}, {@code "count": "5"}). */
    BITS
  }

  /**
   * Writes the cases of one vector: decode (MUST), encode bytes (SHOULD) and encode read back
   * (MUST). {@code encodeRange} null: decode only (e.g. reserved schemas).
   */
  private void chunkCases(String family, JsonNode v, int encoding, String decodeRange, String encodeRange,
      String source, Notation notation) throws IOException {
    String name = slug(v.path("name").asText());
    byte[] chunk = HexFormat.of().parseHex(v.path("chunk_hex").asText());
    ArrayNode samples = Json.array();
    for (JsonNode s : v.path("samples")) {
      samples.add(sample(s, notation, true));
    }
    ArrayNode decoded = Json.array();
    JsonNode decodedSource = v.has("decoded") ? v.get("decoded") : v.path("samples");
    for (JsonNode s : decodedSource) {
      decoded.add(sample(s, notation, false));
    }
    String header = switch (encoding) {
      case 2, 3 -> headerName((chunk[2] >> 6) & 3);
      case 5, 6 -> headerName((chunk[0] >> 6) & 3);
      default -> null;
    };
    String what = v.path("name").asText();

    ObjectNode expectDecode = Json.object();
    ObjectNode output = expectDecode.putObject("output");
    if (header != null) {
      output.put("header", header);
    }
    output.set("samples", decoded);
    ObjectNode dreq = Json.object();
    dreq.put("encoding", encoding);
    dreq.set("chunk", fileRef("chunk.bin"));
    String base = "decode-chunk/" + family + "-" + name;
    writeCase(base, "decode-chunk", "MUST", decodeRange,
        "Decode " + chunkNoun(encoding) + " written by Prometheus: " + what + ".",
        source, dreq, expectDecode, Map.of("chunk.bin", chunk));
    if (encodeRange == null) {
      return;
    }
    ObjectNode ereq = Json.object();
    ereq.put("encoding", encoding);
    if (header != null) {
      ereq.put("header", header);
    }
    ereq.set("samples", samples);
    ObjectNode o = Json.object();
    o.put("$output", "chunk");
    ereq.set("output", o);
    ObjectNode bytes = Json.object();
    bytes.putObject("output_bytes").put("output", "chunk.bin");
    String enc = "encode-chunk/" + family + "-" + name;
    writeCase(enc + "-bytes", "encode-chunk", "SHOULD", encodeRange,
        "Encode the samples of " + chunkNoun(encoding) + " written by Prometheus (" + what + "): the same bytes.",
        source, ereq, bytes, Map.of("chunk.bin", chunk));
    ObjectNode back = Json.object();
    ObjectNode rb = back.putObject("read_back").putObject("output");
    rb.put("capability", "decode-chunk");
    ObjectNode rbReq = rb.putObject("request");
    rbReq.put("encoding", encoding);
    rbReq.put("chunk", "$path");
    rb.set("output", output.deepCopy());
    writeCase(enc + "-read-back", "encode-chunk", "MUST", encodeRange,
        "Encode the samples of " + chunkNoun(encoding) + " written by Prometheus (" + what
            + "); the chunk decodes to the same samples.",
        source, ereq, back, Map.of());
  }

  /** "an XOR chunk", "a float histogram chunk", ... */
  static String chunkNoun(int e) {
    return switch (e) {
      case 1 -> "an XOR chunk";
      case 2 -> "an integer histogram chunk";
      case 3 -> "a float histogram chunk";
      case 4 -> "an XOR2 chunk";
      case 5 -> "an integer histogram chunk with start timestamps";
      case 6 -> "a float histogram chunk with start timestamps";
      default -> "a chunk of encoding " + e;
    };
  }

  private static String headerName(int code) {
    return switch (code) {
      case 0 -> "unknown";
      case 1 -> "not_counter_reset";
      case 2 -> "counter_reset";
      default -> "gauge";
    };
  }

  private static String hintName(int goHint) {
    return switch (goHint) {
      case 0 -> "unknown";
      case 1 -> "counter_reset";
      case 2 -> "not_counter_reset";
      default -> "gauge";
    };
  }

  private static ObjectNode fileRef(String rel) {
    ObjectNode o = Json.object();
    o.put("$file", rel);
    return o;
  }

  /** A vector sample in canonical JSON; hints kept only for encode inputs. */
  private static ObjectNode sample(JsonNode s, Notation n, boolean withHint) {
    ObjectNode o = Json.object();
    o.put("t", s.path("t").asLong());
    if (s.has("st") && s.get("st").asLong() != 0) {
      o.put("st", s.get("st").asLong());
    }
    if (s.has("value_bits")) {
      o.put("v", "0x" + s.get("value_bits").asText());
    } else if (s.has("histogram")) {
      o.set("h", histogram(s.get("histogram"), n, false, withHint));
    } else if (s.has("float_histogram")) {
      o.set("fh", histogram(s.get("float_histogram"), n, true, withHint));
    } else {
      throw new IllegalArgumentException("vector sample without a value: " + s);
    }
    return o;
  }

  private static ObjectNode histogram(JsonNode h, Notation n, boolean isFloat, boolean withHint) {
    ObjectNode o = Json.object();
    boolean go = n == Notation.GO_242;
    int hint = h.path(go ? "CounterResetHint" : "hint").asInt();
    if (withHint && hint != 0) {
      o.put("hint", hintName(hint));
    }
    o.put("schema", h.path(go ? "Schema" : "schema").asInt());
    o.put("zero_threshold", go ? floatBits(h.path("ZeroThreshold")) : "0x" + h.path("zero_threshold_bits").asText());
    if (isFloat) {
      o.put("zero_count", go ? floatBits(h.path("ZeroCount")) : "0x" + h.path("zero_count").asText());
      o.put("count", go ? floatBits(h.path("Count")) : "0x" + h.path("count").asText());
    } else {
      o.set("zero_count", go ? h.path("ZeroCount") : Json.NODES.numberNode(new java.math.BigInteger(h.path("zero_count").asText())));
      o.set("count", go ? h.path("Count") : Json.NODES.numberNode(new java.math.BigInteger(h.path("count").asText())));
    }
    o.put("sum", go ? floatBits(h.path("Sum")) : "0x" + h.path("sum_bits").asText());
    o.set("positive_spans", spans(h.path(go ? "PositiveSpans" : "positive_spans"), go));
    o.set("negative_spans", spans(h.path(go ? "NegativeSpans" : "negative_spans"), go));
    o.set("positive_buckets", buckets(h.path(go ? "PositiveBuckets" : "positive_buckets"), go, isFloat));
    o.set("negative_buckets", buckets(h.path(go ? "NegativeBuckets" : "negative_buckets"), go, isFloat));
    ArrayNode cv = o.putArray("custom_values");
    for (JsonNode x : h.path(go ? "CustomValues" : "custom_values_bits")) {
      cv.add(go ? floatBits(x) : "0x" + x.asText());
    }
    return o;
  }

  /** A float Go marshalled as a JSON number (shortest round-trip text) as canonical bits. */
  private static String floatBits(JsonNode n) {
    double d = n.isMissingNode() || n.isNull() ? 0 : Double.parseDouble(n.asText());
    return Canonical.bits(d);
  }

  private static ArrayNode spans(JsonNode s, boolean go) {
    ArrayNode a = Json.array();
    for (JsonNode x : s) {
      ArrayNode p = a.addArray();
      if (go) {
        p.add(x.path("Offset").asInt());
        p.add(x.path("Length").asLong());
      } else {
        p.add(x.get(0).asInt());
        p.add(x.get(1).asLong());
      }
    }
    return a;
  }

  private static ArrayNode buckets(JsonNode b, boolean go, boolean isFloat) {
    ArrayNode a = Json.array();
    for (JsonNode x : b) {
      if (isFloat) {
        a.add(go ? floatBits(x) : "0x" + x.asText());
      } else {
        a.add(go ? x.asLong() : Long.parseLong(x.asText()));
      }
    }
    return a;
  }

  static String slug(String s) {
    String t = s.toLowerCase(Locale.ROOT).replaceAll("(?<![a-z0-9])-(?=[0-9])", "minus ")
        .replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    return t.isEmpty() ? "unnamed" : t;
  }

  private void writeCase(String id, String capability, String level, String prometheus, String description,
      String source, ObjectNode request, ObjectNode expect, Map<String, byte[]> files) throws IOException {
    String unique = id;
    for (int i = 2; generated.contains(unique) || Files.exists(out.resolve("cases").resolve(unique)); i++) {
      unique = id + "-" + i;
    }
    Path dir = Files.createDirectories(out.resolve("cases").resolve(unique));
    ObjectNode c = Json.object();
    c.put("capability", capability);
    c.put("level", level);
    c.put("prometheus", prometheus);
    c.put("description", description);
    c.put("source", source);
    c.set("request", request);
    c.set("expect", expect);
    Files.write(dir.resolve("case.json"), (Json.pretty(c) + "\n").getBytes(StandardCharsets.UTF_8));
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      Files.write(dir.resolve(f.getKey()), f.getValue());
    }
    generated.add(unique);
  }

  // ---- repository files and the index ----

  private int finish() throws IOException {
    TreeSet<String> ids = new TreeSet<>();
    try (Stream<Path> s = Files.walk(out.resolve("cases"))) {
      s.filter(p -> p.getFileName().toString().equals("case.json"))
          .forEach(p -> ids.add(out.resolve("cases").relativize(p.getParent()).toString().replace('\\', '/')));
    }
    TreeSet<String> repoRefs = new TreeSet<>();
    for (String id : ids) {
      collectRepoRefs(Json.read(out.resolve("cases").resolve(id).resolve("case.json")), repoRefs);
    }
    for (String ref : repoRefs) {
      Path src = repo.resolve(ref.substring("/repo/".length()));
      Path dst = out.resolve(ref.substring(1));
      if (!Files.exists(src)) {
        throw new IOException("a case refers to " + ref + ", which is not in the repository: " + src);
      }
      if (Files.isDirectory(src)) {
        Corpus.copyTree(src, dst);
      } else {
        Files.createDirectories(dst.getParent());
        Files.copy(src, dst, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    ObjectNode index = Json.object();
    index.put("format", 1);
    ArrayNode c = index.putArray("cases");
    ids.forEach(c::add);
    ArrayNode files = index.putArray("files");
    TreeSet<String> all = new TreeSet<>();
    try (Stream<Path> s = Files.walk(out)) {
      s.filter(Files::isRegularFile).forEach(p -> all.add(out.relativize(p).toString().replace('\\', '/')));
    }
    all.remove("index.json");
    all.forEach(files::add);
    Files.write(out.resolve("index.json"), Json.canonicalBytes(index));
    return ids.size();
  }

  private static void collectRepoRefs(JsonNode n, TreeSet<String> refs) {
    if (n.isTextual() && n.textValue().startsWith("/repo/")) {
      refs.add(n.textValue());
    } else if (n.isContainerNode()) {
      for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
        collectRepoRefs(it.next(), refs);
      }
    }
  }
}
