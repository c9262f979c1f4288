package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The planner on Prometheus' own cases (tsdb/compact_test.go, 3.5.3). */
class CompactorPlanTest {

  static Compactor.DirMeta meta(String name, long mint, long maxt, long numSeries, long numTombstones) {
    Ulid u = new Ulid(0, Long.parseLong(name));
    BlockMeta m = new BlockMeta(u, mint, maxt, new BlockMeta.Stats(0, 0, 0, numSeries, 0, numTombstones),
        BlockWriter.level1(u), BlockMeta.VERSION_1);
    return new Compactor.DirMeta(Path.of(name), m);
  }

  static Compactor compactor(long... ranges) {
    return new Compactor(new Compactor.Options(ranges, true, BlockWriter.Options.DEFAULT));
  }

  /** TestLeveledCompactor_plan, case by case (converted from the Go table). */
  static Stream<Arguments> prometheusCases() {
    return Stream.of(
        Arguments.of("Outside Range", List.of(meta("1", 0, 20, 0, 0)), List.of()),
        Arguments.of("We should wait for four blocks of size 20 to appear before compacting.", List.of(meta("1", 0, 20, 0, 0), meta("2", 20, 40, 0, 0)), List.of()),
        Arguments.of("We should wait for a next block of size 20 to appear before compacting the existing ones. We have three, but we ignore the fresh one from WAl", List.of(meta("1", 0, 20, 0, 0), meta("2", 20, 40, 0, 0), meta("3", 40, 60, 0, 0)), List.of()),
        Arguments.of("Block to fill the entire parent range appeared – should be compacted", List.of(meta("1", 0, 20, 0, 0), meta("2", 20, 40, 0, 0), meta("3", 40, 60, 0, 0), meta("4", 60, 80, 0, 0)), List.of("1", "2", "3")),
        Arguments.of("Block for the next parent range appeared with gap with size 20. Nothing will happen in the first one anymore but we ignore fresh one still, so no compaction", List.of(meta("1", 0, 20, 0, 0), meta("2", 20, 40, 0, 0), meta("3", 60, 80, 0, 0)), List.of()),
        Arguments.of("Block for the next parent range appeared, and we have a gap with size 20 between second and third block. We will not get this missed gap anymore and we should compact just these two.", List.of(meta("1", 0, 20, 0, 0), meta("2", 20, 40, 0, 0), meta("3", 60, 80, 0, 0), meta("4", 80, 100, 0, 0)), List.of("1", "2")),
        Arguments.of("We have 20, 20, 20, 60, 60 range blocks. '5' is marked as fresh one", List.of(meta("1", 0, 20, 0, 0), meta("2", 20, 40, 0, 0), meta("3", 40, 60, 0, 0), meta("4", 60, 120, 0, 0), meta("5", 120, 180, 0, 0)), List.of("1", "2", "3")),
        Arguments.of("We have 20, 60, 20, 60, 240 range blocks. We can compact 20 + 60 + 60", List.of(meta("2", 20, 40, 0, 0), meta("4", 60, 120, 0, 0), meta("5", 960, 980, 0, 0), meta("6", 120, 180, 0, 0), meta("7", 720, 960, 0, 0)), List.of("2", "4", "6")),
        Arguments.of("Do not select large blocks that have many tombstones when there is no fresh block", List.of(meta("1", 0, 540, 10, 3)), List.of()),
        Arguments.of("Select large blocks that have many tombstones when fresh appears", List.of(meta("1", 0, 540, 10, 3), meta("2", 540, 560, 0, 0)), List.of("1")),
        Arguments.of("For small blocks, do not compact tombstones, even when fresh appears.", List.of(meta("1", 0, 60, 10, 3), meta("2", 60, 80, 0, 0)), List.of()),
        Arguments.of("Regression test: we were stuck in a compact loop where we always recompacted the same block when tombstones and series counts were zero", List.of(meta("1", 0, 540, 0, 0), meta("2", 540, 560, 0, 0)), List.of()),
        Arguments.of("Regression test: we were wrongly assuming that new block is fresh from WAL when its ULID is newest. We need to actually look on max time instead.  With previous, wrong approach \"8\" block was ignored, so we were wrongly compacting 5 and 7 and introducing block overlaps", List.of(meta("5", 0, 360, 0, 0), meta("6", 540, 560, 0, 0), meta("7", 360, 420, 0, 0), meta("8", 420, 540, 0, 0)), List.of("7", "8")),
        Arguments.of("Overlapping blocks 1", List.of(meta("1", 0, 20, 0, 0), meta("2", 19, 40, 0, 0), meta("3", 40, 60, 0, 0)), List.of("1", "2")),
        Arguments.of("Overlapping blocks 2", List.of(meta("1", 0, 20, 0, 0), meta("2", 20, 40, 0, 0), meta("3", 30, 50, 0, 0)), List.of("2", "3")),
        Arguments.of("Overlapping blocks 3", List.of(meta("1", 0, 20, 0, 0), meta("2", 10, 40, 0, 0), meta("3", 30, 50, 0, 0)), List.of("1", "2", "3")),
        Arguments.of("Overlapping blocks 4", List.of(meta("5", 0, 360, 0, 0), meta("6", 340, 560, 0, 0), meta("7", 360, 420, 0, 0), meta("8", 420, 540, 0, 0)), List.of("5", "6", "7", "8")),
        Arguments.of("Overlapping blocks 5", List.of(meta("1", 0, 10, 0, 0), meta("2", 9, 20, 0, 0), meta("3", 30, 40, 0, 0), meta("4", 39, 50, 0, 0)), List.of("1", "2")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("prometheusCases")
  void plansAsPrometheus(String title, List<Compactor.DirMeta> metas, List<String> expected) {
    List<String> got = new ArrayList<>();
    for (Path p : compactor(20, 60, 180, 540, 1620).plan(metas)) {
      got.add(p.toString());
    }
    assertThat(got).isEqualTo(expected);
  }

  /** TestRangeWithFailedCompactionWontGetSelected. */
  @Test
  void failedCompactionsAreNotSelected() {
    Compactor c = compactor(20, 60, 240, 720, 2160);
    List<List<Compactor.DirMeta>> cases = List.of(
        List.of(meta("1", 0, 20, 0, 0), meta("2", 20, 40, 0, 0), meta("3", 40, 60, 0, 0), meta("4", 60, 80, 0, 0)),
        List.of(meta("1", 0, 20, 0, 0), meta("2", 20, 40, 0, 0), meta("3", 60, 80, 0, 0), meta("4", 80, 100, 0, 0)),
        List.of(meta("1", 0, 20, 0, 0), meta("2", 20, 40, 0, 0), meta("3", 40, 60, 0, 0), meta("4", 60, 120, 0, 0),
            meta("5", 120, 180, 0, 0), meta("6", 180, 200, 0, 0)));
    for (List<Compactor.DirMeta> metas : cases) {
      List<Compactor.DirMeta> m = new ArrayList<>(metas);
      BlockMeta b = m.get(1).meta();
      BlockMeta.Compaction f = new BlockMeta.Compaction(1, b.compaction().sources(), false, List.of(), true, List.of());
      m.set(1, new Compactor.DirMeta(m.get(1).dir(), new BlockMeta(b.ulid(), b.minTime(), b.maxTime(), b.stats(), f, 1)));
      assertThat(c.plan(m)).isEmpty();
      // Without the failure the same blocks are planned: the failure is what stops it.
      assertThat(c.plan(metas)).isNotEmpty();
    }
  }

  @Test
  void rangesAreCappedAsPrometheusCapsThem() {
    long h = 3600_000L;
    assertThat(Compactor.exponentialBlockRanges(2 * h, 4, 3)).containsExactly(2 * h, 6 * h, 18 * h, 54 * h);
    // Default: 31 days maximum, so 2h, 6h, 18h, 54h, 162h, 486h (20.25 d); 1458h is over.
    assertThat(Compactor.blockRanges(2 * h, Compactor.defaultMaxBlockDuration(0)))
        .containsExactly(2 * h, 6 * h, 18 * h, 54 * h, 162 * h, 486 * h);
    // 15 days of retention: at most 36 h blocks.
    assertThat(Compactor.defaultMaxBlockDuration(15 * 24 * h)).isEqualTo(36 * h);
    assertThat(Compactor.blockRanges(2 * h, 36 * h)).containsExactly(2 * h, 6 * h, 18 * h);
    // A maximum below the minimum is the minimum: no compaction beyond the head's blocks.
    assertThat(Compactor.blockRanges(2 * h, h)).containsExactly(2 * h);
  }

  @Test
  void splitsByAlignedRangesIncludingNegativeTimes() {
    List<Compactor.DirMeta> ds = List.of(
        meta("1", -60, -40, 0, 0), meta("2", -40, -20, 0, 0), meta("3", -20, 10, 0, 0), meta("4", 0, 20, 0, 0),
        meta("5", 20, 40, 0, 0), meta("6", 40, 80, 0, 0));
    List<List<String>> got = new ArrayList<>();
    for (List<Compactor.DirMeta> g : Compactor.splitByRange(ds, 60)) {
      got.add(g.stream().map(d -> d.dir().toString()).toList());
    }
    // -60..0 holds 1 and 2; 3 crosses 0 and is skipped; 0..60 holds 4 and 5; 6 crosses 60.
    assertThat(got).containsExactly(List.of("1", "2"), List.of("4", "5"));
  }
}
