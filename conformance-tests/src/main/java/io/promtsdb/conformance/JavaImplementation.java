package io.promtsdb.conformance;

import static io.promtsdb.conformance.Canonical.arrayMember;
import static io.promtsdb.conformance.Canonical.int32;
import static io.promtsdb.conformance.Canonical.int64;
import static io.promtsdb.conformance.Canonical.member;
import static io.promtsdb.conformance.Canonical.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promtsdb.core.ChecksumMismatchException;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.UnsupportedFormatVersionException;
import io.promtsdb.tombstones.TombstoneEntry;
import io.promtsdb.wal.Segments;
import io.promtsdb.wal.WalCorruptionException;
import io.promtsdb.wal.WalRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An implementation made of typed Java capabilities ({@link DecodeChunk}, {@link ReadIndex},
 * ...), run in this process. It turns contract requests into calls and results into canonical
 * JSON, and exceptions into error responses: {@link CorruptFormatException} and its subclasses
 * by their kind and offset (a file named in the exception is made relative to the request's
 * input), {@link UnsupportedOperationException} as {@code unsupported}, any other exception as
 * {@code crash}.
 *
 * <pre>{@code
 * Implementation impl = JavaImplementation.builder("my-xor", "1.0", List.of("3.5.3"))
 *     .decodeChunk(myDecoder)
 *     .encodeChunk(myEncoder)
 *     .build();
 * }</pre>
 */
public final class JavaImplementation implements Implementation {
  private final String id;
  private final String version;
  private final List<String> targets;
  private final Map<Capability, Object> capabilities;
  private final Map<Capability, String> missing;

  private JavaImplementation(Builder b) {
    this.id = b.id;
    this.version = b.version;
    this.targets = List.copyOf(b.targets);
    this.capabilities = new EnumMap<>(b.capabilities);
    this.missing = new EnumMap<>(b.missing);
  }

  public static Builder builder(String id, String version, List<String> targets) {
    return new Builder(id, version, targets);
  }

  /** Assembles the capabilities an implementation has; leave out the others. */
  public static final class Builder {
    private final String id;
    private final String version;
    private final List<String> targets;
    private final Map<Capability, Object> capabilities = new EnumMap<>(Capability.class);
    private final Map<Capability, String> missing = new EnumMap<>(Capability.class);

    private Builder(String id, String version, List<String> targets) {
      this.id = Objects.requireNonNull(id);
      this.version = Objects.requireNonNull(version);
      this.targets = List.copyOf(targets);
      for (String t : targets) {
        PrometheusVersion.parse(t);
      }
    }

    private Builder put(Capability c, Object impl) {
      capabilities.put(c, Objects.requireNonNull(impl));
      return this;
    }

    public Builder decodeChunk(DecodeChunk c) {
      return put(Capability.DECODE_CHUNK, c);
    }

    public Builder encodeChunk(EncodeChunk c) {
      return put(Capability.ENCODE_CHUNK, c);
    }

    public Builder readIndex(ReadIndex c) {
      return put(Capability.READ_INDEX, c);
    }

    public Builder writeIndex(WriteIndex c) {
      return put(Capability.WRITE_INDEX, c);
    }

    public Builder readWal(ReadWal c) {
      return put(Capability.READ_WAL, c);
    }

    public Builder writeWal(WriteWal c) {
      return put(Capability.WRITE_WAL, c);
    }

    public Builder readTombstones(ReadTombstones c) {
      return put(Capability.READ_TOMBSTONES, c);
    }

    public Builder writeTombstones(WriteTombstones c) {
      return put(Capability.WRITE_TOMBSTONES, c);
    }

    public Builder readBlock(ReadBlock c) {
      return put(Capability.READ_BLOCK, c);
    }

    public Builder writeBlock(WriteBlock c) {
      return put(Capability.WRITE_BLOCK, c);
    }

    public Builder dumpDir(DumpDir c) {
      return put(Capability.DUMP_DIR, c);
    }

    public Builder writeBlocks(WriteBlocks c) {
      return put(Capability.WRITE_BLOCKS, c);
    }

    public Builder listBlocks(ListBlocks c) {
      return put(Capability.LIST_BLOCKS, c);
    }

    /**
     * Says why capabilities are missing ({@code describe}'s {@code missing}); the reason is
     * reported with every case skipped for want of them. Ignored for capabilities it has.
     */
    public Builder missing(Map<Capability, String> reasons) {
      missing.putAll(reasons);
      return this;
    }

    /** Drops a capability (e.g. to test a subset). */
    public Builder without(Capability c) {
      capabilities.remove(c);
      return this;
    }

    public JavaImplementation build() {
      return new JavaImplementation(this);
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Description describe() {
    return new Description(id, version, targets, capabilities.keySet(), true, Set.of(), missing);
  }

  /** The typed capability, or null. */
  @SuppressWarnings("unchecked")
  public <T> T capability(Capability c, Class<T> type) {
    return (T) capabilities.get(c);
  }

  @Override
  public Response invoke(Capability c, ObjectNode request) {
    Object impl = capabilities.get(c);
    if (impl == null) {
      return new Response.Error(ErrorKind.UNSUPPORTED, null, null, id + " has no capability " + c);
    }
    Path input = inputOf(request);
    try {
      return new Response.Ok(call(c, impl, request));
    } catch (Canonical.MalformedJsonException e) {
      return new Response.Error(ErrorKind.UNSUPPORTED, null, null, "malformed request: " + e.getMessage());
    } catch (UnsupportedOperationException e) {
      return new Response.Error(ErrorKind.UNSUPPORTED, null, null, String.valueOf(e.getMessage()));
    } catch (Exception | StackOverflowError | OutOfMemoryError e) {
      return classify(e, input);
    }
  }

  private static PrometheusVersion target(JsonNode request) {
    return PrometheusVersion.parse(text(member(request, "target", "$"), "$.target"));
  }

  private static Path path(JsonNode request, String name) {
    return Path.of(text(member(request, name, "$"), "$." + name));
  }

  private JsonNode call(Capability c, Object impl, ObjectNode rq) throws IOException {
    switch (c) {
      case DECODE_CHUNK -> {
        byte[] data = Files.readAllBytes(path(rq, "chunk"));
        DecodedChunk d = ((DecodeChunk) impl).decode(int32(member(rq, "encoding", "$"), "$.encoding"), data);
        return CapabilityJson.decodedChunk(d);
      }
      case ENCODE_CHUNK -> {
        byte[] out = ((EncodeChunk) impl).encode(
            int32(member(rq, "encoding", "$"), "$.encoding"),
            CapabilityJson.optionalHeader(rq, "$"),
            Canonical.parseSamples(member(rq, "samples", "$"), "$.samples"),
            target(rq));
        Files.write(path(rq, "output"), out);
        return Json.object();
      }
      case READ_INDEX -> {
        return CapabilityJson.indexContent(((ReadIndex) impl).read(path(rq, "index")));
      }
      case WRITE_INDEX -> {
        ((WriteIndex) impl).write(
            path(rq, "output"),
            Canonical.parseStrings(member(rq, "symbols", "$"), "$.symbols"),
            CapabilityJson.parseIndexSeriesInput(arrayMember(rq, "series", "$"), "$.series"),
            target(rq));
        return Json.object();
      }
      case READ_WAL -> {
        ObjectNode o = Json.object();
        ArrayNode a = o.putArray("records");
        for (ReadWal.Entry e : ((ReadWal) impl).read(path(rq, "dir"))) {
          a.add(CapabilityJson.walRecord(e.segment(), e.type(), e.record()));
        }
        return o;
      }
      case WRITE_WAL -> {
        JsonNode recs = arrayMember(rq, "records", "$");
        List<WalRecord> records = new ArrayList<>();
        for (int i = 0; i < recs.size(); i++) {
          records.add(CapabilityJson.parseWalRecord(recs.get(i), "$.records[" + i + "]"));
        }
        ((WriteWal) impl).write(
            path(rq, "output"), records, text(member(rq, "compression", "$"), "$.compression"),
            int32(member(rq, "segment_size", "$"), "$.segment_size"));
        return Json.object();
      }
      case READ_TOMBSTONES -> {
        return CapabilityJson.tombstonesOutput(((ReadTombstones) impl).read(path(rq, "file")));
      }
      case WRITE_TOMBSTONES -> {
        List<TombstoneEntry> entries =
            CapabilityJson.parseTombstoneEntries(arrayMember(rq, "entries", "$"), "$.entries");
        ((WriteTombstones) impl).write(path(rq, "output"), entries);
        return Json.object();
      }
      case READ_BLOCK -> {
        return CapabilityJson.blockContent(((ReadBlock) impl).read(path(rq, "dir")));
      }
      case WRITE_BLOCK -> {
        String ulid = ((WriteBlock) impl).write(
            path(rq, "output"),
            CapabilityJson.parseSeriesSamples(member(rq, "series", "$"), "$.series"),
            target(rq));
        ObjectNode o = Json.object();
        o.put("ulid", ulid);
        return o;
      }
      case DUMP_DIR -> {
        long mint = rq.has("min_time") ? int64(rq.get("min_time"), "$.min_time") : Long.MIN_VALUE;
        long maxt = rq.has("max_time") ? int64(rq.get("max_time"), "$.max_time") : Long.MAX_VALUE;
        return CapabilityJson.dumpOutput(((DumpDir) impl).dump(path(rq, "dir"), mint, maxt));
      }
      case WRITE_BLOCKS -> {
        List<String> ulids = ((WriteBlocks) impl).write(path(rq, "openmetrics"), path(rq, "output"), target(rq));
        ObjectNode o = Json.object();
        ArrayNode a = o.putArray("blocks");
        ulids.forEach(a::add);
        return o;
      }
      case LIST_BLOCKS -> {
        return CapabilityJson.listOutput(((ListBlocks) impl).list(path(rq, "dir")));
      }
    }
    throw new IllegalStateException("unreachable: " + c);
  }

  /** The request's input file or directory, to make reported file names relative. */
  private static Path inputOf(JsonNode rq) {
    for (String name : new String[] {"chunk", "index", "dir", "file", "openmetrics"}) {
      if (rq.has(name) && rq.get(name).isTextual()) {
        return Path.of(rq.get(name).textValue());
      }
    }
    return null;
  }

  /** The error response for an exception thrown by a capability. */
  static Response.Error classify(Throwable e, Path input) {
    if (e instanceof WalCorruptionException w) {
      String file = w.segment() >= 0 ? Segments.name(w.segment()) : relativeFile(w.resource(), input);
      // format-wal reports a fragment CRC mismatch as a WalCorruptionException without a typed
      // cause; its detail is Prometheus' message ("unexpected checksum ...").
      ErrorKind kind = w.getCause() instanceof ChecksumMismatchException || w.detail().startsWith("unexpected checksum")
          ? ErrorKind.CHECKSUM_MISMATCH : kindOf(w.getCause() != null ? w.getCause() : e);
      return new Response.Error(kind, file, w.offset() >= 0 ? w.offset() : null, e.getMessage());
    }
    if (e instanceof CorruptFormatException c) {
      return new Response.Error(kindOf(e), relativeFile(c.resource(), input),
          c.offset() >= 0 ? c.offset() : null, e.getMessage());
    }
    if (e instanceof IOException) {
      // Not a format error the implementation recognised (a missing file, say): corrupt, no offset.
      return new Response.Error(ErrorKind.CORRUPT, null, null, e.toString());
    }
    StringWriter sw = new StringWriter();
    e.printStackTrace(new PrintWriter(sw));
    String trace = sw.toString();
    return new Response.Error(ErrorKind.CRASH, null, null,
        trace.length() > 4000 ? trace.substring(0, 4000) + "..." : trace);
  }

  private static ErrorKind kindOf(Throwable e) {
    if (e instanceof ChecksumMismatchException) {
      return ErrorKind.CHECKSUM_MISMATCH;
    }
    if (e instanceof UnsupportedFormatVersionException) {
      return ErrorKind.UNSUPPORTED_VERSION;
    }
    return ErrorKind.CORRUPT;
  }

  /**
   * {@code resource} ("dir/index [postings]") as a path relative to the input: "index", or
   * null if it is not under the input.
   */
  static String relativeFile(String resource, Path input) {
    if (resource == null || input == null) {
      return null;
    }
    String r = resource;
    int bracket = r.indexOf(" [");
    if (bracket >= 0) {
      r = r.substring(0, bracket);
    }
    try {
      Path p = Path.of(r).toAbsolutePath().normalize();
      Path in = input.toAbsolutePath().normalize();
      if (p.equals(in)) {
        return Files.isDirectory(in) ? null : in.getFileName().toString();
      }
      if (p.startsWith(in)) {
        return in.relativize(p).toString().replace('\\', '/');
      }
    } catch (RuntimeException e) {
      return null;
    }
    return null;
  }
}
