package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code describe} answers: who the implementation is, which Prometheus versions it
 * behaves like ({@code targets}), which capabilities it has, and whether it speaks the
 * line protocol ({@code serve}).
 */
public record Description(
    String name, String version, List<String> targets, Set<Capability> capabilities, boolean serve,
    Set<Integer> chunkEncodings) {

  /** Without a restriction of chunk encodings. */
  public Description(String name, String version, List<String> targets, Set<Capability> capabilities, boolean serve) {
    this(name, version, targets, capabilities, serve, Set.of());
  }

  public Description {
    chunkEncodings = Set.copyOf(chunkEncodings);
    targets = List.copyOf(targets);
    capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
    for (String t : targets) {
      PrometheusVersion.parse(t);
    }
  }

  public boolean has(Capability c) {
    return capabilities.contains(c);
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
    return new Description(name, version, new ArrayList<>(targets), caps, serve, encodings);
  }
}
