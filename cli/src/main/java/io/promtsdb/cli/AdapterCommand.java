package io.promtsdb.cli;

import io.promtsdb.conformance.AdapterMain;
import io.promtsdb.conformance.JavaImplementation;
import io.promtsdb.conformance.PromTsdb;
import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code promtsdb adapter}: PromTSDB behind the conformance suite's adapter contract (the
 * spec's conformance chapter), so that {@code java -jar conformance.jar --impl "promtsdb
 * adapter"} tests the command users run: the suite's {@link PromTsdb} capabilities, {@code
 * write-blocks} included (the engine's backfill, as {@code tsdb create-blocks-from
 * openmetrics} runs it). The exit
 * codes are the contract's (0 output, 1 an error object for bad input, 2 unsupported), not
 * the other subcommands'.
 */
@Command(
    name = "adapter",
    mixinStandardHelpOptions = true,
    description = {
      "PromTSDB as an implementation under test for the conformance suite (conformance.jar --impl \"promtsdb adapter\").",
      "Prints JSON: describe prints the capabilities; <capability> REQUEST.json (or - for standard input) answers"
          + " one request; serve answers one request per line of standard input."
    })
class AdapterCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Parameters(
      arity = "1..2",
      paramLabel = "ARG",
      description = "describe | serve | <capability> [REQUEST.json|-], e.g. decode-chunk request.json")
  List<String> args;

  @Override
  public Integer call() throws Exception {
    // Serve answers line by line: the adapter flushes after each answer.
    PrintStream out = new PrintStream(new BufferedOutputStream(main.out, 1 << 16), false, StandardCharsets.UTF_8);
    try {
      return AdapterMain.run(implementation(), args, System.in, out);
    } finally {
      out.flush();
    }
  }

  /** PromTSDB as the command offers it to the conformance suite: every capability, in process. */
  static JavaImplementation implementation() {
    return PromTsdb.implementation();
  }
}
