package io.promtsdb.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code promtsdb tsdb ...}: promtool's tsdb commands and ours. */
@Command(
    name = "tsdb",
    description = "Run tsdb commands.",
    mixinStandardHelpOptions = true,
    subcommands = {
      BenchCommand.class,
      ListCommand.class,
      AnalyzeCommand.class,
      DumpCommand.class,
      DumpOpenMetricsCommand.class,
      VerifyCommand.class,
      InspectCommand.class,
      CreateBlocksFromCommand.class
    })
final class TsdbCommand implements Runnable {
  @ParentCommand Main main;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "a tsdb command is required: list, analyze, dump, dump-openmetrics, verify, inspect or create-blocks-from");
  }
}
