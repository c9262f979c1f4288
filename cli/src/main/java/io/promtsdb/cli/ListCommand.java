package io.promtsdb.cli;

import io.promtsdb.engine.Block;
import io.promtsdb.engine.BlockMeta;
import io.promtsdb.engine.ReadOnlyDb;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code promtsdb tsdb list}: promtool's block table. */
@Command(name = "list", description = "List tsdb blocks.", mixinStandardHelpOptions = true)
final class ListCommand implements Callable<Integer> {
  @ParentCommand TsdbCommand tsdb;

  @Option(names = {"-r", "--human-readable"}, description = "Print human readable values.")
  boolean humanReadable;

  @Option(names = "--skip-corrupt", description = "Leave out blocks that fail to open (listed on stderr) instead of failing.")
  boolean skipCorrupt;

  @Parameters(index = "0", arity = "0..1", paramLabel = "db path", description = "Database path (default is data/).")
  String path;

  @Override
  public Integer call() throws Exception {
    Main main = tsdb.main;
    Path dir = DataDirs.resolve(path, main.err);
    try (ReadOnlyDb db = DataDirs.open(dir, skipCorrupt, main);
        Output out = new Output(main.out)) {
      out.write(render(db.blocks(), humanReadable));
      DataDirs.warn(db, main.err);
    }
    return 0;
  }

  /** promtool's {@code printBlocks} with a header. */
  static String render(List<Block> blocks, boolean human) {
    return render(blocks, human, true);
  }

  /** promtool's {@code printBlocks}: one tab writer, so columns align within this call only. */
  static String render(List<Block> blocks, boolean human, boolean header) {
    GoFormat.TabWriter tw = new GoFormat.TabWriter(13, 2);
    if (header) {
      tw.row("BLOCK ULID", "MIN TIME", "MAX TIME", "DURATION", "NUM SAMPLES", "NUM CHUNKS", "NUM SERIES", "SIZE");
    }
    for (Block b : blocks) {
      BlockMeta m = b.meta();
      tw.row(
          m.ulid().toString(),
          time(m.minTime(), human),
          time(m.maxTime(), human),
          GoFormat.duration((m.maxTime() - m.minTime()) * 1_000_000L),
          Long.toUnsignedString(m.stats().numSamples()),
          Long.toUnsignedString(m.stats().numChunks()),
          Long.toUnsignedString(m.stats().numSeries()),
          human ? GoFormat.base2Bytes(b.size()) : Long.toString(b.size()));
    }
    return tw.render();
  }

  private static String time(long t, boolean human) {
    return human ? GoFormat.unixUtc(t) : Long.toString(t);
  }
}
