package io.promtsdb.cli;

import io.promtsdb.engine.Block;
import io.promtsdb.engine.Matcher;
import io.promtsdb.engine.MetricSelectors;
import io.promtsdb.engine.ReadOnlyDb;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code promtsdb tsdb analyze}: promtool's block analysis, and more on request. */
@Command(
    name = "analyze",
    description = "Analyze churn, label pair cardinality and compaction efficiency.",
    mixinStandardHelpOptions = true)
final class AnalyzeCommand implements Callable<Integer> {
  @ParentCommand TsdbCommand tsdb;

  @Option(names = "--limit", description = "How many items to show in each list.")
  int limit = 20;

  @Option(names = "--extended", description = "Run extended analysis.")
  boolean extended;

  @Option(names = "--match", description = "Series selector to analyze. Only 1 set of matchers is supported now.")
  String match = "";

  @Option(names = "--extras", description = "Also: bytes per sample of every block, and how full the chunks are.")
  boolean extras;

  @Option(
      names = "--compression",
      description = "Also: a compression study of the block's samples (XOR, XOR2, delta varints, LZ4, zstd).")
  boolean compression;

  @Option(names = "--html", paramLabel = "FILE", description = "Also write a self-contained HTML report with charts to FILE.")
  Path html;

  @Parameters(index = "0", arity = "0..1", paramLabel = "db path", description = "Database path (default is data/).")
  String path;

  @Parameters(index = "1", arity = "0..1", paramLabel = "block id", description = "Block to analyze (default is the last block).")
  String blockId;

  @Override
  public Integer call() throws Exception {
    Main main = tsdb.main;
    List<Matcher> matchers = match.isEmpty() ? List.of() : MetricSelectors.parse(match);
    Path dir = DataDirs.resolve(path, main.err);
    try (ReadOnlyDb db = DataDirs.open(dir, true, main);
        Output out = new Output(main.out)) {
      String id = blockId;
      if (id == null || id.isEmpty()) {
        id = db.lastBlockId().orElseThrow(() -> new IOException("no blocks found"));
      }
      Block block = db.block(id);
      out.write(new Analyzer(block, limit, matchers, match).run(extended));
      if (extras) {
        out.write(Extras.render(db));
      }
      if (compression) {
        out.write(CompressionStudy.run(block, matchers).render());
      }
      if (html != null) {
        HtmlReport.write(db, block, html);
        main.err.println("wrote " + html);
      }
    }
    return 0;
  }
}
