package io.promtsdb.conformance;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code java -jar conformance.jar}: runs the corpus and the cross matrix against an
 * implementation, prints progress and a closing line {@code N passed, N failed, N skipped},
 * writes JUnit XML and an HTML report. Exit code 0 when nothing failed, 1 when something did,
 * 2 for a usage error. {@code java -jar conformance.jar adapter ...} is PromTSDB's adapter
 * command ({@link AdapterMain}).
 */
public final class Runner {
  private Runner() {}

  static final String USAGE = """
      Usage: java -jar conformance.jar [options]
             java -jar conformance.jar adapter describe | serve | <capability> [REQUEST.json|-]

      Runs the PromTSDB conformance corpus and the cross matrix (writers x readers, with real
      Prometheus where its binaries are installed) against an implementation.

        --impl COMMAND          the implementation under test: an adapter command (see the spec's
                                conformance chapter), e.g. "python3 my_adapter.py"; "builtin" is
                                PromTSDB in this JVM (the default); "promtool:3.5.3" is real Prometheus
        --report DIR            write DIR/TEST-conformance-<impl>.xml (JUnit) and DIR/report.html
        --case GLOB             only cases whose id matches (repeatable; * within a path segment, ** across)
        --capability NAME       only these capabilities (repeatable), e.g. decode-chunk; the matrix
                                then runs the pairs of their families only
        --level LEVEL           only MUST cases, or MUST and SHOULD (SHOULD), or all (MAY, the default)
        --opt-out FILE          skip cases: one "GLOB reason..." per line (# comments)
        --no-matrix             run the corpus only
        --matrix-only           run the cross matrix only
        --prometheus-home DIR   where DIR/<version>/promtool live (default $PROMTSDB_PROMETHEUS_HOME,
                                then ~/.cache/promtsdb/prometheus; scripts/install-prometheus.sh)
        --timeout SECONDS       time limit per request to a command adapter (default 300)
        --list                  list the cases (id, level, capability, versions) and exit
        --export-corpus DIR     copy the corpus to DIR and exit
        --quiet                 print only failures and the totals
      """;

  public static void main(String[] args) throws IOException {
    if (args.length > 0 && args[0].equals("adapter")) {
      String[] rest = new String[args.length - 1];
      System.arraycopy(args, 1, rest, 0, rest.length);
      System.exit(AdapterMain.run(rest, System.in, System.out));
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Options of a run. */
  static final class Options {
    String impl = "builtin";
    Path report;
    final List<Pattern> cases = new ArrayList<>();
    final Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
    Level level = Level.MAY;
    final Map<String, String> optOuts = new LinkedHashMap<>();
    boolean matrix = true;
    boolean corpus = true;
    Path prometheusHome;
    Duration timeout = Duration.ofSeconds(300);
    boolean list;
    Path export;
    boolean quiet;
  }

  static Options parse(String[] args) throws IOException {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--impl" -> o.impl = value(args, ++i, a);
        case "--report" -> o.report = Path.of(value(args, ++i, a));
        case "--case" -> o.cases.add(CaseRunner.glob(value(args, ++i, a)));
        case "--capability" -> {
          String n = value(args, ++i, a);
          Capability c = Capability.forName(n);
          if (c == null) {
            throw new IllegalArgumentException("unknown capability " + n);
          }
          o.capabilities.add(c);
        }
        case "--level" -> o.level = Level.parse(value(args, ++i, a).toUpperCase(Locale.ROOT));
        case "--opt-out" -> readOptOuts(Path.of(value(args, ++i, a)), o.optOuts);
        case "--no-matrix" -> o.matrix = false;
        case "--matrix-only" -> o.corpus = false;
        case "--prometheus-home" -> o.prometheusHome = Path.of(value(args, ++i, a));
        case "--timeout" -> o.timeout = Duration.ofSeconds(Long.parseLong(value(args, ++i, a)));
        case "--list" -> o.list = true;
        case "--export-corpus" -> o.export = Path.of(value(args, ++i, a));
        case "--quiet" -> o.quiet = true;
        case "-h", "--help" -> throw new IllegalArgumentException("");
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    return o;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  static void readOptOuts(Path file, Map<String, String> into) throws IOException {
    for (String line : Files.readAllLines(file)) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] p = l.split("\\s+", 2);
      into.put(p[0], p.length > 1 ? p[1] : "opted out in " + file);
    }
  }

  /** Runs with {@code args}; returns the exit code. */
  static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) {
        err.println("conformance: " + e.getMessage());
      }
      err.print(USAGE);
      return 2;
    }
    Corpus corpus = Corpus.load();
    if (o.export != null) {
      corpus.export(o.export);
      out.println("corpus (" + corpus.cases().size() + " cases) copied to " + o.export);
      return 0;
    }
    List<ConformanceCase> cases = corpus.cases(c -> selected(o, c));
    if (o.list) {
      for (ConformanceCase c : cases) {
        out.printf(Locale.ROOT, "%-70s %-6s %-16s %s%n", c.id(), c.level(), c.capabilityName(), c.prometheus());
      }
      out.println(cases.size() + " cases");
      return 0;
    }
    Path home = o.prometheusHome != null ? o.prometheusHome : PromtoolImplementation.home();
    Implementation impl;
    try {
      impl = implementation(o, home);
    } catch (IllegalArgumentException | IOException e) {
      err.println("conformance: " + e.getMessage());
      return 2;
    }
    List<CaseResult> results = new ArrayList<>();
    try (impl) {
      Description d;
      try {
        d = impl.describe();
      } catch (IOException | RuntimeException e) {
        err.println("conformance: cannot describe the implementation: " + e.getMessage());
        return 2;
      }
      out.println("Implementation: " + d.name() + " " + d.version() + "; targets " + d.targets() + "; capabilities "
          + d.capabilities().stream().map(Capability::wireName).sorted().toList());
      List<PromtoolImplementation> promtools = new ArrayList<>();
      for (String v : PromtoolImplementation.VERSIONS) {
        PromtoolImplementation.find(home, v).ifPresent(promtools::add);
      }
      if (promtools.isEmpty()) {
        out.println("NOTE: " + PromtoolImplementation.missingMessage().replace(PromtoolImplementation.home().toString(), home.toString())
            + "; matrix pairs with real Prometheus are skipped");
      } else {
        out.println("Real Prometheus: " + promtools.stream().map(PromtoolImplementation::id).toList() + " in " + home);
      }
      if (o.corpus) {
        runCorpus(o, corpus, cases, impl, out, results);
      }
      if (o.matrix) {
        runMatrix(o, corpus, impl, d, promtools, out, results);
      }
      Reports.Totals t = Reports.Totals.of(results);
      if (o.report != null) {
        Path xml = Reports.writeJUnitXml(o.report, impl.id(), results);
        Path html = Reports.writeHtml(o.report, d, results,
            promtools.isEmpty() ? "Real Prometheus was not available: its matrix pairs did not run." : "");
        out.println("Reports: " + xml + ", " + html);
      }
      long mustFailed = results.stream().filter(r -> r.failed() && r.level() == Level.MUST).count();
      if (mustFailed > 0) {
        out.println(mustFailed + " MUST case(s) failed");
      }
      out.println(t);
      return t.failed() == 0 ? 0 : 1;
    }
  }

  private static boolean selected(Options o, ConformanceCase c) {
    if (!o.capabilities.isEmpty() && (c.capability() == null || !o.capabilities.contains(c.capability()))) {
      return false;
    }
    if (c.level().compareTo(o.level) > 0) {
      return false;
    }
    if (o.cases.isEmpty()) {
      return true;
    }
    for (Pattern p : o.cases) {
      if (p.matcher(c.id()).matches()) {
        return true;
      }
    }
    return false;
  }

  private static Implementation implementation(Options o, Path home) throws IOException {
    if (o.impl.equals("builtin")) {
      return PromTsdb.implementation();
    }
    if (o.impl.startsWith("promtool:")) {
      String v = o.impl.substring("promtool:".length());
      Optional<PromtoolImplementation> p = PromtoolImplementation.find(home, v);
      return p.orElseThrow(() -> new IllegalArgumentException("no promtool " + v + " under " + home));
    }
    return new CommandImplementation(o.impl, o.timeout);
  }

  private static void runCorpus(Options o, Corpus corpus, List<ConformanceCase> cases, Implementation impl, PrintStream out,
      List<CaseResult> results) throws IOException {
    CaseRunner runner = new CaseRunner(corpus, impl, null, o.optOuts);
    try {
      out.println("Corpus: " + cases.size() + " cases");
      String group = null;
      List<CaseResult> groupResults = new ArrayList<>();
      long groupStart = System.nanoTime();
      for (ConformanceCase c : cases) {
        if (!c.capabilityName().equals(group)) {
          printGroup(out, group, groupResults, groupStart);
          group = c.capabilityName();
          groupResults.clear();
          groupStart = System.nanoTime();
        }
        CaseResult r = runner.run(c);
        groupResults.add(r);
        results.add(r);
        printResult(o, out, r);
      }
      printGroup(out, group, groupResults, groupStart);
    } finally {
      runner.cleanUp();
    }
  }

  private static void printResult(Options o, PrintStream out, CaseResult r) {
    if (r.failed()) {
      out.println("  FAIL " + r.id() + " [" + r.level() + "] " + r.implementation() + ": " + CaseRunner.firstLine(r.message()));
      if (!r.detail().isEmpty()) {
        String[] lines = r.detail().split("\n");
        for (int i = 0; i < Math.min(lines.length, 12); i++) {
          out.println("       " + (lines[i].length() > 240 ? lines[i].substring(0, 240) + "..." : lines[i]));
        }
      }
    } else if (r.skipped() && !o.quiet) {
      out.println("  skip " + r.id() + " [" + r.level() + "]: " + r.message());
    }
  }

  private static void printGroup(PrintStream out, String group, List<CaseResult> rs, long start) {
    if (group == null || rs.isEmpty()) {
      return;
    }
    out.printf(Locale.ROOT, "%-18s %s (%.1f s)%n", group, Reports.Totals.of(rs), (System.nanoTime() - start) / 1e9);
    out.flush();
  }

  private static void runMatrix(Options o, Corpus corpus, Implementation impl, Description d,
      List<PromtoolImplementation> promtools, PrintStream out, List<CaseResult> results) throws IOException {
    List<Implementation> participants = new ArrayList<>();
    Implementation builtin = impl instanceof JavaImplementation j && j.id().equals("promtsdb") ? impl : PromTsdb.implementation();
    participants.add(builtin);
    if (impl != builtin) {
      participants.add(impl);
    }
    for (PromtoolImplementation p : promtools) {
      if (!(impl instanceof PromtoolImplementation pi && pi.version().equals(p.version()))) {
        participants.add(p);
      }
    }
    out.println("Matrix: " + participants.stream().map(Implementation::id).toList());
    long start = System.nanoTime();
    java.util.Set<Capability.Family> families = EnumSet.noneOf(Capability.Family.class);
    for (Capability c : o.capabilities.isEmpty() ? EnumSet.allOf(Capability.class) : o.capabilities) {
      families.add(c.family());
    }
    // Families whose pairs cannot involve the implementation under test are not run.
    java.util.Set<Capability.Family> without = EnumSet.noneOf(Capability.Family.class);
    for (Capability.Family f : families) {
      if (d.capabilities().stream().noneMatch(f.matrixCapabilities()::contains)) {
        without.add(f);
      }
    }
    families.removeAll(without);
    if (!without.isEmpty() && !o.quiet) {
      out.println("  (matrix families without pairs for " + impl.id() + ": "
          + without.stream().map(Capability.Family::wireName).toList() + ")");
    }
    List<CaseResult> rs = new Matrix(corpus, participants).run(families, r -> {
      if (involves(r, impl)) {
        printResult(o, out, r);
      }
    });
    List<CaseResult> relevant = rs.stream().filter(r -> involves(r, impl)).toList();
    out.printf(Locale.ROOT, "%-18s %s (%.1f s)%n", "matrix", Reports.Totals.of(relevant), (System.nanoTime() - start) / 1e9);
    results.addAll(relevant);
  }

  /** Whether a matrix pair has the implementation under test on one side. */
  private static boolean involves(CaseResult r, Implementation impl) {
    String pair = r.id().substring(r.id().lastIndexOf('/') + 1).replace(" (dump)", "");
    String id = impl.id();
    return pair.startsWith(id + "->") || pair.endsWith("->" + id) || r.implementation().equals(id);
  }
}
