package io.promtsdb.cli;

import io.promtsdb.core.Labels;
import io.promtsdb.engine.Backfill;
import io.promtsdb.engine.BlockMeta;
import io.promtsdb.engine.SampleBlockWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * promtool's rule backfill ({@code cmd/promtool/rules.go}, 3.5.3): every rule of every group
 * (recording and alerting rules alike, as promtool does) is evaluated through the server's
 * {@code query_range} at the group's interval, one query and one block per block-duration
 * range, and the result written as series named after the rule, labelled by the query's
 * labels, then the group's and rule's labels, a commit every 5000 samples.
 *
 * <p>Evaluation times are the group's, as a running Prometheus would evaluate it: aligned to
 * the interval and shifted by {@code xxhash(labels{file, name}) mod interval}, where {@code
 * file} is the rule file's path as given on the command line. So the same path string gives
 * the same timestamps as promtool.
 */
final class RuleBackfill {
  /** promtool's {@code maxSamplesInMemory}: a commit every this many samples. */
  static final int MAX_SAMPLES_IN_MEMORY = 5000;

  /** The server's {@code query_range}. */
  interface QueryRange {
    /** Evaluates {@code expr} from {@code startNanos} to {@code endNanos} every {@code stepNanos}. */
    QueryRangeClient.Result query(String expr, long startNanos, long endNanos, long stepNanos) throws QueryException;
  }

  /** A failed query, in promtool's client's words. */
  static final class QueryException extends Exception {
    private static final long serialVersionUID = 1L;

    QueryException(String message) {
      super(message);
    }
  }

  /** A group as the rule manager holds it: its file (as given), its effective interval. */
  record LoadedGroup(String file, RuleFile.Group group, long intervalNanos) {
    /** Go's {@code rules.GroupKey}. */
    String key() {
      return file + ";" + group.name();
    }

    /**
     * Go's {@code Group.EvalTimestamp}: the last evaluation time at or before {@code nanos} of
     * a group evaluated every interval at {@code hash mod interval} past the perfect times.
     */
    long evalTimestamp(long nanos) {
      long offset = Long.remainderUnsigned(hash(), intervalNanos);
      long adjNow = nanos - offset;
      long base = adjNow - adjNow % intervalNanos;
      return base + offset;
    }

    /**
     * {@code labels.FromStrings("name", g.name, "file", g.file).Hash()} of the default
     * (stringlabels) build: xxhash64 of each sorted label's name and value, each prefixed by
     * its length (one byte below 255, else 255 and three little-endian bytes).
     */
    long hash() {
      java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
      for (String s : new String[] {"file", file, "name", group.name()}) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 255) {
          b.write(bytes.length);
        } else {
          b.write(255);
          b.write(bytes.length);
          b.write(bytes.length >> 8);
          b.write(bytes.length >> 16);
        }
        b.writeBytes(bytes);
      }
      return XxHash64.hash(b.toByteArray());
    }
  }

  /**
   * Settings.
   *
   * @param startSeconds {@code --start}, whole seconds (promtool uses {@code time.Unix()})
   * @param endSeconds {@code --end}, whole seconds
   */
  record Config(Path outputDir, long startSeconds, long endSeconds, long maxBlockDurationMillis) {}

  private final Config config;
  private final QueryRange api;
  private final Log log;

  RuleBackfill(Config config, QueryRange api, Log log) {
    this.config = config;
    this.api = api;
    this.log = log;
  }

  /** Loads every file's groups, as {@code rules.Manager.LoadGroups}; the first error fails. */
  static List<LoadedGroup> load(List<String> files, long evalIntervalNanos)
      throws RuleFile.InvalidRuleFileException, IOException {
    List<LoadedGroup> out = new ArrayList<>();
    for (String f : files) {
      for (RuleFile.Group g : RuleFile.load(f)) {
        out.add(new LoadedGroup(f, g, g.intervalNanos() != 0 ? g.intervalNanos() : evalIntervalNanos));
      }
    }
    return out;
  }

  /**
   * Go's {@code importAll}: each rule in turn; returns the errors of the rules that failed
   * (each stops its rule only), in promtool's words.
   */
  List<String> importAll(List<LoadedGroup> groups) throws IOException {
    List<String> errors = new ArrayList<>();
    // Go holds groups in a map (keyed file;name), so a later group of the same key replaces
    // an earlier one; it then visits them in random order, here in file order.
    Map<String, LoadedGroup> byKey = new java.util.LinkedHashMap<>();
    for (LoadedGroup g : groups) {
      byKey.put(g.key(), g);
    }
    for (LoadedGroup g : byKey.values()) {
      log.info("processing group", "component", "backfiller", "name", g.key());
      List<RuleFile.Rule> rules = g.group().rules();
      for (int i = 0; i < rules.size(); i++) {
        RuleFile.Rule r = rules.get(i);
        log.info("processing rule", "component", "backfiller", "id", Integer.toString(i), "name", r.name());
        try {
          importRule(g, r);
        } catch (RuleException e) {
          errors.add(e.getMessage());
        }
      }
    }
    return errors;
  }

  private static final class RuleException extends Exception {
    private static final long serialVersionUID = 1L;

    RuleException(String message) {
      super(message);
    }
  }

  /** Go's {@code importRule}. */
  private void importRule(LoadedGroup g, RuleFile.Rule rule) throws RuleException, IOException {
    long blockDuration = Backfill.compatibleBlockDuration(config.maxBlockDurationMillis());
    long startInMs = config.startSeconds() * 1000;
    long endInMs = config.endSeconds() * 1000;
    long interval = g.intervalNanos();
    Labels ruleLabels = ruleLabels(g.group().labels(), rule.labels());
    for (long startOfBlock = blockDuration * (startInMs / blockDuration); startOfBlock <= endInMs; startOfBlock += blockDuration) {
      long endOfBlock = startOfBlock + blockDuration - 1;
      long currStart = Math.max(startOfBlock / 1000, config.startSeconds());
      long startWithAlignment = g.evalTimestamp(currStart * 1_000_000_000L);
      while (Math.floorDiv(startWithAlignment, 1_000_000_000L) < currStart) {
        startWithAlignment += interval;
      }
      long end = Math.min(endOfBlock / 1000, config.endSeconds()) * 1_000_000_000L;
      if (end < startWithAlignment) {
        break;
      }
      QueryRangeClient.Result val;
      try {
        val = api.query(rule.expr(), startWithAlignment, end, interval);
      } catch (QueryException e) {
        throw new RuleException("query range: " + e.getMessage());
      }
      if (!val.warnings().isEmpty()) {
        log.warn("Range query returned warnings.", "warnings", "[" + String.join(" ", val.warnings()) + "]");
      }
      // As promtool: the head pretends the block is twice as large so that samples anywhere
      // in the range are not out of bounds.
      SampleBlockWriter w = new SampleBlockWriter(config.outputDir(), 2 * blockDuration);
      SampleBlockWriter.Appender app = w.appender();
      int count = 0;
      if (!val.type().equals("matrix")) {
        throw new RuleException("rule result is wrong type " + val.type());
      }
      for (QueryRangeClient.Series s : val.series()) {
        Labels l = labels(s.metric(), ruleLabels, rule.name());
        for (int i = 0; i < s.timestamps().length; i++) {
          try {
            app.append(l, s.timestamps()[i], s.values()[i]);
          } catch (SampleBlockWriter.RejectedSampleException e) {
            throw new RuleException("add: multiappender append: " + e.getMessage());
          }
          count++;
          if (count >= MAX_SAMPLES_IN_MEMORY) {
            app.commit();
            app = w.appender();
            count = 0;
          }
        }
      }
      app.commit();
      Optional<BlockMeta> ignored = w.flush();
    }
  }

  /** Go's {@code rules.FromMaps(group labels, rule labels)}: the rule's win. */
  static Labels ruleLabels(Map<String, String> group, Map<String, String> rule) {
    Map<String, String> m = new TreeMap<>(group);
    m.putAll(rule);
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, String> e : m.entrySet()) {
      pairs.add(e.getKey());
      pairs.add(e.getValue());
    }
    return Labels.of(pairs.toArray(new String[0]));
  }

  /**
   * The series' labels as promtool builds them with a {@code labels.Builder}: the query's, then
   * the rule's, then {@code __name__}; a label set to an empty value is removed.
   */
  static Labels labels(Map<String, String> metric, Labels ruleLabels, String ruleName) {
    Map<String, String> m = new TreeMap<>(io.promtsdb.core.Utf8Order::compare);
    metric.forEach((k, v) -> set(m, k, v));
    for (int i = 0; i < ruleLabels.size(); i++) {
      set(m, ruleLabels.name(i), ruleLabels.value(i));
    }
    set(m, Labels.METRIC_NAME, ruleName);
    List<String> pairs = new ArrayList<>(2 * m.size());
    for (Map.Entry<String, String> e : m.entrySet()) {
      pairs.add(e.getKey());
      pairs.add(e.getValue());
    }
    return Labels.of(pairs.toArray(new String[0]));
  }

  private static void set(Map<String, String> m, String name, String value) {
    if (value.isEmpty()) {
      m.remove(name);
    } else {
      m.put(name, value);
    }
  }

  /** promtool's logger ({@code promslog}, logfmt on standard error), without {@code source}. */
  static final class Log {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
        .withZone(ZoneOffset.UTC);
    private final PrintStream err;

    Log(PrintStream err) {
      this.err = err;
    }

    void info(String msg, String... kv) {
      line("INFO", msg, kv);
    }

    void warn(String msg, String... kv) {
      line("WARN", msg, kv);
    }

    private void line(String level, String msg, String... kv) {
      StringBuilder b = new StringBuilder();
      b.append("time=").append(TIME.format(Instant.now())).append(" level=").append(level).append(" msg=").append(value(msg));
      for (int i = 0; i + 1 < kv.length; i += 2) {
        b.append(' ').append(kv[i]).append('=').append(value(kv[i + 1]));
      }
      err.println(b);
    }

    /** slog's text handler: quoted (Go syntax) when empty or holding spaces, '=', '"' or controls. */
    static String value(String s) {
      boolean quote = s.isEmpty();
      for (int i = 0; i < s.length() && !quote; i++) {
        char c = s.charAt(i);
        quote = c <= ' ' || c == '=' || c == '"' || c == 0x7F || Character.isSpaceChar(c) || Character.isISOControl(c);
      }
      return quote ? io.promtsdb.core.GoQuote.quote(s) : s;
    }
  }
}
