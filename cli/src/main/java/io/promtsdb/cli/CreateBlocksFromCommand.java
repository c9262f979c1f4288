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
    subcommands = CreateBlocksFromCommand.OpenMetrics.class)
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
    throw new CommandLine.ParameterException(new CommandLine(this), "a create-blocks-from command is required: openmetrics");
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

  /** Go's {@code time.ParseDuration}, in milliseconds (fractions below 1 ms truncated). */
  static long parseDurationMillis(String s) {
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
    long ms = (long) (nanos / 1e6);
    return neg ? -ms : ms;
  }
}
