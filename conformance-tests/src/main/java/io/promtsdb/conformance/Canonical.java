package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Sample;
import io.promtsdb.core.Span;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The canonical JSON of the data model shared by every capability: floats, labels, samples,
 * integer and float histograms, and the counter-reset names. See the spec's conformance
 * chapter for the normative text; member order here is the canonical order.
 *
 * <p>Parsing is strict: a missing or mistyped member throws {@link MalformedJsonException}
 * naming the path, so that a malformed adapter output is reported as such, never as a
 * mismatch of values.
 */
public final class Canonical {
  private Canonical() {}

  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  /** JSON the suite cannot read as the data model it expects. */
  public static final class MalformedJsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public MalformedJsonException(String path, String problem) {
      super(path + ": " + problem);
    }
  }

  // ---- scalars ----

  /** A float as its IEEE-754 bits: {@code "0x"} and 16 lowercase hex digits. */
  public static String bits(double v) {
    return bitsOf(Double.doubleToRawLongBits(v));
  }

  public static String bitsOf(long rawBits) {
    String h = Long.toHexString(rawBits);
    return "0x" + "0".repeat(16 - h.length()) + h;
  }

  /** The raw bits of a canonical float string. */
  public static long parseBits(JsonNode n, String path) {
    if (n == null || !n.isTextual()) {
      throw new MalformedJsonException(path, "expected a float as \"0x\" + 16 hex digits, got " + show(n));
    }
    String s = n.textValue();
    if (s.length() != 18 || !s.startsWith("0x")) {
      throw new MalformedJsonException(path, "expected \"0x\" + 16 hex digits, got \"" + s + "\"");
    }
    try {
      return Long.parseUnsignedLong(s.substring(2), 16);
    } catch (NumberFormatException e) {
      throw new MalformedJsonException(path, "not hex: \"" + s + "\"");
    }
  }

  public static double parseFloat(JsonNode n, String path) {
    return Double.longBitsToDouble(parseBits(n, path));
  }

  /** A signed 64-bit integer member. */
  public static long int64(JsonNode n, String path) {
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw new MalformedJsonException(path, "expected a 64-bit integer, got " + show(n));
    }
    return n.longValue();
  }

  /** An int32 member. */
  public static int int32(JsonNode n, String path) {
    if (n == null || !n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new MalformedJsonException(path, "expected a 32-bit integer, got " + show(n));
    }
    return n.intValue();
  }

  /** An unsigned 64-bit integer member, returned as its bit pattern in a {@code long}. */
  public static long uint64(JsonNode n, String path) {
    if (n == null || !n.isIntegralNumber()) {
      throw new MalformedJsonException(path, "expected an unsigned 64-bit integer, got " + show(n));
    }
    BigInteger v = n.bigIntegerValue();
    if (v.signum() < 0 || v.compareTo(TWO_64) >= 0) {
      throw new MalformedJsonException(path, "out of the unsigned 64-bit range: " + v);
    }
    return v.longValue();
  }

  /** The JSON number for an unsigned 64-bit value held in a {@code long}. */
  public static JsonNode unsigned(long v) {
    return v >= 0 ? Json.NODES.numberNode(v) : Json.NODES.numberNode(new BigInteger(Long.toUnsignedString(v)));
  }

  public static String text(JsonNode n, String path) {
    if (n == null || !n.isTextual()) {
      throw new MalformedJsonException(path, "expected a string, got " + show(n));
    }
    return n.textValue();
  }

  public static JsonNode member(JsonNode obj, String name, String path) {
    if (obj == null || !obj.isObject()) {
      throw new MalformedJsonException(path, "expected an object, got " + show(obj));
    }
    JsonNode n = obj.get(name);
    if (n == null) {
      throw new MalformedJsonException(path + "." + name, "missing");
    }
    return n;
  }

  public static ArrayNode arrayMember(JsonNode obj, String name, String path) {
    JsonNode n = member(obj, name, path);
    if (!n.isArray()) {
      throw new MalformedJsonException(path + "." + name, "expected an array, got " + show(n));
    }
    return (ArrayNode) n;
  }

  static String show(JsonNode n) {
    return n == null ? "nothing" : Json.abbreviate(n);
  }

  // ---- labels ----

  /** Labels as an object, members in label order. */
  public static ObjectNode labels(Labels labels) {
    ObjectNode o = Json.object();
    labels.forEach(o::put);
    return o;
  }

  public static Labels parseLabels(JsonNode n, String path) {
    if (n == null || !n.isObject()) {
      throw new MalformedJsonException(path, "expected labels as an object, got " + show(n));
    }
    List<String> pairs = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      pairs.add(e.getKey());
      pairs.add(text(e.getValue(), path + "." + e.getKey()));
    }
    return Labels.of(pairs.toArray(new String[0]));
  }

  // ---- counter resets ----

  /** Names of the counter-reset hint (samples) and header (histogram chunks). */
  public static String hintName(CounterResetHint h) {
    return switch (h) {
      case UNKNOWN -> "unknown";
      case COUNTER_RESET -> "counter_reset";
      case NOT_COUNTER_RESET -> "not_counter_reset";
      case GAUGE -> "gauge";
    };
  }

  public static CounterResetHint parseHint(JsonNode n, String path) {
    String s = text(n, path);
    return switch (s) {
      case "unknown" -> CounterResetHint.UNKNOWN;
      case "counter_reset" -> CounterResetHint.COUNTER_RESET;
      case "not_counter_reset" -> CounterResetHint.NOT_COUNTER_RESET;
      case "gauge" -> CounterResetHint.GAUGE;
      default -> throw new MalformedJsonException(path, "unknown counter reset name \"" + s + "\"");
    };
  }

  // ---- samples ----

  /**
   * A sample: {@code {"t", "st"?, "v" | "h" | "fh"}}. {@code st} is omitted when 0. Histogram
   * hints are written only when {@code withHints} and not unknown.
   */
  public static ObjectNode sample(Sample s, boolean withHints) {
    ObjectNode o = Json.object();
    o.put("t", s.timestamp());
    if (s.startTimestamp() != 0) {
      o.put("st", s.startTimestamp());
    }
    if (s instanceof Sample.FloatSample f) {
      o.put("v", bits(f.value()));
    } else if (s instanceof Sample.HistogramSample h) {
      o.set("h", histogram(h.histogram(), withHints));
    } else {
      o.set("fh", floatHistogram(((Sample.FloatHistogramSample) s).histogram(), withHints));
    }
    return o;
  }

  public static ArrayNode samples(List<? extends Sample> samples, boolean withHints) {
    ArrayNode a = Json.array();
    for (Sample s : samples) {
      a.add(sample(s, withHints));
    }
    return a;
  }

  public static Sample parseSample(JsonNode n, String path) {
    long t = int64(member(n, "t", path), path + ".t");
    long st = n.has("st") ? int64(n.get("st"), path + ".st") : 0;
    int kinds = (n.has("v") ? 1 : 0) + (n.has("h") ? 1 : 0) + (n.has("fh") ? 1 : 0);
    if (kinds != 1) {
      throw new MalformedJsonException(path, "a sample has exactly one of v, h, fh");
    }
    if (n.has("v")) {
      return new Sample.FloatSample(t, st, parseFloat(n.get("v"), path + ".v"));
    }
    if (n.has("h")) {
      return new Sample.HistogramSample(t, st, parseHistogram(n.get("h"), path + ".h"));
    }
    return new Sample.FloatHistogramSample(t, st, parseFloatHistogram(n.get("fh"), path + ".fh"));
  }

  public static List<Sample> parseSamples(JsonNode n, String path) {
    if (n == null || !n.isArray()) {
      throw new MalformedJsonException(path, "expected an array of samples, got " + show(n));
    }
    List<Sample> out = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      out.add(parseSample(n.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  // ---- histograms ----

  public static ObjectNode histogram(Histogram h, boolean withHint) {
    ObjectNode o = Json.object();
    if (withHint && h.counterResetHint() != CounterResetHint.UNKNOWN) {
      o.put("hint", hintName(h.counterResetHint()));
    }
    o.put("schema", h.schema());
    o.put("zero_threshold", bits(h.zeroThreshold()));
    o.set("zero_count", unsigned(h.zeroCount()));
    o.set("count", unsigned(h.count()));
    o.put("sum", bits(h.sum()));
    o.set("positive_spans", spans(h.positiveSpans()));
    o.set("negative_spans", spans(h.negativeSpans()));
    ArrayNode pb = o.putArray("positive_buckets");
    for (long v : h.positiveBuckets()) {
      pb.add(v);
    }
    ArrayNode nb = o.putArray("negative_buckets");
    for (long v : h.negativeBuckets()) {
      nb.add(v);
    }
    o.set("custom_values", floats(h.customValues()));
    return o;
  }

  public static ObjectNode floatHistogram(FloatHistogram h, boolean withHint) {
    ObjectNode o = Json.object();
    if (withHint && h.counterResetHint() != CounterResetHint.UNKNOWN) {
      o.put("hint", hintName(h.counterResetHint()));
    }
    o.put("schema", h.schema());
    o.put("zero_threshold", bits(h.zeroThreshold()));
    o.put("zero_count", bits(h.zeroCount()));
    o.put("count", bits(h.count()));
    o.put("sum", bits(h.sum()));
    o.set("positive_spans", spans(h.positiveSpans()));
    o.set("negative_spans", spans(h.negativeSpans()));
    o.set("positive_buckets", floats(h.positiveBuckets()));
    o.set("negative_buckets", floats(h.negativeBuckets()));
    o.set("custom_values", floats(h.customValues()));
    return o;
  }

  public static Histogram parseHistogram(JsonNode n, String path) {
    Histogram.Builder b = Histogram.builder();
    if (n != null && n.has("hint")) {
      b.counterResetHint(parseHint(n.get("hint"), path + ".hint"));
    }
    b.schema(int32(member(n, "schema", path), path + ".schema"));
    b.zeroThreshold(parseFloat(member(n, "zero_threshold", path), path + ".zero_threshold"));
    b.zeroCount(uint64(member(n, "zero_count", path), path + ".zero_count"));
    b.count(uint64(member(n, "count", path), path + ".count"));
    b.sum(parseFloat(member(n, "sum", path), path + ".sum"));
    b.positiveSpans(parseSpans(member(n, "positive_spans", path), path + ".positive_spans"));
    b.negativeSpans(parseSpans(member(n, "negative_spans", path), path + ".negative_spans"));
    b.positiveBuckets(parseInts(member(n, "positive_buckets", path), path + ".positive_buckets"));
    b.negativeBuckets(parseInts(member(n, "negative_buckets", path), path + ".negative_buckets"));
    b.customValues(parseFloats(member(n, "custom_values", path), path + ".custom_values"));
    return b.build();
  }

  public static FloatHistogram parseFloatHistogram(JsonNode n, String path) {
    FloatHistogram.Builder b = FloatHistogram.builder();
    if (n != null && n.has("hint")) {
      b.counterResetHint(parseHint(n.get("hint"), path + ".hint"));
    }
    b.schema(int32(member(n, "schema", path), path + ".schema"));
    b.zeroThreshold(parseFloat(member(n, "zero_threshold", path), path + ".zero_threshold"));
    b.zeroCount(parseFloat(member(n, "zero_count", path), path + ".zero_count"));
    b.count(parseFloat(member(n, "count", path), path + ".count"));
    b.sum(parseFloat(member(n, "sum", path), path + ".sum"));
    b.positiveSpans(parseSpans(member(n, "positive_spans", path), path + ".positive_spans"));
    b.negativeSpans(parseSpans(member(n, "negative_spans", path), path + ".negative_spans"));
    b.positiveBuckets(parseFloats(member(n, "positive_buckets", path), path + ".positive_buckets"));
    b.negativeBuckets(parseFloats(member(n, "negative_buckets", path), path + ".negative_buckets"));
    b.customValues(parseFloats(member(n, "custom_values", path), path + ".custom_values"));
    return b.build();
  }

  /** Spans as {@code [[offset, length], ...]}. */
  static ArrayNode spans(Span[] spans) {
    ArrayNode a = Json.array();
    for (Span s : spans) {
      ArrayNode p = a.addArray();
      p.add(s.offset());
      p.add(Integer.toUnsignedLong(s.length()));
    }
    return a;
  }

  static Span[] parseSpans(JsonNode n, String path) {
    if (!n.isArray()) {
      throw new MalformedJsonException(path, "expected [[offset, length], ...], got " + show(n));
    }
    Span[] out = new Span[n.size()];
    for (int i = 0; i < n.size(); i++) {
      JsonNode p = n.get(i);
      String pi = path + "[" + i + "]";
      if (!p.isArray() || p.size() != 2) {
        throw new MalformedJsonException(pi, "expected [offset, length], got " + show(p));
      }
      int offset = int32(p.get(0), pi + "[0]");
      long length = int64(p.get(1), pi + "[1]");
      if (length < 0 || length > Integer.MAX_VALUE) {
        throw new MalformedJsonException(pi + "[1]", "span length out of range: " + length);
      }
      out[i] = new Span(offset, (int) length);
    }
    return out;
  }

  static ArrayNode floats(double[] values) {
    ArrayNode a = Json.array();
    for (double v : values) {
      a.add(bits(v));
    }
    return a;
  }

  static double[] parseFloats(JsonNode n, String path) {
    if (!n.isArray()) {
      throw new MalformedJsonException(path, "expected an array of floats, got " + show(n));
    }
    double[] out = new double[n.size()];
    for (int i = 0; i < n.size(); i++) {
      out[i] = parseFloat(n.get(i), path + "[" + i + "]");
    }
    return out;
  }

  static long[] parseInts(JsonNode n, String path) {
    if (!n.isArray()) {
      throw new MalformedJsonException(path, "expected an array of integers, got " + show(n));
    }
    long[] out = new long[n.size()];
    for (int i = 0; i < n.size(); i++) {
      out[i] = int64(n.get(i), path + "[" + i + "]");
    }
    return out;
  }

  static List<String> parseStrings(JsonNode n, String path) {
    if (n == null || !n.isArray()) {
      throw new MalformedJsonException(path, "expected an array of strings, got " + show(n));
    }
    List<String> out = new ArrayList<>(n.size());
    for (int i = 0; i < n.size(); i++) {
      out.add(text(n.get(i), path + "[" + i + "]"));
    }
    return out;
  }
}
