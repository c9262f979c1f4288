package io.promtsdb.cli;

import io.promtsdb.engine.Dump;
import io.promtsdb.engine.Matcher;
import io.promtsdb.engine.MetricSelectors;
import io.promtsdb.engine.Querier;
import io.promtsdb.engine.ReadOnlyDb;
import io.promtsdb.engine.SeriesSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code promtsdb tsdb dump}: every sample, as promtool prints them. */
@Command(name = "dump", description = "Dump samples from a TSDB.", mixinStandardHelpOptions = true)
class DumpCommand implements Callable<Integer> {
  @ParentCommand TsdbCommand tsdb;

  @Option(
      names = "--sandbox-dir-root",
      description = "Accepted for promtool compatibility and ignored: promtsdb replays the WAL in memory and writes nothing.")
  String sandboxDirRoot;

  @Option(names = "--min-time", description = "Minimum timestamp to dump, in milliseconds since the Unix epoch.")
  long minTime = Long.MIN_VALUE;

  @Option(names = "--max-time", description = "Maximum timestamp to dump, in milliseconds since the Unix epoch.")
  long maxTime = Long.MAX_VALUE;

  @Option(names = "--match", description = "Series selector. Can be specified multiple times.")
  List<String> match = new ArrayList<>();

  @Option(names = "--skip-corrupt", description = "Leave out blocks that fail to open (listed on stderr) instead of failing.")
  boolean skipCorrupt;

  @Option(
      names = "--memory-snapshot",
      description =
          "Build the head from the newest chunk_snapshot.* and replay only the WAL after it, as Prometheus does with"
              + " --enable-feature=memory-snapshot-on-shutdown (promtool replays the whole WAL).")
  boolean memorySnapshot;

  @Parameters(index = "0", arity = "0..1", paramLabel = "db path", description = "Database path (default is data/).")
  String path;

  /** The output format. */
  long format(SeriesSet ss, Output out) throws IOException {
    return Dump.promtool(ss, out::write);
  }

  @Override
  public Integer call() throws Exception {
    Main main = tsdb.main;
    Path dir = DataDirs.resolve(path, main.err);
    List<String> selectors = match.isEmpty() ? List.of("{__name__=~'(?s:.*)'}") : match;
    try (ReadOnlyDb db = DataDirs.open(dir, skipCorrupt, memorySnapshot, main);
        Querier q = db.querier(minTime, maxTime);
        Output out = new Output(main.out)) {
      List<List<Matcher>> sets = MetricSelectors.parseAll(selectors);
      SeriesSet ss;
      if (sets.size() > 1) {
        List<SeriesSet> all = new ArrayList<>();
        for (List<Matcher> ms : sets) {
          all.add(q.select(true, ms));
        }
        ss = SeriesSet.merge(all);
      } else {
        ss = q.select(false, sets.get(0));
      }
      format(ss, out);
      out.flush();
      DataDirs.warn(db, main.err);
      for (String w : ss.warnings()) {
        main.err.println("warning: " + w);
      }
    }
    return 0;
  }
}
