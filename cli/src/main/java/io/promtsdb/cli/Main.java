package io.promtsdb.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code promtsdb} command: {@code promtsdb tsdb list|analyze|dump|dump-openmetrics} with
 * promtool 3.5.3's arguments and output, plus {@code verify} and {@code inspect}; {@code
 * promtsdb adapter} is PromTSDB behind the conformance suite's adapter contract.
 *
 * <p>Exit codes: 0 success, 1 an error (printed on one line to stderr, naming file and offset
 * where there is one) or, for {@code verify}, problems found, 2 bad usage, 141 (quietly) when
 * the reader of standard output went away ({@code | head}), as a shell reports a program ended
 * by SIGPIPE.
 */
@Command(
    name = "promtsdb",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Reads Prometheus TSDB data directories: a drop-in for promtool tsdb, and more.",
    subcommands = {TsdbCommand.class, AdapterCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  final OutputStream out;
  final PrintStream err;
  final boolean terminal;

  Main(OutputStream out, PrintStream err, boolean terminal) {
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    int code =
        run(args, new FileOutputStream(FileDescriptor.out), System.err, System.console() != null);
    System.exit(code);
  }

  /** Runs the command line; {@code terminal} enables progress lines on {@code err}. */
  public static int run(String[] args, OutputStream out, PrintStream err, boolean terminal) {
    Main main = new Main(out, err, terminal);
    CommandLine cl = new CommandLine(main);
    cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
    cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
    cl.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Output.Closed) {
              // The reader of standard output stopped (| head): quietly, with the status a
              // shell reports for a program ended by SIGPIPE, as promtool's would be.
              return 141;
            }
          }
          err.println(Errors.describe(e));
          err.flush();
          return 1;
        });
    cl.setParameterExceptionHandler(
        (e, args2) -> {
          CommandLine c = e.getCommandLine();
          err.println("promtsdb: error: " + e.getMessage());
          err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
          err.flush();
          return 2;
        });
    int code = cl.execute(args);
    err.flush();
    return code;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        new CommandLine(this), "a command is required (try: promtsdb tsdb analyze)");
  }

  /** Version from the jar manifest, or "dev". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "promtsdb " + (v == null ? "0.1.0-SNAPSHOT" : v),
        "reads Prometheus TSDB data written by Prometheus 2.x and 3.x; output as promtool 3.5.3"
      };
    }
  }
}
