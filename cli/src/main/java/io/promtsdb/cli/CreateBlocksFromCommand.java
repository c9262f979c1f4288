package io.promtsdb.cli;

import io.promtsdb.chunks.WriterFlavor;
import io.promtsdb.engine.Backfill;
import io.promtsdb.engine.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * {@code promtsdb tsdb create-blocks-from ...}: promtool's backfill commands over the engine's
 * {@link Backfill}; this class only maps flags, prints blocks as promtool does and turns
 * errors into promtool's messages and exit codes.
 */
@Command(
    name = "create-blocks-from",
    description = "[Experimental] Import samples from input and produce TSDB blocks.",
    mixinStandardHelpOptions = true,
    subcommands = {CreateBlocksFromCommand.OpenMetrics.class, CreateBlocksFromCommand.Rules.class})
final class CreateBlocksFromCommand implements Runnable {
  @ParentCommand TsdbCommand tsdb;

  @Option(names = {"-r", "--human-readable"}, scope = ScopeType.INHERIT, description = "Print human readable values.")
  boolean humanReadable;

  @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "Do not print created blocks.")
  boolean quiet;

  @Option(
      names = "--max-block-duration",
      scope = ScopeType.INHERIT,
      paramLabel = "<duration>",
      description = "Maximum duration created blocks may span. Anything less than 2h is ignored.")
  String maxBlockDuration;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "a create-blocks-from command is required: openmetrics, rules");
  }

  /** {@code create-blocks-from openmetrics FILE [DIR]}. */
  @Command(
      name = "openmetrics",
      description = "Import samples from OpenMetrics input and produce TSDB blocks.",
      mixinStandardHelpOptions = true)
  static final class OpenMetrics implements Callable<Integer> {
    @ParentCommand CreateBlocksFromCommand parent;

    @Option(
        names = "--label",
        paramLabel = "name=value",
        description = "Label to attach to metrics. Can be specified multiple times. Example --label=label_name=label_value")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(
        names = "--prometheus-2",
        hidden = true,
        description = "Write what promtool 2.53 writes: XOR chunks with the spare trailing byte of 2.x, le and quantile values as given.")
    boolean prometheus2;

    @Parameters(index = "0", paramLabel = "input file", description = "OpenMetrics file to read samples from.")
    Path input;

    @Parameters(index = "1", arity = "0..1", paramLabel = "output directory", description = "Output directory for generated blocks (default data/).")
    String output;

    @Override
    public Integer call() throws Exception {
      Main main = parent.tsdb.main;
      long maxBlock = 0;
      if (parent.maxBlockDuration != null) {
        maxBlock = parseDurationMillis(parent.maxBlockDuration);
      }
      if (!Files.exists(input)) {
        main.err.println("stat " + input + ": no such file or directory");
        return 1;
      }
      if (Files.isRegularFile(input) && Files.size(input) == 0) {
        // promtool maps the file, which fails for an empty one before anything else happens.
        main.err.println("mmap, size 0: invalid argument");
        return 1;
      }
      Path out = Path.of(output == null ? "data/" : output);
      try {
        Files.createDirectories(out);
      } catch (IOException e) {
        main.err.println("create output dir: " + Errors.describe(e));
        return 1;
      }
      boolean[] wroteHeader = {false};
      try (Output o = new Output(main.out)) {
        try {
          Backfill.Options options = Backfill.Options.DEFAULT
              .withMaxBlockDuration(maxBlock)
              .withLabels(labels)
              .withFlavor(prometheus2 ? WriterFlavor.PROMETHEUS_2 : WriterFlavor.PROMETHEUS_3)
              .withBlockListener(meta -> {
                if (parent.quiet) {
                  return;
                }
                // promtool prints what its DB reader sees of the block just written.
                try (Block b = Block.open(out.resolve(meta.ulid().toString()))) {
                  o.write(ListCommand.render(List.of(b), parent.humanReadable, !wroteHeader[0]));
                  o.flush();
                }
                wroteHeader[0] = true;
              });
          Backfill.fromOpenMetrics(input, out, options);
        } catch (Backfill.BackfillException e) {
          o.flush();
          main.err.println(e.getMessage());
          return 1;
        }
      }
      return 0;
    }
  }

  /**
   * {@code create-blocks-from rules --start T [--end T] [--url U] [--eval-interval D]
   * [--output-dir DIR] RULE-FILE...}: promtool's rule backfill ({@link RuleBackfill}).
   */
  @Command(
      name = "rules",
      description = "Create blocks of data for new recording rules.",
      mixinStandardHelpOptions = true)
  static final class Rules implements Callable<Integer> {
    @ParentCommand CreateBlocksFromCommand parent;

    @Option(
        names = "--http.config.file",
        paramLabel = "<filename>",
        description = "HTTP client configuration file for promtool to connect to Prometheus (not supported).")
    Path httpConfigFile;

    @Option(
        names = "--url",
        defaultValue = "http://localhost:9090",
        description = "The URL for the Prometheus API with the data where the rule will be backfilled from.")
    String url;

    @Option(
        names = "--start",
        required = true,
        description = "The time to start backfilling the new rule from. Must be a RFC3339 formatted date or Unix timestamp. Required.")
    String start;

    @Option(
        names = "--end",
        description = "If an end time is provided, all recording rules in the rule files provided will be backfilled to the end"
            + " time. Default will backfill up to 3 hours ago. Must be a RFC3339 formatted date or Unix timestamp.")
    String end;

    @Option(names = "--output-dir", defaultValue = "data/", description = "Output directory for generated blocks.")
    String outputDir;

    @Option(
        names = "--eval-interval",
        defaultValue = "60s",
        description = "How frequently to evaluate rules when backfilling if a value is not set in the recording rule files.")
    String evalInterval;

    @Parameters(
        arity = "1..*",
        paramLabel = "rule-files",
        description = "A list of one or more files containing recording rules to be backfilled. All recording rules listed in the"
            + " files will be backfilled. Alerting rules are not evaluated.")
    List<String> files;

    @Override
    public Integer call() throws Exception {
      Main main = parent.tsdb.main;
      if (httpConfigFile != null) {
        main.err.println("--http.config.file is not supported: promtsdb connects without authentication or TLS settings");
        return 1;
      }
      for (String f : files) {
        if (!Files.exists(Path.of(f))) {
          main.err.println("promtsdb: error: path '" + f + "' does not exist, try --help");
          return 1;
        }
      }
      long maxBlock = parent.maxBlockDuration == null ? 0 : parseDurationMillis(parent.maxBlockDuration);
      long interval = parseDurationNanos(evalInterval);
      java.time.OffsetDateTime etime;
      if (end == null || end.isEmpty()) {
        etime = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusHours(3);
      } else {
        etime = parseTime(end);
        if (etime == null) {
          main.err.println("error parsing end time: cannot parse " + io.promtsdb.core.GoQuote.quote(end) + " to a valid timestamp");
          return 1;
        }
      }
      java.time.OffsetDateTime stime = parseTime(start);
      if (stime == null) {
        main.err.println("error parsing start time: cannot parse " + io.promtsdb.core.GoQuote.quote(start) + " to a valid timestamp");
        return 1;
      }
      if (!stime.isBefore(etime)) {
        main.err.println("start time is not before end time");
        return 1;
      }
      java.net.URI server;
      try {
        server = new java.net.URI(url);
      } catch (java.net.URISyntaxException e) {
        main.err.println("promtsdb: error: invalid URL " + io.promtsdb.core.GoQuote.quote(url) + ": " + e.getMessage());
        return 1;
      }
      RuleBackfill.Log log = new RuleBackfill.Log(main.err);
      log.info("new rule importer", "component", "backfiller", "start", rfc822(stime), "end", rfc822(etime));
      List<RuleBackfill.LoadedGroup> groups;
      try {
        groups = RuleBackfill.load(files, interval);
      } catch (RuleFile.InvalidRuleFileException e) {
        main.err.println("rule importer parse error: " + e.getMessage());
        return 1;
      }
      RuleBackfill.Config config = new RuleBackfill.Config(
          Path.of(outputDir), stime.toEpochSecond(), etime.toEpochSecond(), maxBlock);
      List<String> errors = new RuleBackfill(config, new QueryRangeClient(server), log).importAll(groups);
      for (String e : errors) {
        main.err.println("rule importer error: " + e);
      }
      if (!errors.isEmpty()) {
        main.err.println("error importing rules");
        return 1;
      }
      return 0;
    }
  }

  /**
   * promtool's {@code parseTime}: a Unix timestamp in seconds (fractions kept), or RFC 3339
   * with optional fractional seconds; null if neither.
   */
  static java.time.OffsetDateTime parseTime(String s) {
    try {
      java.math.BigDecimal d = new java.math.BigDecimal(s.trim().equals(s) ? s : "x");
      long sec = d.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
      long ns = d.subtract(java.math.BigDecimal.valueOf(sec)).movePointRight(9).setScale(0, java.math.RoundingMode.DOWN).longValueExact();
      return java.time.Instant.ofEpochSecond(sec, ns).atOffset(java.time.ZoneOffset.UTC);
    } catch (NumberFormatException | ArithmeticException e) {
      // Not a number: RFC 3339 below.
    }
    try {
      return java.time.OffsetDateTime.parse(s, java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (java.time.format.DateTimeParseException e) {
      return null;
    }
  }

  /** Go's {@code time.RFC822} ({@code 02 Jan 06 15:04 MST}); a zone without a name prints as -0700. */
  static String rfc822(java.time.OffsetDateTime t) {
    String zone = t.getOffset().equals(java.time.ZoneOffset.UTC)
        ? "UTC"
        : t.format(java.time.format.DateTimeFormatter.ofPattern("xx", java.util.Locale.ROOT));
    return t.format(java.time.format.DateTimeFormatter.ofPattern("dd MMM yy HH:mm", java.util.Locale.ROOT)) + " " + zone;
  }

  /** Go's {@code time.ParseDuration}, in milliseconds (fractions below 1 ms truncated). */
  static long parseDurationMillis(String s) {
    return parseDurationNanos(s) / 1_000_000L;
  }

  /** Go's {@code time.ParseDuration}, in nanoseconds. */
  static long parseDurationNanos(String s) {
    String orig = s;
    if (s.isEmpty()) {
      throw new CommandLine.TypeConversionException("time: invalid duration \"" + orig + "\"");
    }
    boolean neg = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      neg = s.charAt(0) == '-';
      s = s.substring(1);
    }
    if (s.equals("0")) {
      return 0;
    }
    if (s.isEmpty()) {
      throw new CommandLine.TypeConversionException("time: invalid duration \"" + orig + "\"");
    }
    double nanos = 0;
    int i = 0;
    while (i < s.length()) {
      int st = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      if (st == i) {
        throw new CommandLine.TypeConversionException("time: invalid duration \"" + orig + "\"");
      }
      double v = Double.parseDouble(s.substring(st, i));
      int us = i;
      while (i < s.length() && !(Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      String unit = s.substring(us, i);
      double mul = switch (unit) {
        case "ns" -> 1;
        case "us", "µs", "μs" -> 1e3;
        case "ms" -> 1e6;
        case "s" -> 1e9;
        case "m" -> 60e9;
        case "h" -> 3600e9;
        case "" -> throw new CommandLine.TypeConversionException("time: missing unit in duration \"" + orig + "\"");
        default -> throw new CommandLine.TypeConversionException(
            "time: unknown unit \"" + unit + "\" in duration \"" + orig + "\"");
      };
      nanos += v * mul;
    }
    long ns = (long) nanos;
    return neg ? -ns : ns;
  }
}
