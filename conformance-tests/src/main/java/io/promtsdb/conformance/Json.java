package io.promtsdb.conformance;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Parsing, canonical serialization and comparison of the suite's JSON.
 *
 * <p>Canonical serialization (specified in the spec's conformance chapter): UTF-8, no
 * whitespace, object members in insertion order (the order the spec lists them), integers in
 * plain decimal, strings with only {@code "}, {@code \} and U+0000..U+001F escaped (the short
 * forms {@code \b \f \n \r \t}, otherwise {@code \}{@code u00xx} in lowercase hex). Floats never
 * appear as JSON numbers: they are strings of their IEEE-754 bits ({@link Canonical#bits}).
 *
 * <p>Comparison is by data model: objects as unordered maps, arrays in order, numbers by exact
 * integer value (never through a double), strings by code points.
 */
public final class Json {
  private Json() {}

  static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .nodeFactory(NODES)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
          .build();

  public static ObjectNode object() {
    return NODES.objectNode();
  }

  public static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** Parses one JSON value. */
  public static JsonNode parse(byte[] json) throws IOException {
    return MAPPER.readTree(json);
  }

  public static JsonNode parse(String json) throws IOException {
    return MAPPER.readTree(json);
  }

  /** Parses a file; a name ending in {@code .gz} is gunzipped first. */
  public static JsonNode read(Path file) throws IOException {
    return parse(readMaybeGzip(file));
  }

  static byte[] readMaybeGzip(Path file) throws IOException {
    if (file.getFileName().toString().endsWith(".gz")) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
        return in.readAllBytes();
      }
    }
    return Files.readAllBytes(file);
  }

  /** The canonical serialization of {@code node}, without a trailing newline. */
  public static String canonical(JsonNode node) {
    StringBuilder b = new StringBuilder(256);
    write(b, node);
    return b.toString();
  }

  public static byte[] canonicalBytes(JsonNode node) {
    return canonical(node).getBytes(StandardCharsets.UTF_8);
  }

  /** SHA-256 of the canonical serialization, in lowercase hex. */
  public static String sha256(JsonNode node) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(canonicalBytes(node)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final com.fasterxml.jackson.core.util.DefaultPrettyPrinter PRETTY =
      new com.fasterxml.jackson.core.util.DefaultPrettyPrinter()
          .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
              .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER))
          .withArrayIndenter(com.fasterxml.jackson.core.util.DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
          .withObjectIndenter(com.fasterxml.jackson.core.util.DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));

  /** Two-space indented, for reports and for people. */
  public static String pretty(JsonNode node) {
    try {
      return MAPPER.writer(PRETTY).writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(StringBuilder b, JsonNode n) {
    switch (n.getNodeType()) {
      case OBJECT -> {
        b.append('{');
        boolean first = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (!first) {
            b.append(',');
          }
          first = false;
          string(b, e.getKey());
          b.append(':');
          write(b, e.getValue());
        }
        b.append('}');
      }
      case ARRAY -> {
        b.append('[');
        for (int i = 0; i < n.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          write(b, n.get(i));
        }
        b.append(']');
      }
      case STRING -> string(b, n.textValue());
      case NUMBER -> {
        if (n.isIntegralNumber()) {
          b.append(n.bigIntegerValue());
        } else {
          // Not canonical (floats are hex strings); kept readable for diagnostics.
          b.append(n.decimalValue().toPlainString());
        }
      }
      case BOOLEAN -> b.append(n.booleanValue());
      case NULL -> b.append("null");
      default -> throw new IllegalArgumentException("not JSON data: " + n.getNodeType());
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\b' -> b.append("\\b");
        case '\f' -> b.append("\\f");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  /**
   * The first difference between {@code expected} and {@code actual} by the data model, as
   * "path: what", or {@code null} if they are equal.
   */
  public static String difference(JsonNode expected, JsonNode actual) {
    return difference("$", expected, actual);
  }

  private static String difference(String path, JsonNode e, JsonNode a) {
    if (a == null || a.isMissingNode()) {
      return path + ": missing (expected " + abbreviate(e) + ")";
    }
    if (e.isIntegralNumber() && a.isIntegralNumber()) {
      BigInteger x = e.bigIntegerValue();
      BigInteger y = a.bigIntegerValue();
      return x.equals(y) ? null : path + ": " + y + " vs expected " + x;
    }
    if (e.getNodeType() != a.getNodeType() || e.isIntegralNumber() != a.isIntegralNumber()) {
      return path + ": " + abbreviate(a) + " vs expected " + abbreviate(e);
    }
    switch (e.getNodeType()) {
      case OBJECT -> {
        for (Iterator<Map.Entry<String, JsonNode>> it = e.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> f = it.next();
          String d = difference(path + "." + f.getKey(), f.getValue(), a.get(f.getKey()));
          if (d != null) {
            return d;
          }
        }
        List<String> extra = new ArrayList<>();
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
          String k = it.next();
          if (!e.has(k)) {
            extra.add(k);
          }
        }
        return extra.isEmpty() ? null : path + ": unexpected member(s) " + extra;
      }
      case ARRAY -> {
        int n = Math.min(e.size(), a.size());
        for (int i = 0; i < n; i++) {
          String d = difference(path + "[" + i + "]", e.get(i), a.get(i));
          if (d != null) {
            return d;
          }
        }
        if (e.size() != a.size()) {
          return path + ": " + a.size() + " elements vs expected " + e.size()
              + (a.size() > e.size()
                  ? " (first extra: " + abbreviate(a.get(n)) + ")"
                  : " (first missing: " + abbreviate(e.get(n)) + ")");
        }
        return null;
      }
      default -> {
        return e.equals(a) ? null : path + ": " + abbreviate(a) + " vs expected " + abbreviate(e);
      }
    }
  }

  static String abbreviate(JsonNode n) {
    String s = canonical(n);
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  /** Reads all of {@code in} as UTF-8 text. */
  static String text(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
