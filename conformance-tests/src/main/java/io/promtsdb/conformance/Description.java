package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code describe} answers: who the implementation is, which Prometheus versions it
 * behaves like ({@code targets}), which capabilities it has, whether it speaks the line
 * protocol ({@code serve}), and, optionally, why it lacks some capabilities ({@code missing}:
 * the reason is reported with every case skipped for it).
 */
public record Description(
    String name, String version, List<String> targets, Set<Capability> capabilities, boolean serve,
    Set<Integer> chunkEncodings, Map<Capability, String> missing) {

  /** Without a restriction of chunk encodings. */
  public Description(String name, String version, List<String> targets, Set<Capability> capabilities, boolean serve) {
    this(name, version, targets, capabilities, serve, Set.of(), Map.of());
  }

  /** Without reasons for missing capabilities. */
  public Description(String name, String version, List<String> targets, Set<Capability> capabilities, boolean serve,
      Set<Integer> chunkEncodings) {
    this(name, version, targets, capabilities, serve, chunkEncodings, Map.of());
  }

  public Description {
    chunkEncodings = Set.copyOf(chunkEncodings);
    EnumMap<Capability, String> m = new EnumMap<>(Capability.class);
    m.putAll(missing);
    m.keySet().removeAll(capabilities);
    missing = java.util.Collections.unmodifiableMap(m);
    targets = List.copyOf(targets);
    capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
    for (String t : targets) {
      PrometheusVersion.parse(t);
    }
  }

  public boolean has(Capability c) {
    return capabilities.contains(c);
  }

  /** Why the implementation lacks {@code c}, as {@code describe} says, or null. */
  public String missingReason(Capability c) {
    return missing.get(c);
  }

  /**
   * Whether chunk cases of {@code encoding} apply: {@code chunk_encodings} in {@code describe}
   * restricts {@code decode-chunk} and {@code encode-chunk} to the listed encodings (absent:
   * all).
   */
  public boolean handlesEncoding(int encoding) {
    return chunkEncodings.isEmpty() || chunkEncodings.contains(encoding);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object();
    o.put("name", name);
    o.put("version", version);
    ArrayNode t = o.putArray("targets");
    targets.forEach(t::add);
    ArrayNode c = o.putArray("capabilities");
    for (Capability cap : Capability.values()) {
      if (capabilities.contains(cap)) {
        c.add(cap.wireName());
      }
    }
    o.put("serve", serve);
    if (!chunkEncodings.isEmpty()) {
      ArrayNode e = o.putArray("chunk_encodings");
      chunkEncodings.stream().sorted().forEach(e::add);
    }
    if (!missing.isEmpty()) {
      ObjectNode m = o.putObject("missing");
      missing.forEach((cap, why) -> m.put(cap.wireName(), why));
    }
    return o;
  }

  /** Parses a {@code describe} answer. Unknown capability names are ignored (newer suites). */
  public static Description fromJson(JsonNode n) {
    String name = Canonical.text(Canonical.member(n, "name", "$"), "$.name");
    String version = n.has("version") ? Canonical.text(n.get("version"), "$.version") : "";
    List<String> targets = Canonical.parseStrings(Canonical.member(n, "targets", "$"), "$.targets");
    if (targets.isEmpty()) {
      throw new Canonical.MalformedJsonException("$.targets", "at least one target version is required");
    }
    for (int i = 0; i < targets.size(); i++) {
      try {
        PrometheusVersion.parse(targets.get(i));
      } catch (IllegalArgumentException e) {
        throw new Canonical.MalformedJsonException("$.targets[" + i + "]", e.getMessage());
      }
    }
    Set<Capability> caps = EnumSet.noneOf(Capability.class);
    for (String c : Canonical.parseStrings(Canonical.member(n, "capabilities", "$"), "$.capabilities")) {
      Capability cap = Capability.forName(c);
      if (cap != null) {
        caps.add(cap);
      }
    }
    boolean serve = n.path("serve").asBoolean(false);
    Set<Integer> encodings = new java.util.TreeSet<>();
    for (JsonNode e : n.path("chunk_encodings")) {
      encodings.add(Canonical.int32(e, "$.chunk_encodings[]"));
    }
    Map<Capability, String> missing = new EnumMap<>(Capability.class);
    JsonNode m = n.path("missing");
    if (!m.isMissingNode() && !m.isObject()) {
      throw new Canonical.MalformedJsonException("$.missing", "expected an object of capability names to reasons");
    }
    for (var it = m.fields(); it.hasNext(); ) {
      var e = it.next();
      Capability cap = Capability.forName(e.getKey());
      if (cap != null) {
        missing.put(cap, Canonical.text(e.getValue(), "$.missing." + e.getKey()));
      }
    }
    return new Description(name, version, new ArrayList<>(targets), caps, serve, encodings, missing);
  }
}
