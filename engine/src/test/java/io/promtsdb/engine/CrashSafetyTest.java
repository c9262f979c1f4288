package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.Labels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Crash safety: a child JVM ({@link CrashChild}) appends with an fsync per commit, checkpoints
 * and compacts; it is killed with SIGKILL after a seeded random number of acknowledged commits
 * (so at random points of appends, WAL checkpoints and head compactions), several times over
 * the same dir. After every kill the dir must open, every acknowledged sample must be there with
 * its value, nothing may be there that was never appended, and every block directory must be a
 * complete block.
 */
class CrashSafetyTest {
  @TempDir Path tmp;

  @Test
  void everyAcknowledgedCommitSurvivesSigkill() throws Exception {
    long seed = Long.getLong("promtsdb.crash.seed", 20261122L);
    SplittableRandom r = new SplittableRandom(seed);
    Path dir = tmp.resolve("db");
    int next = 0;
    int lastAck = -1;
    for (int round = 0; round < 4; round++) {
      int killAfter = 50 + r.nextInt(400);
      int acked = runAndKill(dir, next, 2000, killAfter).next();
      assertThat(acked).as("seed %d round %d: commits acknowledged", seed, round).isGreaterThan(next);
      lastAck = acked - 1;
      verify(dir, lastAck, seed, round);
      next = acked;
    }
    assertThat(lastAck).isPositive();
  }

  /**
   * Kills at each crash point: a child stops at the {@code n}-th time (seeded, 1 to 3) it reaches
   * the point, in the middle of a block write, a block deletion, a head compaction, a checkpoint
   * or a WAL truncation, and is killed there; the dir must then satisfy everything {@link
   * #verify} checks, and a second child must continue it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("points")
  void everyCrashPointLeavesAConsistentDir(String point) throws Exception {
    long seed = Long.getLong("promtsdb.crash.seed", 20261122L) ^ point.hashCode();
    SplittableRandom r = new SplittableRandom(seed);
    Path dir = tmp.resolve("db");
    int n = 1 + r.nextInt(3);
    Run run = runAndKill(dir, 0, 3000, Integer.MAX_VALUE, point, Integer.toString(n));
    assertThat(run.halted()).as("seed %d: the child reached %s %d times", seed, point, n).isTrue();
    verify(dir, run.next() - 1, seed, 0);
    Run again = runAndKill(dir, run.next(), 300, 100);
    verify(dir, again.next() - 1, seed, 1);
  }

  static List<String> points() {
    List<String> out = new ArrayList<>(CrashPoints.ALL);
    out.add("wal-rename");
    out.add("wal-delete");
    return out;
  }

  /** One past the last acknowledged commit; whether the child stopped at its crash point. */
  private record Run(int next, boolean halted) {}

  /**
   * Runs a child from commit {@code first}; kills it after {@code killAfter} ACKs or when it
   * stops at its crash point ({@code extra}: point and count, see {@link CrashChild}).
   */
  private Run runAndKill(Path dir, int first, int commits, int killAfter, String... extra) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        CrashChild.class.getName(), dir.toString(), Integer.toString(commits), Integer.toString(first)));
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    int last = first - 1;
    int acks = 0;
    boolean halted = false;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("HALT ")) {
          halted = true;
          p.destroyForcibly();
          break;
        }
        if (line.startsWith("ACK ")) {
          last = Integer.parseInt(line.substring(4));
          if (++acks == killAfter) {
            p.destroyForcibly(); // SIGKILL on Linux
            break;
          }
        }
      }
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new Run(last + 1, halted);
  }

  private void verify(Path dir, int lastAck, long seed, int round) throws Exception {
    // No half block: every block directory is complete (leftover .tmp-for-creation dirs are not blocks).
    try (ReadOnlyDb ro = ReadOnlyDb.open(dir)) {
      ro.blocks();
    }
    Map<Integer, Map<Long, Double>> got = new TreeMap<>();
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults().withMinBlockDuration(java.time.Duration.ofMinutes(10))
        .withCompaction(false))) {
      try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet ss = q.select(true, List.of(Matcher.equal("__name__", "crash")));
        while (ss.next()) {
          Labels l = ss.at().labels();
          int s = Integer.parseInt(l.get("s"));
          Map<Long, Double> m = got.computeIfAbsent(s, k -> new TreeMap<>());
          SampleIterator it = ss.at().iterator(null);
          for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
            m.put(it.atT(), it.atValue());
          }
        }
      }
    }
    List<String> problems = new ArrayList<>();
    for (int s = 0; s < CrashChild.SERIES; s++) {
      Map<Long, Double> m = got.getOrDefault(s, Map.of());
      for (int i = 0; i <= lastAck; i++) {
        long t = CrashChild.T0 + i * CrashChild.STEP;
        Double v = m.get(t);
        if (v == null || v != i * 10 + s) {
          problems.add("s" + s + " commit " + i + ": " + v);
        }
      }
      // A commit killed before its ACK is there wholly or not at all (one WAL record).
      if (!m.keySet().equals(got.getOrDefault(0, Map.of()).keySet())) {
        problems.add("s" + s + " has other commits than s0");
      }
      for (Map.Entry<Long, Double> e : m.entrySet()) {
        long i = (e.getKey() - CrashChild.T0) / CrashChild.STEP;
        if ((e.getKey() - CrashChild.T0) % CrashChild.STEP != 0 || e.getValue() != i * 10 + s) {
          problems.add("s" + s + " unexpected sample " + e);
        }
      }
    }
    assertThat(problems).as("seed %d round %d, last acknowledged commit %d", seed, round, lastAck)
        .hasSizeLessThanOrEqualTo(0);
    try (Stream<Path> st = Files.list(dir)) {
      assertThat(st.map(x -> x.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp-for-creation") || n.endsWith(".tmp-for-deletion"));
    }
  }
}
