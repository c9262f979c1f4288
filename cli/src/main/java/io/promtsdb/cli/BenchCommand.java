package io.promtsdb.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code promtsdb tsdb bench}: promtool's benchmarks. */
@Command(name = "bench", description = "Run benchmarks.", mixinStandardHelpOptions = true,
    subcommands = {BenchWriteCommand.class})
final class BenchCommand implements Runnable {
  @ParentCommand TsdbCommand tsdb;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(new CommandLine(this), "a bench command is required: write");
  }
}
