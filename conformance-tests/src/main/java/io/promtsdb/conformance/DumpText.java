package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import io.promtsdb.core.GoFloat;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The promtool dump projection: what {@code promtool tsdb dump} prints for a list of series,
 * one line per sample, {@code <labels> <value> <timestamp>}, labels as Go prints them, floats
 * with Go's {@code %g}, histograms with Go's {@code String()}. Floats lose their NaN payloads
 * here, so this is only used where one side is promtool's text.
 *
 * <p>promtool (2.x and 3.x, {@code formatSeriesSet} in {@code cmd/promtool/tsdb.go}) walks a
 * series with three loops in turn: {@code for it.Next() == ValFloat}, then {@code ==
 * ValFloatHistogram}, then {@code == ValHistogram}. Each loop ends by consuming a sample it does
 * not print, and nothing after the third loop is printed. So an integer histogram series loses
 * its first two samples, a float histogram series its first, and a series whose type changes
 * loses the samples at the changes (and everything after a third one). The projection does the
 * same, so that a complete reading compares equal to promtool's text.
 */
public final class DumpText {
  private DumpText() {}

  /** The key of a promtool adapter's dump output: the text it printed. */
  static final String PROMTOOL_TEXT = "promtool_dump";

  /** Renders series (sorted by labels, samples in time order) as promtool prints them. */
  public static String render(List<SeriesSamples> series) {
    StringBuilder b = new StringBuilder(series.size() * 256);
    for (SeriesSamples s : series) {
      String labels = s.labels().toString();
      for (Sample x : printedByPromtool(s.samples())) {
        b.append(labels).append(' ');
        if (x instanceof Sample.FloatSample f) {
          GoFloat.appendG(b, f.value());
        } else if (x instanceof Sample.HistogramSample h) {
          b.append(h.histogram());
        } else {
          b.append(((Sample.FloatHistogramSample) x).histogram());
        }
        b.append(' ').append(x.timestamp()).append('\n');
      }
    }
    return b.toString();
  }

  /** The samples promtool's three loops print (see the class comment). */
  static List<Sample> printedByPromtool(List<Sample> samples) {
    List<Sample> out = new ArrayList<>(samples.size());
    int i = 0;
    for (Class<?> kind : new Class<?>[] {Sample.FloatSample.class, Sample.FloatHistogramSample.class, Sample.HistogramSample.class}) {
      while (i < samples.size()) {
        Sample x = samples.get(i++);
        if (!kind.isInstance(x)) {
          break;
        }
        out.add(x);
      }
    }
    return out;
  }

  /**
   * The dump text of an output: promtool's own text, a {@code dump-dir} output, or one or
   * more {@code read-block} outputs (chunks in order, tombstones applied, blocks merged).
   */
  static String of(JsonNode output) {
    if (output.has(PROMTOOL_TEXT)) {
      return output.get(PROMTOOL_TEXT).asText();
    }
    if (output.has("meta")) {
      return render(fromBlocks(List.of(output)));
    }
    return render(CapabilityJson.parseSeriesSamples(Canonical.member(output, "series", "$"), "$.series"));
  }

  /** The series of {@code read-block} outputs as a data dir of those blocks would dump them. */
  static List<SeriesSamples> fromBlocks(List<JsonNode> blocks) {
    Map<Labels, List<Sample>> merged = new TreeMap<>(Comparator.naturalOrder());
    for (JsonNode b : blocks) {
      Map<Long, List<long[]>> deleted = new LinkedHashMap<>();
      for (JsonNode t : b.path("tombstones")) {
        List<long[]> iv = new ArrayList<>();
        for (JsonNode i : t.path("intervals")) {
          iv.add(new long[] {i.get(0).asLong(), i.get(1).asLong()});
        }
        deleted.put(Canonical.uint64(t.get("ref"), "$.tombstones.ref"), iv);
      }
      JsonNode series = Canonical.member(b, "series", "$");
      for (int i = 0; i < series.size(); i++) {
        JsonNode s = series.get(i);
        String p = "$.series[" + i + "]";
        Labels labels = Canonical.parseLabels(Canonical.member(s, "labels", p), p + ".labels");
        List<long[]> del = deleted.getOrDefault(Canonical.uint64(Canonical.member(s, "ref", p), p + ".ref"), List.of());
        List<Sample> out = merged.computeIfAbsent(labels, k -> new ArrayList<>());
        for (JsonNode c : s.path("chunks")) {
          for (Sample x : Canonical.parseSamples(c.get("samples"), p + ".chunks.samples")) {
            if (!isDeleted(x.timestamp(), del)) {
              out.add(x);
            }
          }
        }
      }
    }
    List<SeriesSamples> result = new ArrayList<>();
    for (Map.Entry<Labels, List<Sample>> e : merged.entrySet()) {
      List<Sample> samples = e.getValue();
      samples.sort(Comparator.comparingLong(Sample::timestamp));
      List<Sample> dedup = new ArrayList<>(samples.size());
      for (Sample x : samples) {
        if (dedup.isEmpty() || dedup.get(dedup.size() - 1).timestamp() != x.timestamp()) {
          dedup.add(x);
        }
      }
      if (!dedup.isEmpty()) {
        result.add(new SeriesSamples(e.getKey(), dedup));
      }
    }
    return result;
  }

  private static boolean isDeleted(long t, List<long[]> intervals) {
    for (long[] iv : intervals) {
      if (t >= iv[0] && t <= iv[1]) {
        return true;
      }
    }
    return false;
  }

  /**
   * The first line where two dumps differ, for messages; null if equal. Dumps are compared as
   * sorted lists of lines: promtool 3.x prints the series of a head in series-reference order
   * (it selects without sorting), 2.x and blocks in label order.
   */
  static String firstDifference(String expected, String actual) {
    if (expected.equals(actual)) {
      return null;
    }
    String[] e = expected.split("\n", -1);
    String[] a = actual.split("\n", -1);
    java.util.Arrays.sort(e);
    java.util.Arrays.sort(a);
    if (java.util.Arrays.equals(e, a)) {
      return null;
    }
    int n = Math.min(e.length, a.length);
    for (int i = 0; i < n; i++) {
      if (!e[i].equals(a[i])) {
        return "sorted line " + (i + 1) + ": got\n  " + abbreviate(a[i]) + "\nexpected\n  " + abbreviate(e[i]);
      }
    }
    return (a.length > e.length ? "extra lines from line " + (n + 1) + ": " + abbreviate(a[n])
        : "missing lines from line " + (n + 1) + ": " + abbreviate(e[n]))
        + " (" + (a.length - 1) + " lines vs expected " + (e.length - 1) + ")";
  }

  private static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
