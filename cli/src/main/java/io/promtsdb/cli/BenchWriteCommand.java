package io.promtsdb.cli;

import io.promtsdb.core.GoFloat;
import io.promtsdb.core.Labels;
import io.promtsdb.engine.Appender;
import io.promtsdb.engine.Tsdb;
import io.promtsdb.engine.TsdbOptions;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code promtsdb tsdb bench write}: promtool's write benchmark (cmd/promtool/tsdb.go {@code
 * benchmarkWrite}), the same workload on the engine: a fresh data dir under {@code --out}, the
 * first {@code --metrics} distinct label sets of the input file, then {@code --scrapes} scrapes in
 * rounds of 100: per round one worker per 1000 series, each committing one appender per scrape
 * (values from 123456789, +1000 a scrape; timestamps 30 s apart; the first append of a series by
 * labels, later ones by reference); compaction off. Output as promtool's.
 *
 * <p>Without a file argument, the project's 20k-series file is generated (seeded, the shape of
 * Prometheus' tsdb/testdata/20kseries.json) into {@code <out>/../20kseries.json}, which promtool
 * can be given too. promtool's CPU and memory profiles are not written.
 */
@Command(name = "write", description = "Run a write performance benchmark.", mixinStandardHelpOptions = true)
final class BenchWriteCommand implements Callable<Integer> {
  static final long TIME_DELTA = 30_000;

  @ParentCommand BenchCommand bench;

  @Option(names = "--out", description = "Set the output path.", defaultValue = "benchout")
  String out;

  @Option(names = "--metrics", description = "Number of metrics to read.", defaultValue = "10000")
  int metrics;

  @Option(names = "--scrapes", description = "Number of scrapes to simulate.", defaultValue = "3000")
  int scrapes;

  @Parameters(index = "0", arity = "0..1", paramLabel = "file",
      description = "Input file with samples data (default: a generated 20k-series file).")
  String file;

  @Override
  public Integer call() throws Exception {
    Main main = bench.tsdb.main;
    PrintStream o = new PrintStream(main.out, true, StandardCharsets.UTF_8);
    Path outPath = Path.of(out);
    Path input;
    if (file == null) {
      input = outPath.toAbsolutePath().resolveSibling("20kseries.json");
      if (!Files.exists(input)) {
        writeSeriesFile(input, 20_000, 20_000L);
        main.err.println("generated 20000 series in " + input);
      }
    } else {
      input = Path.of(file);
    }
    deleteRecursively(outPath);
    Files.createDirectories(outPath);
    Path dir = outPath.resolve("storage");
    TsdbOptions opts = TsdbOptions.defaults()
        .withRetention(Duration.ofDays(15), 0)
        .withMinBlockDuration(Duration.ofHours(2))
        .withCompaction(false);
    Tsdb[] db = {Tsdb.open(dir, opts)};
    List<Labels> lbs = new ArrayList<>();
    measure(o, "readData", () -> lbs.addAll(readPrometheusLabels(input, metrics)));
    long[] total = {0};
    long nanos = measure(o, "ingestScrapes", () -> total[0] = ingestScrapes(db[0], lbs, scrapes, o));
    o.println(" > total samples: " + total[0]);
    o.println(" > samples/sec: " + GoFloat.formatG(total[0] / (nanos / 1e9)));
    measure(o, "stopStorage", () -> db[0].close());
    return 0;
  }

  interface Stage {
    void run() throws Exception;
  }

  /** promtool's {@code measureTime}. */
  static long measure(PrintStream o, String stage, Stage s) throws Exception {
    o.println(">> start stage=" + stage);
    long t0 = System.nanoTime();
    s.run();
    long d = System.nanoTime() - t0;
    o.println(">> completed stage=" + stage + " duration=" + GoFormat.duration(d));
    return d;
  }

  /**
   * promtool's {@code readPrometheusLabels}: quotes and braces removed, label pairs split at
   * {@code ,} and {@code :}; repeated label sets skipped; at most {@code n}.
   */
  static List<Labels> readPrometheusLabels(Path f, int n) throws IOException {
    List<Labels> out = new ArrayList<>();
    Set<Labels> seen = new HashSet<>();
    try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
      String line;
      while (out.size() < n && (line = r.readLine()) != null) {
        String s = line.replace("\"", "").replace("{", "").replace("}", "");
        String[] chunks = s.split(",", -1);
        String[] pairs = new String[chunks.length * 2];
        for (int i = 0; i < chunks.length; i++) {
          String[] kv = chunks[i].split(":", -1);
          if (kv.length < 2) {
            throw new IOException(f + ": line " + (out.size() + 1) + ": label without a value: " + chunks[i]);
          }
          pairs[2 * i] = kv[0];
          pairs[2 * i + 1] = kv[1];
        }
        Labels l = Labels.of(pairs);
        if (seen.add(l)) {
          out.add(l);
        }
      }
    }
    return out;
  }

  /** promtool's {@code ingestScrapes}: rounds of 100 scrapes, one worker per 1000 series. */
  static long ingestScrapes(Tsdb db, List<Labels> lbls, int scrapeCount, PrintStream o) throws Exception {
    int shards = (lbls.size() + 999) / 1000;
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, shards));
    long total = 0;
    try {
      // Series state lives across rounds as in Go (refs and values are per round there: a
      // shard rebuilds its scrape slice each round, so values restart and refs are looked up
      // by labels again in every round's first scrape).
      for (int i = 0; i < scrapeCount; i += 100) {
        List<Future<Long>> fs = new ArrayList<>();
        long base = TIME_DELTA * i;
        for (int from = 0; from < lbls.size(); from += 1000) {
          List<Labels> batch = lbls.subList(from, Math.min(lbls.size(), from + 1000));
          fs.add(pool.submit(() -> ingestShard(db, batch, 100, base)));
        }
        for (Future<Long> f : fs) {
          total += f.get();
        }
      }
    } finally {
      pool.shutdown();
    }
    o.println("ingestion completed");
    return total;
  }

  /** promtool's {@code ingestScrapesShard}. */
  static long ingestShard(Tsdb db, List<Labels> lbls, int scrapeCount, long baset) throws Exception {
    long ts = baset;
    long[] values = new long[lbls.size()];
    long[] refs = new long[lbls.size()];
    java.util.Arrays.fill(values, 123456789L);
    java.util.Arrays.fill(refs, -1);
    long total = 0;
    for (int i = 0; i < scrapeCount; i++) {
      ts += TIME_DELTA;
      try (Appender app = db.appender()) {
        for (int k = 0; k < values.length; k++) {
          values[k] += 1000;
          refs[k] = refs[k] < 0 ? app.append(lbls.get(k), ts, values[k]) : app.append(refs[k], ts, values[k]);
          total++;
        }
        app.commit();
      }
    }
    return total;
  }

  /**
   * Writes {@code n} series in the shape of Prometheus' 20kseries.json: one JSON object of
   * labels a line, keys sorted, a random lowercase metric name, 8 to 14 further labels whose
   * names come from a pool of 40 and whose values are random lowercase strings, some shared.
   */
  static void writeSeriesFile(Path f, int n, long seed) throws IOException {
    SplittableRandom r = new SplittableRandom(seed);
    String[] names = new String[40];
    for (int i = 0; i < names.length; i++) {
      names[i] = word(r, 3, 15);
    }
    String[] shared = new String[200];
    for (int i = 0; i < shared.length; i++) {
      shared[i] = word(r, 3, 40);
    }
    Files.createDirectories(f.toAbsolutePath().getParent());
    try (BufferedWriter w = Files.newBufferedWriter(f, StandardCharsets.UTF_8)) {
      for (int i = 0; i < n; i++) {
        TreeMap<String, String> m = new TreeMap<>();
        m.put("__name__", word(r, 10, 45));
        int k = 8 + r.nextInt(7);
        while (m.size() < k + 1) {
          m.put(names[r.nextInt(names.length)], r.nextInt(3) == 0 ? shared[r.nextInt(shared.length)] : word(r, 3, 100));
        }
        StringBuilder b = new StringBuilder("{");
        m.forEach((key, v) -> {
          if (b.length() > 1) {
            b.append(',');
          }
          b.append('"').append(key).append("\":\"").append(v).append('"');
        });
        w.write(b.append("}\n").toString());
      }
    }
  }

  private static String word(SplittableRandom r, int min, int max) {
    int len = min + r.nextInt(max - min + 1);
    char[] c = new char[len];
    for (int i = 0; i < len; i++) {
      c[i] = (char) ('a' + r.nextInt(26));
    }
    return new String(c);
  }

  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var s = Files.walk(p)) {
      for (Path q : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(q);
      }
    }
  }
}
