package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs corpus cases against one implementation: decides whether a case applies (capability,
 * target version, opt-outs), materialises its request in a private work directory (inputs are
 * copied, so an implementation cannot damage the corpus), invokes the implementation and checks
 * every expectation of the case.
 *
 * <p>Expectations ({@code expect} members): {@code error}; {@code output}, {@code output_file},
 * {@code output_sha256} (+ {@code summary}), {@code dump_text}; {@code output_bytes} and {@code
 * output_tree} for written files; {@code read_back}: a written file read by the reference
 * implementation (PromTSDB, which passes every read case) and compared.
 */
public final class CaseRunner {
  private final Corpus corpus;
  private final Implementation impl;
  private final Description description;
  private final Implementation reference;
  private final Description referenceDescription;
  private final Map<String, String> optOuts;
  private final Path workRoot;

  /**
   * @param reference reads back what a writer wrote (null: PromTSDB in process)
   * @param optOuts case ids or globs ({@code *} within a path segment, {@code **} across) to
   *     skip, with the reason
   */
  public CaseRunner(Corpus corpus, Implementation impl, Implementation reference, Map<String, String> optOuts)
      throws IOException {
    this.corpus = corpus;
    this.impl = impl;
    this.description = impl.describe();
    this.reference = reference != null ? reference : PromTsdb.implementation();
    this.referenceDescription = this.reference.describe();
    this.optOuts = new LinkedHashMap<>(optOuts);
    this.workRoot = Files.createTempDirectory("promtsdb-conformance-");
  }

  public Description description() {
    return description;
  }

  /** Removes the work directories. */
  public void cleanUp() {
    Corpus.deleteQuietly(workRoot);
  }

  /** Why {@code c} does not apply to this implementation, or null if it does. */
  public String skipReason(ConformanceCase c) {
    if (c.capability() == null) {
      return "capability " + c.capabilityName() + " is unknown to this suite";
    }
    if (!description.has(c.capability())) {
      String why = description.missingReason(c.capability());
      return impl.id() + " does not have capability " + c.capability() + (why == null ? "" : ": " + why);
    }
    if ((c.capability() == Capability.DECODE_CHUNK || c.capability() == Capability.ENCODE_CHUNK)
        && c.request().has("encoding") && !description.handlesEncoding(c.request().get("encoding").asInt())) {
      return impl.id() + " handles chunk encodings " + description.chunkEncodings() + " only";
    }
    if (c.prometheus().bestTarget(description.targets()) == null) {
      return "holds for Prometheus " + c.prometheus() + "; " + impl.id() + " targets " + description.targets();
    }
    String reason = optOut(c.id());
    if (reason != null) {
      return "opted out: " + reason;
    }
    return null;
  }

  private String optOut(String id) {
    for (Map.Entry<String, String> e : optOuts.entrySet()) {
      if (glob(e.getKey()).matcher(id).matches()) {
        return e.getValue();
      }
    }
    return null;
  }

  static Pattern glob(String g) {
    StringBuilder r = new StringBuilder();
    for (int i = 0; i < g.length(); i++) {
      char ch = g.charAt(i);
      if (ch == '*') {
        if (i + 1 < g.length() && g.charAt(i + 1) == '*') {
          r.append(".*");
          i++;
        } else {
          r.append("[^/]*");
        }
      } else {
        r.append(Pattern.quote(String.valueOf(ch)));
      }
    }
    return Pattern.compile(r.toString());
  }

  /** Runs one case. */
  public CaseResult run(ConformanceCase c) {
    long start = System.nanoTime();
    String skip = skipReason(c);
    if (skip != null) {
      return result(c, CaseResult.Outcome.SKIP, skip, "", start);
    }
    Path work = workRoot.resolve(String.format("%06d", counter++));
    try {
      Files.createDirectories(work);
      Materialized m = materialize(c, work);
      m.request.put("target", c.prometheus().bestTarget(description.targets()));
      Response r = impl.invoke(c.capability(), m.request);
      Verdict v = check(c, r, m);
      return result(c, v.outcome, v.message, v.detail, start);
    } catch (Exception e) {
      return result(c, CaseResult.Outcome.FAIL, "suite error: " + e, stackTrace(e), start);
    } finally {
      Corpus.deleteQuietly(work);
    }
  }

  private int counter;

  private CaseResult result(ConformanceCase c, CaseResult.Outcome o, String message, String detail, long start) {
    return new CaseResult(c.id(), c.capabilityName(), c.level(), impl.id(), o, message, detail, c.description(),
        (System.nanoTime() - start) / 1_000_000);
  }

  // ---- requests ----

  record Materialized(ObjectNode request, Map<String, Path> paths) {}

  private Materialized materialize(ConformanceCase c, Path work) throws IOException {
    Map<String, Path> paths = new HashMap<>();
    ObjectNode rq = Json.object();
    int[] inputs = {0};
    for (Iterator<Map.Entry<String, JsonNode>> it = c.request().fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      rq.set(e.getKey(), substitute(c, e.getKey(), e.getValue(), work, paths, inputs));
    }
    return new Materialized(rq, paths);
  }

  private JsonNode substitute(ConformanceCase c, String member, JsonNode n, Path work, Map<String, Path> paths, int[] inputs)
      throws IOException {
    if (n.isObject()) {
      if (n.has("$file")) {
        Path src = corpus.resolve(c, n.get("$file").asText());
        if (!Files.exists(src)) {
          throw new IOException("case input missing from the corpus: " + src);
        }
        Path dst = work.resolve("in").resolve(String.valueOf(inputs[0]++)).resolve(src.getFileName().toString());
        Files.createDirectories(dst.getParent());
        if (Files.isDirectory(src)) {
          Corpus.copyTree(src, dst);
        } else {
          Files.copy(src, dst);
        }
        paths.put(member, dst);
        return TextNode.valueOf(dst.toAbsolutePath().toString());
      }
      if (n.has("$output") || n.has("$output_dir")) {
        boolean dir = n.has("$output_dir");
        Path dst = work.resolve("out").resolve(n.get(dir ? "$output_dir" : "$output").asText());
        Files.createDirectories(dir ? dst : dst.getParent());
        paths.put(member, dst);
        return TextNode.valueOf(dst.toAbsolutePath().toString());
      }
      if (n.has("$include")) {
        JsonNode doc = Json.read(corpus.resolve(c, n.get("$include").asText()));
        JsonNode at = n.has("pointer") ? doc.at(n.get("pointer").asText()) : doc;
        if (at.isMissingNode()) {
          throw new IOException("case include " + n + ": no such pointer");
        }
        return at;
      }
      ObjectNode o = Json.object();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        o.set(e.getKey(), substitute(c, member, e.getValue(), work, paths, inputs));
      }
      return o;
    }
    if (n.isArray()) {
      ArrayNode a = Json.array();
      for (JsonNode x : n) {
        a.add(substitute(c, member, x, work, paths, inputs));
      }
      return a;
    }
    return n;
  }

  // ---- verdicts ----

  record Verdict(CaseResult.Outcome outcome, String message, String detail) {
    static Verdict pass() {
      return new Verdict(CaseResult.Outcome.PASS, "", "");
    }

    static Verdict fail(String message, String detail) {
      return new Verdict(CaseResult.Outcome.FAIL, message, detail);
    }

    static Verdict skip(String message) {
      return new Verdict(CaseResult.Outcome.SKIP, message, "");
    }
  }

  private Verdict check(ConformanceCase c, Response r, Materialized m) throws IOException {
    ObjectNode expect = c.expect();
    if (r instanceof Response.Error e) {
      if (e.kind() == ErrorKind.UNSUPPORTED) {
        return c.level() == Level.MUST
            ? Verdict.fail("answered unsupported to a MUST case: " + e.message(), "")
            : Verdict.skip("implementation: unsupported: " + e.message());
      }
      if (e.kind() == ErrorKind.CRASH) {
        return Verdict.fail("crashed: " + firstLine(e.message()), e.message());
      }
      if (!expect.has("error")) {
        return Verdict.fail("unexpected error: " + e, "");
      }
      return checkError(expect.get("error"), e);
    }
    JsonNode output = ((Response.Ok) r).output();
    if (expect.has("error")) {
      return Verdict.fail("no error, expected " + expectedErrorText(expect.get("error")),
          "output: " + Json.abbreviate(output));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = expect.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Verdict v = switch (e.getKey()) {
        case "output" -> compareJson(e.getValue(), output, null);
        case "output_file" -> compareJson(Json.read(corpus.resolve(c, e.getValue().asText())), output, null);
        case "output_sha256" -> compareDigest(c, e.getValue().asText(), expect.get("summary"), output);
        case "summary" -> Verdict.pass(); // checked with output_sha256
        case "dump_text" -> compareDump(readText(corpus.resolve(c, e.getValue().asText())), DumpText.of(output));
        case "output_bytes" -> compareBytes(c, e.getValue(), m);
        case "output_tree" -> compareTrees(c, e.getValue(), m);
        case "read_back" -> readBack(c, e.getValue(), m);
        default -> Verdict.fail("suite does not know expectation \"" + e.getKey() + "\" (newer corpus?)", "");
      };
      if (v.outcome != CaseResult.Outcome.PASS) {
        return v;
      }
    }
    return Verdict.pass();
  }

  private static Verdict checkError(JsonNode expected, Response.Error actual) {
    ErrorKind kind = ErrorKind.forName(expected.path("kind").asText());
    if (kind == null || !actual.kind().satisfies(kind)) {
      return Verdict.fail("error kind " + actual.kind() + ", expected " + expectedErrorText(expected), actual.toString());
    }
    if (expected.has("file")) {
      String f = expected.get("file").asText();
      if (actual.file() == null) {
        return Verdict.fail("the error names no file, expected " + f, actual.toString());
      }
      if (!f.equals(actual.file())) {
        return Verdict.fail("error in file " + actual.file() + ", expected " + f, actual.toString());
      }
    }
    if (expected.has("offset")) {
      JsonNode o = expected.get("offset");
      long min = o.isObject() ? o.path("min").asLong() : o.asLong();
      long max = o.isObject() ? o.path("max").asLong() : o.asLong();
      if (actual.offset() == null) {
        return Verdict.fail("the error names no offset, expected offset " + offsetText(o), actual.toString());
      }
      if (actual.offset() < min || actual.offset() > max) {
        return Verdict.fail("error at offset " + actual.offset() + ", expected offset " + offsetText(o), actual.toString());
      }
    }
    return Verdict.pass();
  }

  static String offsetText(JsonNode o) {
    return o.isObject() ? o.path("min").asLong() + " to " + o.path("max").asLong() : String.valueOf(o.asLong());
  }

  static String expectedErrorText(JsonNode e) {
    return e.path("kind").asText() + (e.has("file") ? " in " + e.get("file").asText() : "")
        + (e.has("offset") ? " at offset " + offsetText(e.get("offset")) : "");
  }

  private static Verdict compareJson(JsonNode expected, JsonNode actual, String normalize) {
    JsonNode a = actual;
    JsonNode e = expected;
    if ("series-refs".equals(normalize)) {
      a = normalizeSeriesRefs(a);
      e = normalizeSeriesRefs(e);
    }
    String d = Json.difference(e, a);
    return d == null ? Verdict.pass() : Verdict.fail("output differs: " + d, "");
  }

  private Verdict compareDigest(ConformanceCase c, String sha, JsonNode summary, JsonNode output) {
    String actual = Json.sha256(output);
    if (actual.equals(sha)) {
      return Verdict.pass();
    }
    String detail = "sha256 " + actual + " vs expected " + sha;
    if (summary != null) {
      JsonNode s = Summaries.of(c.capability(), output);
      String d = Json.difference(summary, s);
      return Verdict.fail("output differs (digest)" + (d == null ? "; the summary counts agree" : ": " + d), detail);
    }
    return Verdict.fail("output differs (digest)", detail);
  }

  private static Verdict compareDump(String expected, String actual) {
    String d = DumpText.firstDifference(expected, actual);
    return d == null ? Verdict.pass() : Verdict.fail("dump differs at " + firstLine(d), d);
  }

  private Verdict compareBytes(ConformanceCase c, JsonNode spec, Materialized m) throws IOException {
    for (Iterator<Map.Entry<String, JsonNode>> it = spec.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Path written = m.paths.get(e.getKey());
      if (written == null || !Files.isRegularFile(written)) {
        return Verdict.fail("no file written at request member " + e.getKey(), "");
      }
      Verdict v = sameBytes(e.getKey(), Files.readAllBytes(corpus.resolve(c, e.getValue().asText())), Files.readAllBytes(written));
      if (v.outcome != CaseResult.Outcome.PASS) {
        return v;
      }
    }
    return Verdict.pass();
  }

  static Verdict sameBytes(String what, byte[] expected, byte[] actual) {
    int n = Math.min(expected.length, actual.length);
    for (int i = 0; i < n; i++) {
      if (expected[i] != actual[i]) {
        return Verdict.fail(String.format("%s differs at byte %d: 0x%02x vs expected 0x%02x (%d bytes vs expected %d)",
            what, i, actual[i] & 0xFF, expected[i] & 0xFF, actual.length, expected.length), hexContext(expected, actual, i));
      }
    }
    if (expected.length != actual.length) {
      return Verdict.fail(what + ": " + actual.length + " bytes vs expected " + expected.length + " (same up to byte " + n + ")",
          hexContext(expected, actual, n));
    }
    return Verdict.pass();
  }

  private static String hexContext(byte[] e, byte[] a, int at) {
    int from = Math.max(0, at - 16);
    return "at " + from + ":\n  actual   " + hex(a, from, 48) + "\n  expected " + hex(e, from, 48);
  }

  private static String hex(byte[] b, int from, int n) {
    StringBuilder s = new StringBuilder();
    for (int i = from; i < Math.min(b.length, from + n); i++) {
      s.append(String.format("%02x", b[i]));
      if (i == from + 15 || i == from + 31) {
        s.append(' ');
      }
    }
    return s.toString();
  }

  private Verdict compareTrees(ConformanceCase c, JsonNode spec, Materialized m) throws IOException {
    for (Iterator<Map.Entry<String, JsonNode>> it = spec.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Path written = m.paths.get(e.getKey());
      Path expected = corpus.resolve(c, e.getValue().asText());
      TreeMap<String, Path> w = files(written);
      TreeMap<String, Path> x = files(expected);
      if (!w.keySet().equals(x.keySet())) {
        return Verdict.fail("files " + w.keySet() + " vs expected " + x.keySet(), "");
      }
      for (String name : x.keySet()) {
        Verdict v = sameBytes(name, Files.readAllBytes(x.get(name)), Files.readAllBytes(w.get(name)));
        if (v.outcome != CaseResult.Outcome.PASS) {
          return v;
        }
      }
    }
    return Verdict.pass();
  }

  private static TreeMap<String, Path> files(Path dir) throws IOException {
    TreeMap<String, Path> out = new TreeMap<>();
    if (dir == null || !Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(p -> out.put(dir.relativize(p).toString().replace('\\', '/'), p));
    }
    return out;
  }

  private Verdict readBack(ConformanceCase c, JsonNode spec, Materialized m) throws IOException {
    for (Iterator<Map.Entry<String, JsonNode>> it = spec.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      Path written = m.paths.get(e.getKey());
      JsonNode how = e.getValue();
      Capability cap = Capability.forName(how.path("capability").asText());
      if (cap == null || !referenceDescription.has(cap)) {
        return Verdict.skip("the reference implementation cannot read back with " + how.path("capability").asText());
      }
      if (written == null || !Files.exists(written)) {
        return Verdict.fail("nothing written at request member " + e.getKey(), "");
      }
      String target = c.prometheus().bestTarget(referenceDescription.targets());
      if (target == null) {
        target = referenceDescription.targets().get(referenceDescription.targets().size() - 1);
      }
      List<JsonNode> outputs = new ArrayList<>();
      List<Path> inputs = how.path("each_block").asBoolean() ? blockDirs(written) : List.of(written);
      if (inputs.isEmpty()) {
        return Verdict.fail("no block directory written in " + e.getKey(), "");
      }
      for (Path in : inputs) {
        ObjectNode rq = (ObjectNode) replacePath(how.path("request").isObject() ? how.get("request") : defaultRequest(cap), in);
        rq.put("target", target);
        Response r = reference.invoke(cap, rq);
        if (r instanceof Response.Error err) {
          return Verdict.fail("what was written does not read back (" + reference.id() + " " + cap + "): " + err, "");
        }
        outputs.add(((Response.Ok) r).output());
      }
      Verdict v;
      if (how.has("series")) {
        // Exactly the series that were written (floats by their bits), over every block.
        JsonNode actual = CapabilityJson.seriesSamples(DumpText.fromBlocks(outputs), false);
        v = compareJson(how.get("series"), actual, null);
      } else if (how.has("dump_text")) {
        String expected = readText(corpus.resolve(c, how.get("dump_text").asText()));
        String actual = outputs.get(0).has("meta")
            ? DumpText.render(DumpText.fromBlocks(outputs))
            : DumpText.of(outputs.get(0));
        v = compareDump(expected, actual);
      } else {
        JsonNode expected = how.has("output_file") ? Json.read(corpus.resolve(c, how.get("output_file").asText())) : how.get("output");
        v = compareJson(expected, outputs.get(0), how.path("normalize").asText(null));
      }
      if (v.outcome != CaseResult.Outcome.PASS) {
        return Verdict.fail("read back: " + v.message, v.detail);
      }
    }
    return Verdict.pass();
  }

  private static ObjectNode defaultRequest(Capability cap) {
    ObjectNode o = Json.object();
    o.put(switch (cap) {
      case READ_INDEX -> "index";
      case READ_TOMBSTONES -> "file";
      default -> "dir";
    }, "$path");
    return o;
  }

  static List<Path> blockDirs(Path dataDir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dataDir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dataDir)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p.resolve("meta.json"))) {
          out.add(p);
        }
      }
    }
    out.sort(null);
    return out;
  }

  private static JsonNode replacePath(JsonNode n, Path p) {
    if (n.isTextual() && n.textValue().equals("$path")) {
      return TextNode.valueOf(p.toAbsolutePath().toString());
    }
    if (n.isObject()) {
      ObjectNode o = Json.object();
      n.fields().forEachRemaining(e -> o.set(e.getKey(), replacePath(e.getValue(), p)));
      return o;
    }
    return n.deepCopy();
  }

  /** Series references replaced by their positions, so that two valid layouts compare equal. */
  static JsonNode normalizeSeriesRefs(JsonNode index) {
    ObjectNode o = (ObjectNode) index.deepCopy();
    Map<String, Integer> pos = new HashMap<>();
    JsonNode series = o.path("series");
    for (int i = 0; i < series.size(); i++) {
      pos.put(series.get(i).path("ref").asText(), i);
      ((ObjectNode) series.get(i)).put("ref", i);
    }
    for (JsonNode p : o.path("postings")) {
      ArrayNode refs = Json.array();
      for (JsonNode r : p.path("refs")) {
        refs.add(pos.getOrDefault(r.asText(), -1));
      }
      ((ObjectNode) p).set("refs", refs);
    }
    return o;
  }

  static String readText(Path p) throws IOException {
    return new String(Json.readMaybeGzip(p), StandardCharsets.UTF_8);
  }

  static String firstLine(String s) {
    int i = s.indexOf('\n');
    return i < 0 ? s : s.substring(0, i);
  }

  static String stackTrace(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }
}
