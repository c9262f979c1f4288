package io.promtsdb.conformance;

import static io.promtsdb.conformance.Canonical.arrayMember;
import static io.promtsdb.conformance.Canonical.int32;
import static io.promtsdb.conformance.Canonical.int64;
import static io.promtsdb.conformance.Canonical.member;
import static io.promtsdb.conformance.Canonical.parseLabels;
import static io.promtsdb.conformance.Canonical.text;
import static io.promtsdb.conformance.Canonical.uint64;
import static io.promtsdb.conformance.Canonical.unsigned;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Sample;
import io.promtsdb.index.ChunkMeta;
import io.promtsdb.index.IndexSeries;
import io.promtsdb.tombstones.TombstoneEntry;
import io.promtsdb.wal.Refs;
import io.promtsdb.wal.WalRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * The JSON of each capability's inputs and outputs (the spec's conformance chapter lists the
 * same members in the same order): typed values to canonical JSON and back.
 */
public final class CapabilityJson {
  private CapabilityJson() {}

  // ---- decode-chunk / encode-chunk ----

  public static ObjectNode decodedChunk(DecodedChunk c) {
    ObjectNode o = Json.object();
    if (c.header() != null) {
      o.put("header", Canonical.hintName(c.header()));
    }
    o.set("samples", Canonical.samples(c.samples(), false));
    return o;
  }

  // ---- index ----

  public static ObjectNode indexContent(IndexContent c) {
    ObjectNode o = Json.object();
    o.put("version", c.version());
    ArrayNode sy = o.putArray("symbols");
    c.symbols().forEach(sy::add);
    ArrayNode se = o.putArray("series");
    for (IndexSeries s : c.series()) {
      ObjectNode so = se.addObject();
      so.set("ref", unsigned(s.ref()));
      so.set("labels", Canonical.labels(s.labels()));
      so.set("chunks", chunkMetas(s.chunks()));
    }
    ArrayNode po = o.putArray("postings");
    for (IndexContent.PostingsList p : c.postings()) {
      ObjectNode pe = po.addObject();
      pe.put("name", p.name());
      pe.put("value", p.value());
      ArrayNode refs = pe.putArray("refs");
      for (long r : p.refs()) {
        refs.add(unsigned(r));
      }
    }
    return o;
  }

  static ArrayNode chunkMetas(List<ChunkMeta> metas) {
    ArrayNode a = Json.array();
    for (ChunkMeta m : metas) {
      ObjectNode mo = a.addObject();
      mo.set("ref", unsigned(m.ref()));
      mo.put("min_time", m.minTime());
      mo.put("max_time", m.maxTime());
    }
    return a;
  }

  static List<ChunkMeta> parseChunkMetas(JsonNode n, String path) {
    List<ChunkMeta> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      String p = path + "[" + i + "]";
      JsonNode m = n.get(i);
      out.add(new ChunkMeta(
          uint64(member(m, "ref", p), p + ".ref"),
          int64(member(m, "min_time", p), p + ".min_time"),
          int64(member(m, "max_time", p), p + ".max_time")));
    }
    return out;
  }

  public static ObjectNode writeIndexInput(List<String> symbols, List<WriteIndex.Series> series) {
    ObjectNode o = Json.object();
    ArrayNode sy = o.putArray("symbols");
    symbols.forEach(sy::add);
    ArrayNode se = o.putArray("series");
    for (WriteIndex.Series s : series) {
      ObjectNode so = se.addObject();
      so.set("labels", Canonical.labels(s.labels()));
      so.set("chunks", chunkMetas(s.chunks()));
    }
    return o;
  }

  public static List<WriteIndex.Series> parseIndexSeriesInput(JsonNode n, String path) {
    List<WriteIndex.Series> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      String p = path + "[" + i + "]";
      JsonNode s = n.get(i);
      out.add(new WriteIndex.Series(
          parseLabels(member(s, "labels", p), p + ".labels"),
          parseChunkMetas(arrayMember(s, "chunks", p), p + ".chunks")));
    }
    return out;
  }

  // ---- tombstones ----

  /** Entries (merged, sorted by ref) as {@code [{"ref", "intervals": [[mint, maxt], ...]}]}. */
  public static ArrayNode tombstones(List<TombstoneEntry> merged) {
    ArrayNode a = Json.array();
    ObjectNode current = null;
    long currentRef = 0;
    for (TombstoneEntry e : merged) {
      if (current == null || e.ref() != currentRef) {
        current = a.addObject();
        current.set("ref", unsigned(e.ref()));
        current.putArray("intervals");
        currentRef = e.ref();
      }
      ArrayNode iv = ((ArrayNode) current.get("intervals")).addArray();
      iv.add(e.mint());
      iv.add(e.maxt());
    }
    return a;
  }

  public static ObjectNode tombstonesOutput(List<TombstoneEntry> merged) {
    ObjectNode o = Json.object();
    o.set("tombstones", tombstones(merged));
    return o;
  }

  public static ArrayNode tombstoneEntries(List<TombstoneEntry> entries) {
    ArrayNode a = Json.array();
    for (TombstoneEntry e : entries) {
      ObjectNode eo = a.addObject();
      eo.set("ref", unsigned(e.ref()));
      eo.put("min_time", e.mint());
      eo.put("max_time", e.maxt());
    }
    return a;
  }

  public static List<TombstoneEntry> parseTombstoneEntries(JsonNode n, String path) {
    List<TombstoneEntry> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      String p = path + "[" + i + "]";
      JsonNode e = n.get(i);
      out.add(new TombstoneEntry(
          uint64(member(e, "ref", p), p + ".ref"),
          int64(member(e, "min_time", p), p + ".min_time"),
          int64(member(e, "max_time", p), p + ".max_time")));
    }
    return out;
  }

  // ---- blocks and dumps ----

  public static ObjectNode blockInfo(BlockInfo b) {
    ObjectNode o = Json.object();
    o.put("ulid", b.ulid());
    o.put("min_time", b.minTime());
    o.put("max_time", b.maxTime());
    o.put("num_samples", b.numSamples());
    o.put("num_series", b.numSeries());
    o.put("num_chunks", b.numChunks());
    return o;
  }

  public static BlockInfo parseBlockInfo(JsonNode n, String path) {
    return new BlockInfo(
        text(member(n, "ulid", path), path + ".ulid"),
        int64(member(n, "min_time", path), path + ".min_time"),
        int64(member(n, "max_time", path), path + ".max_time"),
        int64(member(n, "num_samples", path), path + ".num_samples"),
        int64(member(n, "num_series", path), path + ".num_series"),
        int64(member(n, "num_chunks", path), path + ".num_chunks"));
  }

  public static ObjectNode blockContent(BlockContent b) {
    ObjectNode o = Json.object();
    o.set("meta", blockInfo(b.meta()));
    ArrayNode se = o.putArray("series");
    for (BlockContent.Series s : b.series()) {
      ObjectNode so = se.addObject();
      so.set("ref", unsigned(s.ref()));
      so.set("labels", Canonical.labels(s.labels()));
      ArrayNode ch = so.putArray("chunks");
      for (BlockContent.Chunk c : s.chunks()) {
        ObjectNode co = ch.addObject();
        co.set("ref", unsigned(c.ref()));
        co.put("min_time", c.minTime());
        co.put("max_time", c.maxTime());
        co.put("encoding", c.encoding());
        if (c.header() != null) {
          co.put("header", Canonical.hintName(c.header()));
        }
        co.set("samples", Canonical.samples(c.samples(), false));
      }
    }
    o.set("tombstones", tombstones(b.tombstones()));
    return o;
  }

  public static ObjectNode listOutput(List<BlockInfo> blocks) {
    ObjectNode o = Json.object();
    ArrayNode a = o.putArray("blocks");
    for (BlockInfo b : blocks) {
      a.add(blockInfo(b));
    }
    return o;
  }

  public static ArrayNode seriesSamples(List<SeriesSamples> series, boolean withHints) {
    ArrayNode a = Json.array();
    for (SeriesSamples s : series) {
      ObjectNode so = a.addObject();
      so.set("labels", Canonical.labels(s.labels()));
      so.set("samples", Canonical.samples(s.samples(), withHints));
    }
    return a;
  }

  public static ObjectNode dumpOutput(List<SeriesSamples> series) {
    ObjectNode o = Json.object();
    o.set("series", seriesSamples(series, false));
    return o;
  }

  public static List<SeriesSamples> parseSeriesSamples(JsonNode n, String path) {
    if (n == null || !n.isArray()) {
      throw new Canonical.MalformedJsonException(path, "expected an array of series");
    }
    List<SeriesSamples> out = new ArrayList<>();
    for (int i = 0; i < n.size(); i++) {
      String p = path + "[" + i + "]";
      JsonNode s = n.get(i);
      out.add(new SeriesSamples(
          parseLabels(member(s, "labels", p), p + ".labels"),
          Canonical.parseSamples(member(s, "samples", p), p + ".samples")));
    }
    return out;
  }

  // ---- WAL ----

  /** One record: {@code {"segment"?, "type", <entries>}}; {@code segment < 0} omits it. */
  public static ObjectNode walRecord(int segment, int type, WalRecord r) {
    ObjectNode o = Json.object();
    if (segment >= 0) {
      o.put("segment", segment);
    }
    o.put("type", type);
    if (r == null) {
      return o;
    }
    if (r instanceof WalRecord.Series s) {
      ArrayNode a = o.putArray("series");
      for (Refs.RefSeries e : s.series()) {
        ObjectNode eo = a.addObject();
        eo.set("ref", unsigned(e.ref()));
        eo.set("labels", Canonical.labels(e.labels()));
      }
    } else if (r instanceof WalRecord.Samples s) {
      floatSamples(o, s.samples());
    } else if (r instanceof WalRecord.SamplesV2 s) {
      floatSamples(o, s.samples());
    } else if (r instanceof WalRecord.Tombstones t) {
      ArrayNode a = o.putArray("tombstones");
      for (Refs.RefTombstone e : t.tombstones()) {
        ObjectNode eo = a.addObject();
        eo.set("ref", unsigned(e.ref()));
        eo.put("min_time", e.mint());
        eo.put("max_time", e.maxt());
      }
    } else if (r instanceof WalRecord.Exemplars x) {
      ArrayNode a = o.putArray("exemplars");
      for (Refs.RefExemplar e : x.exemplars()) {
        ObjectNode eo = a.addObject();
        eo.set("ref", unsigned(e.ref()));
        eo.put("t", e.t());
        eo.put("v", Canonical.bits(e.v()));
        eo.set("labels", Canonical.labels(e.labels()));
      }
    } else if (r instanceof WalRecord.MmapMarkers m) {
      ArrayNode a = o.putArray("markers");
      for (Refs.RefMmapMarker e : m.markers()) {
        ObjectNode eo = a.addObject();
        eo.set("ref", unsigned(e.ref()));
        eo.set("mmap_ref", unsigned(e.mmapRef()));
      }
    } else if (r instanceof WalRecord.Metadata m) {
      ArrayNode a = o.putArray("metadata");
      for (Refs.RefMetadata e : m.metadata()) {
        ObjectNode eo = a.addObject();
        eo.set("ref", unsigned(e.ref()));
        eo.put("type", e.type());
        eo.put("unit", e.unit());
        eo.put("help", e.help());
      }
    } else if (r instanceof WalRecord.HistogramSamples h) {
      histogramSamples(o, h.histograms());
    } else if (r instanceof WalRecord.HistogramSamplesV2 h) {
      histogramSamples(o, h.histograms());
    } else if (r instanceof WalRecord.FloatHistogramSamples h) {
      floatHistogramSamples(o, h.histograms());
    } else if (r instanceof WalRecord.FloatHistogramSamplesV2 h) {
      floatHistogramSamples(o, h.histograms());
    }
    return o;
  }

  private static void floatSamples(ObjectNode o, List<Refs.RefSample> samples) {
    ArrayNode a = o.putArray("samples");
    for (Refs.RefSample e : samples) {
      ObjectNode eo = a.addObject();
      eo.set("ref", unsigned(e.ref()));
      eo.put("t", e.t());
      if (e.st() != 0) {
        eo.put("st", e.st());
      }
      eo.put("v", Canonical.bits(e.v()));
    }
  }

  private static void histogramSamples(ObjectNode o, List<Refs.RefHistogramSample> hs) {
    ArrayNode a = o.putArray("histograms");
    for (Refs.RefHistogramSample e : hs) {
      ObjectNode eo = a.addObject();
      eo.set("ref", unsigned(e.ref()));
      eo.put("t", e.t());
      if (e.st() != 0) {
        eo.put("st", e.st());
      }
      eo.set("h", Canonical.histogram(e.h(), true));
    }
  }

  private static void floatHistogramSamples(ObjectNode o, List<Refs.RefFloatHistogramSample> hs) {
    ArrayNode a = o.putArray("float_histograms");
    for (Refs.RefFloatHistogramSample e : hs) {
      ObjectNode eo = a.addObject();
      eo.set("ref", unsigned(e.ref()));
      eo.put("t", e.t());
      if (e.st() != 0) {
        eo.put("st", e.st());
      }
      eo.set("fh", Canonical.floatHistogram(e.fh(), true));
    }
  }

  /** A record of a {@code write-wal} request. */
  public static WalRecord parseWalRecord(JsonNode n, String path) {
    int type = int32(member(n, "type", path), path + ".type");
    switch (type) {
      case 1 -> {
        List<Refs.RefSeries> out = new ArrayList<>();
        JsonNode a = arrayMember(n, "series", path);
        for (int i = 0; i < a.size(); i++) {
          String p = path + ".series[" + i + "]";
          out.add(new Refs.RefSeries(uint64(member(a.get(i), "ref", p), p + ".ref"),
              parseLabels(member(a.get(i), "labels", p), p + ".labels")));
        }
        return new WalRecord.Series(out);
      }
      case 2, 11 -> {
        List<Refs.RefSample> out = new ArrayList<>();
        JsonNode a = arrayMember(n, "samples", path);
        for (int i = 0; i < a.size(); i++) {
          String p = path + ".samples[" + i + "]";
          JsonNode e = a.get(i);
          out.add(new Refs.RefSample(uint64(member(e, "ref", p), p + ".ref"),
              e.has("st") ? int64(e.get("st"), p + ".st") : 0,
              int64(member(e, "t", p), p + ".t"),
              Canonical.parseFloat(member(e, "v", p), p + ".v")));
        }
        return type == 2 ? WalRecord.Samples.of(out) : new WalRecord.SamplesV2(out);
      }
      case 3 -> {
        List<Refs.RefTombstone> out = new ArrayList<>();
        JsonNode a = arrayMember(n, "tombstones", path);
        for (int i = 0; i < a.size(); i++) {
          String p = path + ".tombstones[" + i + "]";
          JsonNode e = a.get(i);
          out.add(new Refs.RefTombstone(uint64(member(e, "ref", p), p + ".ref"),
              int64(member(e, "min_time", p), p + ".min_time"), int64(member(e, "max_time", p), p + ".max_time")));
        }
        return new WalRecord.Tombstones(out);
      }
      case 4 -> {
        List<Refs.RefExemplar> out = new ArrayList<>();
        JsonNode a = arrayMember(n, "exemplars", path);
        for (int i = 0; i < a.size(); i++) {
          String p = path + ".exemplars[" + i + "]";
          JsonNode e = a.get(i);
          out.add(new Refs.RefExemplar(uint64(member(e, "ref", p), p + ".ref"), int64(member(e, "t", p), p + ".t"),
              Canonical.parseFloat(member(e, "v", p), p + ".v"), parseLabels(member(e, "labels", p), p + ".labels")));
        }
        return WalRecord.Exemplars.of(out);
      }
      case 5 -> {
        List<Refs.RefMmapMarker> out = new ArrayList<>();
        JsonNode a = arrayMember(n, "markers", path);
        for (int i = 0; i < a.size(); i++) {
          String p = path + ".markers[" + i + "]";
          JsonNode e = a.get(i);
          out.add(new Refs.RefMmapMarker(uint64(member(e, "ref", p), p + ".ref"), uint64(member(e, "mmap_ref", p), p + ".mmap_ref")));
        }
        return new WalRecord.MmapMarkers(out);
      }
      case 6 -> {
        List<Refs.RefMetadata> out = new ArrayList<>();
        JsonNode a = arrayMember(n, "metadata", path);
        for (int i = 0; i < a.size(); i++) {
          String p = path + ".metadata[" + i + "]";
          JsonNode e = a.get(i);
          out.add(new Refs.RefMetadata(uint64(member(e, "ref", p), p + ".ref"), int32(member(e, "type", p), p + ".type"),
              text(member(e, "unit", p), p + ".unit"), text(member(e, "help", p), p + ".help")));
        }
        return new WalRecord.Metadata(out);
      }
      case 7, 9, 12 -> {
        List<Refs.RefHistogramSample> out = new ArrayList<>();
        JsonNode a = arrayMember(n, "histograms", path);
        for (int i = 0; i < a.size(); i++) {
          String p = path + ".histograms[" + i + "]";
          JsonNode e = a.get(i);
          out.add(new Refs.RefHistogramSample(uint64(member(e, "ref", p), p + ".ref"),
              e.has("st") ? int64(e.get("st"), p + ".st") : 0, int64(member(e, "t", p), p + ".t"),
              Canonical.parseHistogram(member(e, "h", p), p + ".h")));
        }
        return type == 12 ? new WalRecord.HistogramSamplesV2(out) : WalRecord.HistogramSamples.of(type == 9, out);
      }
      case 8, 10, 13 -> {
        List<Refs.RefFloatHistogramSample> out = new ArrayList<>();
        JsonNode a = arrayMember(n, "float_histograms", path);
        for (int i = 0; i < a.size(); i++) {
          String p = path + ".float_histograms[" + i + "]";
          JsonNode e = a.get(i);
          out.add(new Refs.RefFloatHistogramSample(uint64(member(e, "ref", p), p + ".ref"),
              e.has("st") ? int64(e.get("st"), p + ".st") : 0, int64(member(e, "t", p), p + ".t"),
              Canonical.parseFloatHistogram(member(e, "fh", p), p + ".fh")));
        }
        return type == 13 ? new WalRecord.FloatHistogramSamplesV2(out) : WalRecord.FloatHistogramSamples.of(type == 10, out);
      }
      default -> throw new Canonical.MalformedJsonException(path + ".type", "no record type " + type);
    }
  }

  // ---- small helpers ----

  static CounterResetHint optionalHeader(JsonNode request, String path) {
    return request.has("header") ? Canonical.parseHint(request.get("header"), path + ".header") : null;
  }

  static ObjectNode labelsOnly(Labels l) {
    return Canonical.labels(l);
  }

  static List<Sample> samples(JsonNode n, String path) {
    return Canonical.parseSamples(n, path);
  }
}
