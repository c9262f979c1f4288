package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promtsdb.tombstones.TombstoneEntry;
import io.promtsdb.tombstones.Tombstones;
import io.promtsdb.wal.WalRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The cross matrix: every writer against every reader it can pair with, among the
 * participating implementations (PromTSDB in process, the implementation under test, real
 * Prometheus through promtool), on generated data ({@link Datasets}) and on the fixture blocks
 * of the corpus. A pair passes when the reader sees exactly what was written: the same samples
 * (floats by their bits), records, postings or tombstones; where a reader is promtool, through
 * the dump projection ({@link DumpText}).
 *
 * <p>Pairs: {@code encode-chunk → decode-chunk}, {@code write-index → read-index}, {@code
 * write-tombstones → read-tombstones}, {@code write-wal → read-wal | dump-dir}, {@code
 * write-block → read-block | dump-dir}, {@code write-blocks (OpenMetrics) → read-block |
 * dump-dir}, and fixture blocks through every block reader, held against promtool 3.5.3's dump
 * when it is there (else against PromTSDB's reading). A reader that has both a file reader
 * ({@code read-wal}, {@code read-block}) and {@code dump-dir} is paired through each; the
 * dump pairs are named {@code "... (dump)"}.
 */
public final class Matrix {
  private final List<Implementation> participants;
  private final Map<Implementation, Description> descriptions = new LinkedHashMap<>();
  private final Corpus corpus;
  private final Path work;
  private final List<CaseResult> results = new ArrayList<>();
  private Consumer<CaseResult> progress = r -> {};

  public Matrix(Corpus corpus, List<Implementation> participants) throws IOException {
    this.corpus = corpus;
    this.participants = List.copyOf(participants);
    for (Implementation p : participants) {
      descriptions.put(p, p.describe());
    }
    this.work = Files.createTempDirectory("promtsdb-matrix-");
  }

  /** Runs every pair; {@code progress} sees each result as it is made. */
  public List<CaseResult> run(Consumer<CaseResult> progress) {
    return run(java.util.EnumSet.allOf(Capability.Family.class), progress);
  }

  /** Runs the pairs of some capability families only. */
  public List<CaseResult> run(java.util.Set<Capability.Family> families, Consumer<CaseResult> progress) {
    this.progress = progress;
    try {
      if (families.contains(Capability.Family.CHUNKS)) {
        chunks();
      }
      if (families.contains(Capability.Family.INDEX)) {
        index();
      }
      if (families.contains(Capability.Family.TOMBSTONES)) {
        tombstones();
      }
      if (families.contains(Capability.Family.WAL)) {
        wal();
      }
      if (families.contains(Capability.Family.BLOCKS) || families.contains(Capability.Family.DATA_DIRS)) {
        blocks();
        openMetrics();
        fixtureBlocks();
      }
    } catch (IOException e) {
      record("matrix/setup", "matrix", null, CaseResult.Outcome.FAIL, "suite error: " + e, CaseRunner.stackTrace(e), 0);
    } finally {
      Corpus.deleteQuietly(work);
    }
    return results;
  }

  private List<Implementation> with(Capability c) {
    List<Implementation> out = new ArrayList<>();
    for (Implementation p : participants) {
      if (descriptions.get(p).has(c)) {
        out.add(p);
      }
    }
    return out;
  }

  /** The highest target of {@code p} at or above {@code min}, or null. */
  private String target(Implementation p, String min) {
    return PrometheusVersion.Range.parse(">=" + min).bestTarget(descriptions.get(p).targets());
  }

  private void record(String id, String capability, Implementation impl, CaseResult.Outcome o, String msg, String detail, long start) {
    CaseResult r = new CaseResult(id, capability, Level.MUST, impl == null ? "matrix" : impl.id(), o, msg, detail, "",
        start == 0 ? 0 : (System.nanoTime() - start) / 1_000_000);
    results.add(r);
    progress.accept(r);
  }

  private Path fresh(String name) throws IOException {
    return Files.createDirectories(work.resolve(String.valueOf(results.size())).resolve(name));
  }

  private static ObjectNode request(String target) {
    ObjectNode o = Json.object();
    o.put("target", target);
    return o;
  }

  private static String describe(Response r) {
    return r instanceof Response.Error e ? e.toString() : "ok";
  }

  // ---- chunks ----

  private void chunks() throws IOException {
    for (Datasets.ChunkInput in : Datasets.chunks()) {
      String min = switch (in.encoding()) {
        case 4 -> "3.11.0";
        case 5, 6 -> "3.14.0";
        default -> "3.0.0";
      };
      for (Implementation w : with(Capability.ENCODE_CHUNK)) {
        String wt = target(w, min);
        if (wt == null || !descriptions.get(w).handlesEncoding(in.encoding())) {
          continue;
        }
        Path out = fresh("chunk").resolve("chunk.bin");
        ObjectNode rq = request(wt);
        rq.put("encoding", in.encoding());
        rq.set("samples", Canonical.samples(in.samples(), true));
        rq.put("output", out.toString());
        long start = System.nanoTime();
        Response wr = w.invoke(Capability.ENCODE_CHUNK, rq);
        for (Implementation r : with(Capability.DECODE_CHUNK)) {
          String id = "matrix/chunks/" + in.name() + "/" + w.id() + "->" + r.id();
          String rt = target(r, min);
          if (rt == null || !descriptions.get(r).handlesEncoding(in.encoding())) {
            continue;
          }
          if (!(wr instanceof Response.Ok)) {
            record(id, "encode-chunk", w, CaseResult.Outcome.FAIL, "writer failed: " + describe(wr), "", start);
            continue;
          }
          ObjectNode dq = request(rt);
          dq.put("encoding", in.encoding());
          dq.put("chunk", out.toString());
          Response rr = r.invoke(Capability.DECODE_CHUNK, dq);
          JsonNode expected = Canonical.samples(in.samples(), false);
          compare(id, "decode-chunk", r, rr, o -> o.get("samples"), expected, start);
        }
      }
    }
  }

  /** Compares a reader's answer (projected) with the expected JSON. */
  private void compare(String id, String cap, Implementation reader, Response rr,
      java.util.function.Function<JsonNode, JsonNode> project, JsonNode expected, long start) {
    if (rr instanceof Response.Error e) {
      record(id, cap, reader, CaseResult.Outcome.FAIL, "reader failed: " + e, "", start);
      return;
    }
    JsonNode actual;
    try {
      actual = project.apply(((Response.Ok) rr).output());
    } catch (RuntimeException e) {
      record(id, cap, reader, CaseResult.Outcome.FAIL, "malformed reader output: " + e.getMessage(), "", start);
      return;
    }
    String d = Json.difference(expected, actual);
    record(id, cap, reader, d == null ? CaseResult.Outcome.PASS : CaseResult.Outcome.FAIL,
        d == null ? "" : "reader sees different data: " + d, "", start);
  }

  // ---- index ----

  private void index() throws IOException {
    Datasets.IndexInput in = Datasets.index();
    ObjectNode input = CapabilityJson.writeIndexInput(in.symbols(), in.series());
    JsonNode expected = expectedIndex(in);
    for (Implementation w : with(Capability.WRITE_INDEX)) {
      for (String min : new String[] {"2.42.0", "3.7.0"}) {
        String wt = min.equals("2.42.0") ? PrometheusVersion.Range.parse(">=2.42.0 <3.7.0").bestTarget(descriptions.get(w).targets()) : target(w, min);
        if (wt == null) {
          continue;
        }
        Path out = fresh("index").resolve("index");
        ObjectNode rq = request(wt);
        rq.setAll(input);
        rq.put("output", out.toString());
        long start = System.nanoTime();
        Response wr = w.invoke(Capability.WRITE_INDEX, rq);
        for (Implementation r : with(Capability.READ_INDEX)) {
          String id = "matrix/index/" + (min.equals("3.7.0") ? "3.7-layout" : "3.6-layout") + "/" + w.id() + "->" + r.id();
          if (!(wr instanceof Response.Ok)) {
            record(id, "write-index", w, CaseResult.Outcome.FAIL, "writer failed: " + describe(wr), "", start);
            continue;
          }
          ObjectNode q = request(descriptions.get(r).targets().get(descriptions.get(r).targets().size() - 1));
          q.put("index", out.toString());
          Response rr = r.invoke(Capability.READ_INDEX, q);
          compare(id, "read-index", r, rr, o -> {
            ObjectNode n = (ObjectNode) CaseRunner.normalizeSeriesRefs(o);
            n.remove("version");
            return n;
          }, expected, start);
        }
      }
    }
  }

  /** Symbols, series (refs as positions) and postings derived from the labels. */
  static JsonNode expectedIndex(Datasets.IndexInput in) {
    ObjectNode o = Json.object();
    ArrayNode sy = o.putArray("symbols");
    in.symbols().forEach(sy::add);
    ArrayNode se = o.putArray("series");
    TreeMap<byte[], TreeMap<byte[], List<Integer>>> postings = new TreeMap<>(java.util.Arrays::compareUnsigned);
    for (int i = 0; i < in.series().size(); i++) {
      WriteIndex.Series s = in.series().get(i);
      ObjectNode so = se.addObject();
      so.put("ref", i);
      so.set("labels", Canonical.labels(s.labels()));
      so.set("chunks", CapabilityJson.chunkMetas(s.chunks()));
      int pos = i;
      s.labels().forEach((k, v) -> postings.computeIfAbsent(k.getBytes(StandardCharsets.UTF_8), x -> new TreeMap<>(java.util.Arrays::compareUnsigned))
          .computeIfAbsent(v.getBytes(StandardCharsets.UTF_8), x -> new ArrayList<>()).add(pos));
    }
    ArrayNode po = o.putArray("postings");
    ObjectNode all = po.addObject();
    all.put("name", "");
    all.put("value", "");
    ArrayNode allRefs = all.putArray("refs");
    for (int i = 0; i < in.series().size(); i++) {
      allRefs.add(i);
    }
    postings.forEach((k, values) -> values.forEach((v, refs) -> {
      ObjectNode p = po.addObject();
      p.put("name", new String(k, StandardCharsets.UTF_8));
      p.put("value", new String(v, StandardCharsets.UTF_8));
      ArrayNode a = p.putArray("refs");
      refs.forEach(a::add);
    }));
    return o;
  }

  // ---- tombstones ----

  private void tombstones() throws IOException {
    List<TombstoneEntry> entries = Datasets.tombstones();
    JsonNode expected = CapabilityJson.tombstonesOutput(PromTsdb.merged(Tombstones.of(entries)));
    for (Implementation w : with(Capability.WRITE_TOMBSTONES)) {
      Path out = fresh("tombstones").resolve("tombstones");
      ObjectNode rq = request(descriptions.get(w).targets().get(0));
      rq.set("entries", CapabilityJson.tombstoneEntries(entries));
      rq.put("output", out.toString());
      long start = System.nanoTime();
      Response wr = w.invoke(Capability.WRITE_TOMBSTONES, rq);
      for (Implementation r : with(Capability.READ_TOMBSTONES)) {
        String id = "matrix/tombstones/" + w.id() + "->" + r.id();
        if (!(wr instanceof Response.Ok)) {
          record(id, "write-tombstones", w, CaseResult.Outcome.FAIL, "writer failed: " + describe(wr), "", start);
          continue;
        }
        ObjectNode q = request(descriptions.get(r).targets().get(0));
        q.put("file", out.toString());
        compare(id, "read-tombstones", r, r.invoke(Capability.READ_TOMBSTONES, q), o -> o, expected, start);
      }
    }
  }

  // ---- WAL ----

  private void wal() throws IOException {
    List<WalRecord> records = Datasets.walRecords();
    ArrayNode recJson = Json.array();
    ArrayNode expectedRecords = Json.array();
    for (WalRecord r : records) {
      recJson.add(CapabilityJson.walRecord(-1, r.type().code(), r));
      expectedRecords.add(CapabilityJson.walRecord(0, r.type().code(), r));
    }
    ObjectNode expectedRead = Json.object();
    expectedRead.set("records", expectedRecords);
    String expectedDump = DumpText.render(Datasets.walSeries());
    for (String compression : new String[] {"none", "snappy", "zstd"}) {
      for (Implementation w : with(Capability.WRITE_WAL)) {
        String wt = target(w, compression.equals("zstd") ? "2.46.0" : "2.42.0");
        if (wt == null) {
          continue;
        }
        Path dataDir = fresh("data");
        Path walDir = dataDir.resolve("wal");
        ObjectNode rq = request(wt);
        rq.set("records", recJson);
        rq.put("compression", compression);
        rq.put("segment_size", 128 * 1024 * 1024);
        rq.put("output", walDir.toString());
        long start = System.nanoTime();
        Response wr = w.invoke(Capability.WRITE_WAL, rq);
        for (Implementation r : participants) {
          Description d = descriptions.get(r);
          boolean canRead = d.has(Capability.READ_WAL);
          boolean canDump = d.has(Capability.DUMP_DIR);
          if (!canRead && !canDump) {
            continue;
          }
          String id = "matrix/wal/" + compression + "/" + w.id() + "->" + r.id();
          if (!(wr instanceof Response.Ok)) {
            record(id, "write-wal", w, CaseResult.Outcome.FAIL, "writer failed: " + describe(wr), "", start);
            continue;
          }
          if (canRead) {
            ObjectNode q = request(d.targets().get(d.targets().size() - 1));
            q.put("dir", walDir.toString());
            compare(id, "read-wal", r, r.invoke(Capability.READ_WAL, q), o -> o, expectedRead, start);
          }
          if (canDump) {
            dumpCompare(id + " (dump)", r, dataDir, expectedDump, null, start);
          }
        }
      }
    }
  }

  /**
   * Dumps {@code dataDir} with {@code reader}'s {@code dump-dir} and compares: exactly (JSON)
   * when the reader answers canonically and {@code expected} is given, else as text.
   */
  private void dumpCompare(String id, Implementation reader, Path dataDir, String expectedText, JsonNode expected, long start)
      throws IOException {
    Description d = descriptions.get(reader);
    ObjectNode q = request(d.targets().get(d.targets().size() - 1));
    q.put("dir", dataDir.toString());
    Response rr = reader.invoke(Capability.DUMP_DIR, q);
    if (rr instanceof Response.Error e) {
      record(id, "dump-dir", reader, CaseResult.Outcome.FAIL, "reader failed: " + e, "", start);
      return;
    }
    JsonNode out = ((Response.Ok) rr).output();
    if (!out.has(DumpText.PROMTOOL_TEXT) && expected != null) {
      compare(id, "dump-dir", reader, rr, o -> o.get("series"), expected, start);
      return;
    }
    String diff = DumpText.firstDifference(expectedText, DumpText.of(out));
    record(id, "dump-dir", reader, diff == null ? CaseResult.Outcome.PASS : CaseResult.Outcome.FAIL,
        diff == null ? "" : "dump differs at " + CaseRunner.firstLine(diff), diff == null ? "" : diff, start);
  }

  // ---- blocks ----

  private void blocks() throws IOException {
    for (Datasets.SeriesSet set : List.of(Datasets.floats(), Datasets.histograms(), Datasets.mixed())) {
      for (Implementation w : with(Capability.WRITE_BLOCK)) {
        for (String min : new String[] {"2.42.0", "3.0.0"}) {
          String wt = min.equals("2.42.0") ? PrometheusVersion.Range.parse(">=2.42.0 <3.0.0").bestTarget(descriptions.get(w).targets()) : target(w, min);
          if (wt == null) {
            continue;
          }
          Path dataDir = fresh("data");
          ObjectNode rq = request(wt);
          rq.set("series", CapabilityJson.seriesSamples(set.series(), true));
          rq.put("output", dataDir.toString());
          long start = System.nanoTime();
          Response wr = w.invoke(Capability.WRITE_BLOCK, rq);
          readBlocks("matrix/write-block/" + set.name() + "/" + (min.equals("3.0.0") ? "3.x" : "2.x") + "/" + w.id(),
              w, wr, dataDir, set.series(), start);
        }
      }
    }
  }

  /** Every block reader and dump reader against what a writer put in {@code dataDir}. */
  private void readBlocks(String prefix, Implementation w, Response wr, Path dataDir, List<SeriesSamples> series, long start)
      throws IOException {
    JsonNode expected = CapabilityJson.seriesSamples(series, false);
    String expectedText = DumpText.render(series);
    for (Implementation r : participants) {
      Description d = descriptions.get(r);
      boolean canRead = d.has(Capability.READ_BLOCK);
      boolean canDump = d.has(Capability.DUMP_DIR);
      if (!canRead && !canDump) {
        continue;
      }
      String id = prefix + "->" + r.id();
      if (!(wr instanceof Response.Ok)) {
        record(id, "write-block", w, CaseResult.Outcome.FAIL, "writer failed: " + describe(wr), "", start);
        continue;
      }
      if (canRead) {
        List<JsonNode> outputs = new ArrayList<>();
        Response failed = null;
        for (Path b : CaseRunner.blockDirs(dataDir)) {
          ObjectNode q = request(d.targets().get(d.targets().size() - 1));
          q.put("dir", b.toString());
          Response rr = r.invoke(Capability.READ_BLOCK, q);
          if (rr instanceof Response.Error) {
            failed = rr;
            break;
          }
          outputs.add(((Response.Ok) rr).output());
        }
        if (failed != null) {
          record(id, "read-block", r, CaseResult.Outcome.FAIL, "reader failed: " + failed, "", start);
          continue;
        }
        if (outputs.isEmpty()) {
          record(id, "read-block", r, CaseResult.Outcome.FAIL, "no block written", "", start);
          continue;
        }
        JsonNode actual = CapabilityJson.seriesSamples(DumpText.fromBlocks(outputs), false);
        String diff = Json.difference(expected, actual);
        record(id, "read-block", r, diff == null ? CaseResult.Outcome.PASS : CaseResult.Outcome.FAIL,
            diff == null ? "" : "reader sees different data: " + diff, "", start);
      }
      if (canDump) {
        dumpCompare(id + " (dump)", r, dataDir, expectedText, expected, start);
      }
    }
  }

  private void openMetrics() throws IOException {
    Datasets.SeriesSet set = Datasets.openMetrics();
    Path om = fresh("om").resolve("input.om");
    Files.writeString(om, Datasets.toOpenMetrics(set));
    for (Implementation w : with(Capability.WRITE_BLOCKS)) {
      Path dataDir = fresh("data");
      ObjectNode rq = request(descriptions.get(w).targets().get(descriptions.get(w).targets().size() - 1));
      rq.put("openmetrics", om.toString());
      rq.put("output", dataDir.toString());
      long start = System.nanoTime();
      Response wr = w.invoke(Capability.WRITE_BLOCKS, rq);
      readBlocks("matrix/write-blocks/openmetrics/" + w.id(), w, wr, dataDir, set.series(), start);
    }
  }

  // ---- fixture blocks ----

  private void fixtureBlocks() throws IOException {
    List<Implementation> readers = new ArrayList<>();
    for (Implementation p : participants) {
      if (descriptions.get(p).has(Capability.READ_BLOCK) || descriptions.get(p).has(Capability.DUMP_DIR)) {
        readers.add(p);
      }
    }
    Implementation oracle = null;
    for (Implementation p : participants) {
      if (p instanceof PromtoolImplementation pt && pt.version().equals("3.5.3")) {
        oracle = p;
      }
    }
    for (ConformanceCase c : corpus.cases(c -> c.capability() == Capability.READ_BLOCK && !c.negative()
        && c.request().path("dir").path("$file").asText().startsWith("/repo/testdata/fixtures/"))) {
      Path block = corpus.resolve(c, c.request().get("dir").get("$file").asText());
      String name = block.getParent().getParent().getFileName() + "-" + block.getFileName();
      Path dataDir = fresh("fixture");
      Corpus.copyTree(block, dataDir.resolve(block.getFileName().toString()));
      long start = System.nanoTime();
      String expectedText;
      if (oracle != null) {
        ObjectNode q = request("3.5.3");
        q.put("dir", dataDir.toString());
        Response o = oracle.invoke(Capability.DUMP_DIR, q);
        if (!(o instanceof Response.Ok ok)) {
          record("matrix/fixture-blocks/" + name, "dump-dir", oracle, CaseResult.Outcome.FAIL, "promtool cannot dump the block: " + describe(o), "", start);
          continue;
        }
        expectedText = DumpText.of(ok.output());
      } else {
        Implementation ref = PromTsdb.implementation();
        ObjectNode q = request("3.5.3");
        q.put("dir", block.toString());
        Response o = ref.invoke(Capability.READ_BLOCK, q);
        if (!(o instanceof Response.Ok ok)) {
          record("matrix/fixture-blocks/" + name, "read-block", ref, CaseResult.Outcome.FAIL, "PromTSDB cannot read the block: " + describe(o), "", start);
          continue;
        }
        expectedText = DumpText.of(ok.output());
      }
      for (Implementation r : readers) {
        if (r == oracle || (oracle == null && r.id().equals("promtsdb"))) {
          continue; // without promtool, PromTSDB's reading is the reference: nothing to compare it with
        }
        String id = "matrix/fixture-blocks/" + name + "/" + (oracle != null ? oracle.id() : "promtsdb") + "->" + r.id();
        Description d = descriptions.get(r);
        if (d.has(Capability.DUMP_DIR)) {
          dumpCompare(id + " (dump)", r, dataDir, expectedText, null, start);
        }
        if (d.has(Capability.READ_BLOCK)) {
          ObjectNode q = request(d.targets().get(d.targets().size() - 1));
          q.put("dir", dataDir.resolve(block.getFileName().toString()).toString());
          Response rr = r.invoke(Capability.READ_BLOCK, q);
          if (rr instanceof Response.Error e) {
            record(id, "read-block", r, CaseResult.Outcome.FAIL, "reader failed: " + e, "", start);
            continue;
          }
          String diff = DumpText.firstDifference(expectedText, DumpText.of(((Response.Ok) rr).output()));
          record(id, "read-block", r, diff == null ? CaseResult.Outcome.PASS : CaseResult.Outcome.FAIL,
              diff == null ? "" : "dump differs at " + CaseRunner.firstLine(diff), diff == null ? "" : diff, start);
        }
      }
    }
  }
}
