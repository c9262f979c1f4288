package io.promtsdb.conformance;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The base of the abstract JUnit 5 suites ({@link AbstractXorChunkConformanceTest}, {@link
 * AbstractChunkConformanceTest}, {@link AbstractIndexConformanceTest}, ...): one dynamic test
 * per corpus case of the suite's capabilities, and one per cross-matrix pair between the
 * implementation and PromTSDB (and real Prometheus, when {@link #realPrometheus()} allows it
 * and the binaries are installed).
 *
 * <p>A case that does not apply is reported as skipped (aborted) with the reason: a
 * capability the subclass does not provide (its method returns null), a case for Prometheus
 * versions outside {@link #targets()}, or an opt-out from {@link #optOuts()}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractConformanceTest {
  private CaseRunner runner;

  /** The capability family of the suite. */
  protected abstract Capability.Family family();

  /** Adds the suite's typed capabilities (those that are not null) to {@code b}. */
  protected abstract void capabilities(JavaImplementation.Builder b);

  /**
   * The Prometheus versions the implementation behaves like (the {@code targets} of {@code
   * describe}); each case is run for the highest one it holds for.
   */
  protected List<String> targets() {
    return List.of("3.5.3");
  }

  /** Cases to skip, by id or glob ({@code *}, {@code **}), with the reason shown in the report. */
  protected Map<String, String> optOuts() {
    return Map.of();
  }

  /**
   * Why capabilities of the family that the subclass does not provide are missing (shown with
   * the cases skipped for them, and in {@code describe}'s {@code missing}).
   */
  protected Map<Capability, String> missingReasons() {
    return Map.of();
  }

  /** A name for reports. */
  protected String implementationName() {
    return getClass().getSimpleName();
  }

  /**
   * Whether the cross matrix includes real Prometheus (promtool) when it is installed; see
   * {@link PromtoolImplementation#home()}.
   */
  protected boolean realPrometheus() {
    return true;
  }

  /** An extra filter on the suite's cases (e.g. one chunk encoding). */
  protected Predicate<ConformanceCase> caseFilter() {
    return c -> true;
  }

  /** An extra filter on the suite's matrix pairs (by result id). */
  protected Predicate<CaseResult> matrixFilter() {
    return r -> true;
  }

  /** The implementation under test. */
  protected final JavaImplementation implementation() {
    JavaImplementation.Builder b = JavaImplementation.builder(implementationName(), "test", targets());
    capabilities(b);
    b.missing(missingReasons());
    return b.build();
  }

  private CaseRunner runner() throws IOException {
    if (runner == null) {
      runner = new CaseRunner(Corpus.load(), implementation(), null, optOuts());
    }
    return runner;
  }

  @AfterAll
  void cleanUpConformance() {
    if (runner != null) {
      runner.cleanUp();
    }
  }

  /** One container per capability of the family, one test per case. */
  @TestFactory
  Stream<DynamicNode> corpus() throws IOException {
    CaseRunner r = runner();
    Description d = r.description();
    List<DynamicNode> out = new ArrayList<>();
    for (Capability c : Capability.values()) {
      if (c.family() != family()) {
        continue;
      }
      List<ConformanceCase> cases = Corpus.load().cases(x -> x.capability() == c && caseFilter().test(x));
      if (cases.isEmpty()) {
        continue;
      }
      if (!d.has(c)) {
        out.add(DynamicTest.dynamicTest(c + ": not provided (" + cases.size() + " cases)",
            () -> Assumptions.abort(implementationName() + " does not provide " + c
                + (d.missingReason(c) == null ? "" : ": " + d.missingReason(c)))));
        continue;
      }
      List<DynamicTest> tests = new ArrayList<>();
      for (ConformanceCase x : cases) {
        tests.add(DynamicTest.dynamicTest(x.id() + " [" + x.level() + "]", () -> check(r.run(x))));
      }
      out.add(DynamicContainer.dynamicContainer(c.wireName(), tests));
    }
    return out.stream();
  }

  /** The cross-matrix pairs of the family that involve this implementation. */
  @TestFactory
  Stream<DynamicNode> crossMatrix() throws IOException {
    JavaImplementation impl = implementation();
    Set<Capability> paired = switch (family()) {
      case CHUNKS -> EnumSet.of(Capability.ENCODE_CHUNK, Capability.DECODE_CHUNK);
      case INDEX -> EnumSet.of(Capability.WRITE_INDEX, Capability.READ_INDEX);
      case TOMBSTONES -> EnumSet.of(Capability.WRITE_TOMBSTONES, Capability.READ_TOMBSTONES);
      case WAL -> EnumSet.of(Capability.WRITE_WAL, Capability.READ_WAL, Capability.DUMP_DIR);
      case BLOCKS, DATA_DIRS -> EnumSet.of(Capability.WRITE_BLOCK, Capability.READ_BLOCK, Capability.DUMP_DIR, Capability.WRITE_BLOCKS);
    };
    if (impl.describe().capabilities().stream().noneMatch(paired::contains)) {
      return Stream.of(DynamicTest.dynamicTest("matrix: no pairs",
          () -> Assumptions.abort(impl.id() + " has none of the capabilities the matrix pairs: " + paired)));
    }
    List<Implementation> participants = new ArrayList<>();
    participants.add(PromTsdb.implementation());
    participants.add(impl);
    if (realPrometheus()) {
      List<PromtoolImplementation> p = PromtoolImplementation.installed();
      if (p.isEmpty()) {
        System.out.println("[conformance] " + PromtoolImplementation.missingMessage() + ": matrix pairs with real Prometheus skipped");
      }
      participants.addAll(p);
    }
    Set<Capability.Family> families = EnumSet.of(family());
    List<CaseResult> results = new Matrix(Corpus.load(), participants).run(families, r -> {});
    List<DynamicTest> tests = new ArrayList<>();
    for (CaseResult r : results) {
      String pair = r.id().substring(r.id().lastIndexOf('/') + 1);
      if ((pair.contains(impl.id() + "->") || pair.contains("->" + impl.id())) && matrixFilter().test(r)) {
        tests.add(DynamicTest.dynamicTest(r.id(), () -> check(r)));
      }
    }
    if (tests.isEmpty()) {
      tests.add(DynamicTest.dynamicTest("no pairs", () -> Assumptions.abort("no writer/reader pair involves " + impl.id())));
    }
    return Stream.of(DynamicContainer.dynamicContainer("matrix", tests));
  }

  private static void check(CaseResult r) {
    switch (r.outcome()) {
      case PASS -> { }
      case SKIP -> Assumptions.abort(r.message());
      case FAIL -> Assertions.fail(r.message() + (r.detail().isEmpty() ? "" : "\n" + r.detail())
          + (r.description().isEmpty() ? "" : "\n(" + r.description() + ")"));
    }
  }
}
