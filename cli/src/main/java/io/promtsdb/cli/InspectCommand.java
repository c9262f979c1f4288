package io.promtsdb.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code promtsdb tsdb inspect FILE}: an annotated view of one file. */
@Command(
    name = "inspect",
    description = {
      "Show the structure of one TSDB file: an index, a chunk segment, a head chunk file, a WAL/WBL/checkpoint",
      "segment, a memory snapshot segment, a tombstones file or a meta.json. Sections, offsets and decoded fields."
    },
    mixinStandardHelpOptions = true)
final class InspectCommand implements Callable<Integer> {
  @ParentCommand TsdbCommand tsdb;

  @Option(names = "--limit", description = "Entries shown per section (default ${DEFAULT-VALUE}); 0 shows all.")
  int limit = 20;

  @Parameters(index = "0", paramLabel = "FILE", description = "The file to inspect.")
  Path file;

  @Override
  public Integer call() throws Exception {
    Main main = tsdb.main;
    try (Output out = new Output(main.out)) {
      new Inspector(file, limit <= 0 ? Integer.MAX_VALUE : limit, out).run();
    }
    return 0;
  }
}
