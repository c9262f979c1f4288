package io.promtsdb.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.promtsdb.core.CorruptFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A block's {@code meta.json}: identity, time range, statistics and compaction history (Go's
 * {@code tsdb.BlockMeta}).
 *
 * <p>{@link #parse} reads every field Prometheus 2.x and 3.x write, in any key order (old
 * files put {@code version} first), ignoring unknown keys (Thanos adds a {@code thanos}
 * object) and matching keys case-insensitively as Go's {@code encoding/json} does. {@link
 * #toJson} writes the bytes {@code json.MarshalIndent(meta, "", "\t")} writes: Go's field
 * order, tab indentation, {@code omitempty} rules, no trailing newline.
 *
 * @param ulid the block's identity
 * @param minTime first sample time, inclusive (ms)
 * @param maxTime end of the block, <b>exclusive</b> (last sample + 1 for a head block)
 * @param stats sample, series, chunk and tombstone counts
 * @param compaction level, sources, parents and hints
 * @param version the meta format version; always 1
 */
public record BlockMeta(
    Ulid ulid, long minTime, long maxTime, Stats stats, Compaction compaction, int version) {

  /** The file name in a block directory. */
  public static final String FILE_NAME = "meta.json";

  /** The only meta format version Prometheus has written or reads. */
  public static final int VERSION_1 = 1;

  /** Hint of blocks compacted from out-of-order data (2.39+). */
  public static final String HINT_FROM_OUT_OF_ORDER = "from-out-of-order";

  /** Hint of blocks compacted from stale series (3.10+). */
  public static final String HINT_FROM_STALE_SERIES = "from-stale-series";

  /** Hint of blocks compacted from selected series (3.14+). */
  public static final String HINT_FROM_SELECTED_SERIES = "from-selected-series";

  private static final ObjectMapper JSON = new ObjectMapper();

  public BlockMeta {
    Objects.requireNonNull(ulid, "ulid");
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(compaction, "compaction");
  }

  /**
   * Counts, unsigned 64-bit in Go (shown with {@link Long#toUnsignedString}); zero means
   * absent from the file. {@code numFloatSamples} and {@code numHistogramSamples} exist since
   * Prometheus 3.6.
   */
  public record Stats(
      long numSamples,
      long numFloatSamples,
      long numHistogramSamples,
      long numSeries,
      long numChunks,
      long numTombstones) {
    public static final Stats EMPTY = new Stats(0, 0, 0, 0, 0, 0);
  }

  /** A parent block: its identity and time range. */
  public record BlockDesc(Ulid ulid, long minTime, long maxTime) {
    public BlockDesc {
      Objects.requireNonNull(ulid, "ulid");
    }
  }

  /**
   * How the block came to be.
   *
   * @param level 1 for blocks cut from the head, 1 + the highest parent level after merging
   * @param sources the level-1 blocks whose data this block holds, sorted
   * @param deletable the compaction produced no samples; Prometheus deletes the block
   * @param parents the blocks merged directly into this one
   * @param failed a compaction of this block failed
   * @param hints sorted, e.g. {@value #HINT_FROM_OUT_OF_ORDER}
   */
  public record Compaction(
      int level,
      List<Ulid> sources,
      boolean deletable,
      List<BlockDesc> parents,
      boolean failed,
      List<String> hints) {
    public Compaction {
      sources = List.copyOf(sources);
      parents = List.copyOf(parents);
      hints = List.copyOf(hints);
    }

    /** Whether the block was compacted from out-of-order data. */
    public boolean fromOutOfOrder() {
      return hints.contains(HINT_FROM_OUT_OF_ORDER);
    }
  }

  /** Reads {@code <blockDir>/meta.json}. */
  public static BlockMeta read(Path blockDir) throws IOException {
    Path file = blockDir.resolve(FILE_NAME);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CorruptFormatException(file.toString(), CorruptFormatException.NO_OFFSET, "missing", e);
    }
    return parse(bytes, file.toString());
  }

  /**
   * Parses meta.json bytes; {@code resource} names the file in errors.
   *
   * @throws CorruptFormatException if the JSON is malformed, a field has the wrong type, or
   *     the version is not 1 (Go: "unexpected meta file version")
   */
  public static BlockMeta parse(byte[] json, String resource) throws CorruptFormatException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      long offset = e.getLocation() == null ? CorruptFormatException.NO_OFFSET : e.getLocation().getCharOffset();
      throw new CorruptFormatException(resource, offset, "invalid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new CorruptFormatException(resource, CorruptFormatException.NO_OFFSET, "invalid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new CorruptFormatException(resource, CorruptFormatException.NO_OFFSET, "not a JSON object");
    }
    Fields f = new Fields(root, resource, "");
    BlockMeta m =
        new BlockMeta(
            f.ulid("ulid"),
            f.int64("minTime"),
            f.int64("maxTime"),
            stats(f.object("stats")),
            compaction(f.object("compaction")),
            (int) f.int64("version"));
    if (m.version != VERSION_1) {
      throw new CorruptFormatException(resource, CorruptFormatException.NO_OFFSET, "unexpected meta file version " + m.version);
    }
    return m;
  }

  private static Stats stats(Fields f) throws CorruptFormatException {
    if (f == null) {
      return Stats.EMPTY;
    }
    return new Stats(
        f.uint64("numSamples"),
        f.uint64("numFloatSamples"),
        f.uint64("numHistogramSamples"),
        f.uint64("numSeries"),
        f.uint64("numChunks"),
        f.uint64("numTombstones"));
  }

  private static Compaction compaction(Fields f) throws CorruptFormatException {
    if (f == null) {
      return new Compaction(0, List.of(), false, List.of(), false, List.of());
    }
    List<Ulid> sources = new ArrayList<>();
    for (Fields.Element e : f.array("sources")) {
      sources.add(e.ulid());
    }
    List<BlockDesc> parents = new ArrayList<>();
    for (Fields.Element e : f.array("parents")) {
      Fields p = e.object();
      parents.add(new BlockDesc(p.ulid("ulid"), p.int64("minTime"), p.int64("maxTime")));
    }
    List<String> hints = new ArrayList<>();
    for (Fields.Element e : f.array("hints")) {
      hints.add(e.string());
    }
    return new Compaction(
        (int) f.int64("level"), sources, f.bool("deletable"), parents, f.bool("failed"), hints);
  }

  /** The bytes Go's {@code json.MarshalIndent(meta, "", "\t")} produces for this meta. */
  public byte[] toJson() {
    GoJson j = new GoJson().beginObject();
    j.name("ulid").value(ulid.toString());
    j.name("minTime").value(minTime);
    j.name("maxTime").value(maxTime);
    j.name("stats").beginObject();
    unsignedIfSet(j, "numSamples", stats.numSamples());
    unsignedIfSet(j, "numFloatSamples", stats.numFloatSamples());
    unsignedIfSet(j, "numHistogramSamples", stats.numHistogramSamples());
    unsignedIfSet(j, "numSeries", stats.numSeries());
    unsignedIfSet(j, "numChunks", stats.numChunks());
    unsignedIfSet(j, "numTombstones", stats.numTombstones());
    j.endObject();
    j.name("compaction").beginObject();
    j.name("level").value(compaction.level());
    if (!compaction.sources().isEmpty()) {
      j.name("sources").beginArray();
      for (Ulid u : compaction.sources()) {
        j.value(u.toString());
      }
      j.endArray();
    }
    if (compaction.deletable()) {
      j.name("deletable").value(true);
    }
    if (!compaction.parents().isEmpty()) {
      j.name("parents").beginArray();
      for (BlockDesc p : compaction.parents()) {
        j.beginObject();
        j.name("ulid").value(p.ulid().toString());
        j.name("minTime").value(p.minTime());
        j.name("maxTime").value(p.maxTime());
        j.endObject();
      }
      j.endArray();
    }
    if (compaction.failed()) {
      j.name("failed").value(true);
    }
    if (!compaction.hints().isEmpty()) {
      j.name("hints").beginArray();
      for (String h : compaction.hints()) {
        j.value(h);
      }
      j.endArray();
    }
    j.endObject();
    j.name("version").value(version);
    j.endObject();
    return j.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void unsignedIfSet(GoJson j, String name, long v) {
    if (v != 0) {
      j.name(name).unsignedValue(v);
    }
  }

  /** The block's duration in milliseconds ({@code maxTime - minTime}). */
  public long durationMillis() {
    return maxTime - minTime;
  }

  /** Whether the block holds data in the closed interval {@code [mint, maxt]} (maxTime exclusive). */
  public boolean overlapsClosedInterval(long mint, long maxt) {
    // The block's maxTime is exclusive: [minTime, maxTime).
    return minTime <= maxt && mint < maxTime;
  }

  /** Typed, Go-like access to the members of a JSON object. */
  private static final class Fields {
    private final JsonNode node;
    private final String resource;
    private final String path;

    Fields(JsonNode node, String resource, String path) {
      this.node = node;
      this.resource = resource;
      this.path = path;
    }

    // Go's encoding/json: the last member whose name equals the field's, ignoring case.
    private JsonNode get(String name) {
      JsonNode found = null;
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equalsIgnoreCase(name)) {
          found = e.getValue();
        }
      }
      return found == null || found.isNull() ? null : found;
    }

    private CorruptFormatException wrong(String name, String want, JsonNode got) {
      return new CorruptFormatException(
          resource,
          CorruptFormatException.NO_OFFSET,
          "field " + path + name + ": actual " + got.getNodeType().toString().toLowerCase() + " " + got + " vs expected " + want);
    }

    long int64(String name) throws CorruptFormatException {
      JsonNode n = get(name);
      if (n == null) {
        return 0;
      }
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        throw wrong(name, "an int64", n);
      }
      return n.longValue();
    }

    long uint64(String name) throws CorruptFormatException {
      JsonNode n = get(name);
      if (n == null) {
        return 0;
      }
      if (!n.isIntegralNumber() || n.bigIntegerValue().signum() < 0 || n.bigIntegerValue().bitLength() > 64) {
        throw wrong(name, "a uint64", n);
      }
      return n.bigIntegerValue().longValue();
    }

    boolean bool(String name) throws CorruptFormatException {
      JsonNode n = get(name);
      if (n == null) {
        return false;
      }
      if (!n.isBoolean()) {
        throw wrong(name, "a boolean", n);
      }
      return n.booleanValue();
    }

    Ulid ulid(String name) throws CorruptFormatException {
      JsonNode n = get(name);
      if (n == null) {
        return Ulid.ZERO;
      }
      if (!n.isTextual()) {
        throw wrong(name, "a ULID string", n);
      }
      try {
        return Ulid.parse(n.textValue());
      } catch (IllegalArgumentException e) {
        throw new CorruptFormatException(resource, CorruptFormatException.NO_OFFSET, "field " + path + name + ": " + e.getMessage());
      }
    }

    Fields object(String name) throws CorruptFormatException {
      JsonNode n = get(name);
      if (n == null) {
        return null;
      }
      if (!n.isObject()) {
        throw wrong(name, "an object", n);
      }
      return new Fields(n, resource, path + name + ".");
    }

    List<Element> array(String name) throws CorruptFormatException {
      JsonNode n = get(name);
      if (n == null) {
        return List.of();
      }
      if (!n.isArray()) {
        throw wrong(name, "an array", n);
      }
      List<Element> out = new ArrayList<>(n.size());
      for (int i = 0; i < n.size(); i++) {
        out.add(new Element(n.get(i), path + name + "[" + i + "]"));
      }
      return out;
    }

    final class Element {
      private final JsonNode n;
      private final String where;

      Element(JsonNode n, String where) {
        this.n = n;
        this.where = where;
      }

      private CorruptFormatException wrong(String want) {
        return new CorruptFormatException(
            resource, CorruptFormatException.NO_OFFSET, where + ": actual " + n + " vs expected " + want);
      }

      Ulid ulid() throws CorruptFormatException {
        if (!n.isTextual()) {
          throw wrong("a ULID string");
        }
        try {
          return Ulid.parse(n.textValue());
        } catch (IllegalArgumentException e) {
          throw new CorruptFormatException(resource, CorruptFormatException.NO_OFFSET, where + ": " + e.getMessage());
        }
      }

      String string() throws CorruptFormatException {
        if (!n.isTextual()) {
          throw wrong("a string");
        }
        return n.textValue();
      }

      Fields object() throws CorruptFormatException {
        if (!n.isObject()) {
          throw wrong("an object");
        }
        return new Fields(n, resource, where + ".");
      }
    }
  }
}
