package io.promtsdb.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code promtsdb tsdb verify}: a full integrity pass over a data directory. */
@Command(
    name = "verify",
    description = {
      "Check every file of a data directory: every checksum, every chunk decoded, every WAL record decoded,",
      "index, chunks and meta.json of each block against each other. Exit code 1 if anything is wrong."
    },
    mixinStandardHelpOptions = true)
final class VerifyCommand implements Callable<Integer> {
  @ParentCommand TsdbCommand tsdb;

  @Parameters(index = "0", arity = "0..1", paramLabel = "db path", description = "Database path (default is data/).")
  String path;

  @Override
  public Integer call() throws Exception {
    Main main = tsdb.main;
    Path dir = DataDirs.resolve(path, main.err);
    Verifier v = new Verifier(dir, DataDirs.progress(main));
    v.run();
    try (Output out = new Output(main.out)) {
      for (String c : v.checked()) {
        out.write("ok   " + c + "\n");
      }
      for (String p : v.problems()) {
        out.write("FAIL " + p + "\n");
      }
      out.write(v.problems().isEmpty() ? "no problems found\n" : v.problems().size() + " problem(s) found\n");
    }
    return v.problems().isEmpty() ? 0 : 1;
  }
}
