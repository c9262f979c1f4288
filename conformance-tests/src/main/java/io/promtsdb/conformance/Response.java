package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** What an implementation answered to one request. */
public sealed interface Response {

  /** The request succeeded; {@code output} is the capability's output object. */
  record Ok(JsonNode output) implements Response {}

  /**
   * The request failed.
   *
   * @param file where the problem was found, relative to the input (a segment name, {@code
   *     chunks/000001}); null when not reported
   * @param offset byte offset in that file; null when not reported
   */
  record Error(ErrorKind kind, String file, Long offset, String message) implements Response {
    public Error {
      if (kind == null) {
        throw new NullPointerException("kind");
      }
      message = message == null ? "" : message;
    }

    /** The {@code {"error": {...}}} object of the adapter contract. */
    public ObjectNode toJson() {
      ObjectNode e = Json.object();
      e.put("kind", kind.wireName());
      if (file != null) {
        e.put("file", file);
      }
      if (offset != null) {
        e.put("offset", offset);
      }
      e.put("message", message);
      ObjectNode o = Json.object();
      o.set("error", e);
      return o;
    }

    @Override
    public String toString() {
      return kind + (file != null ? " in " + file : "") + (offset != null ? " at offset " + offset : "")
          + (message.isEmpty() ? "" : ": " + message);
    }
  }

  /**
   * Parses an adapter's printed JSON: an object with an {@code error} member is an error,
   * anything else the output.
   */
  static Response fromJson(JsonNode n) {
    if (n.isObject() && n.has("error")) {
      JsonNode e = n.get("error");
      String kindName = e.path("kind").asText("");
      ErrorKind kind = ErrorKind.forName(kindName);
      if (kind == null || kind == ErrorKind.CRASH) {
        return new Error(ErrorKind.CRASH, null, null, "error response with an unknown kind \"" + kindName + "\": " + Json.abbreviate(n));
      }
      String file = e.hasNonNull("file") ? e.get("file").asText() : null;
      Long offset = e.hasNonNull("offset") && e.get("offset").canConvertToLong() ? e.get("offset").longValue() : null;
      return new Error(kind, file, offset, e.path("message").asText(""));
    }
    return new Ok(n);
  }
}
