package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.Labels;
import io.promtsdb.wal.FaultInjectingFileOps;
import io.promtsdb.wal.SyncPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The file-operation seam: the WAL's open, write (torn), fsync, rename, delete and mkdir fail at
 * the N-th call while the engine appends, checkpoints and compacts. The failing call surfaces as
 * an IOException (from open, a commit, a compaction or close), never silently; afterwards the
 * dir opens with healthy files and holds every acknowledged commit, each commit whole.
 */
class FaultInjectionTest {
  @TempDir Path tmp;

  static List<Arguments> faults() {
    List<Arguments> out = new ArrayList<>();
    for (FaultInjectingFileOps.Op op : List.of(FaultInjectingFileOps.Op.OPEN, FaultInjectingFileOps.Op.WRITE,
        FaultInjectingFileOps.Op.SYNC, FaultInjectingFileOps.Op.RENAME, FaultInjectingFileOps.Op.DELETE,
        FaultInjectingFileOps.Op.MKDIR)) {
      for (int n : new int[] {1, 2, 3, 7, 40}) {
        out.add(Arguments.of(op, n));
      }
    }
    return out;
  }

  static TsdbOptions options(FaultInjectingFileOps ops) {
    TsdbOptions o = TsdbOptions.defaults()
        .withMinBlockDuration(Duration.ofMinutes(10))
        .withWalSegmentSize(32 * 1024)
        .withWalSyncPolicy(SyncPolicy.EVERY_BATCH)
        .withCompaction(false);
    return ops == null ? o : o.withFileOps(ops);
  }

  @ParameterizedTest(name = "{0} fails at call {1}")
  @MethodSource("faults")
  void failuresAreReportedAndAcknowledgedDataSurvives(FaultInjectingFileOps.Op op, int n) throws Exception {
    Path dir = tmp.resolve("db");
    FaultInjectingFileOps ops = new FaultInjectingFileOps().tornWrites(5).failAt(op, n);
    int acked = 0;
    List<IOException> errors = new ArrayList<>();
    Tsdb db = null;
    try {
      db = Tsdb.open(dir, options(ops));
    } catch (IOException e) {
      errors.add(e);
    }
    if (db != null) {
      try {
        for (int i = 0; i < 400; i++) {
          try (Appender app = db.appender()) {
            for (int s = 0; s < 5; s++) {
              app.append(Labels.of("__name__", "f", "s", Integer.toString(s)), CrashChild.T0 + i * CrashChild.STEP, i);
            }
            app.commit();
          }
          acked = i + 1;
          if (i % 60 == 59) {
            db.compact();
          }
        }
      } catch (IOException e) {
        errors.add(e);
      } finally {
        try {
          db.close();
        } catch (IOException e) {
          errors.add(e);
        }
      }
    }
    if (ops.calls(op) >= n) {
      assertThat(errors).as("the injected %s failure surfaces", op).isNotEmpty();
      assertThat(errors.get(0)).hasStackTraceContaining("injected failure of " + op);
    } else {
      assertThat(errors).isEmpty();
    }
    // Healthy again: the dir opens and keeps everything acknowledged.
    Map<Integer, List<Long>> got = new TreeMap<>();
    try (Tsdb again = Tsdb.open(dir, options(null));
        Querier q = again.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(true, List.of(Matcher.equal("__name__", "f")));
      while (ss.next()) {
        List<Long> ts = new ArrayList<>();
        SampleIterator it = ss.at().iterator(null);
        for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
          ts.add(it.atT());
          assertThat(it.atValue()).isEqualTo((double) ((it.atT() - CrashChild.T0) / CrashChild.STEP));
        }
        got.put(Integer.parseInt(ss.at().labels().get("s")), ts);
      }
    }
    if (acked > 0) {
      assertThat(got).hasSize(5);
    }
    for (List<Long> ts : got.values()) {
      assertThat(ts).as("commits are whole").isEqualTo(got.get(0));
      assertThat(ts.size()).as("acknowledged commits survive").isGreaterThanOrEqualTo(acked);
      for (int i = 0; i < acked; i++) {
        assertThat(ts.get(i)).isEqualTo(CrashChild.T0 + i * CrashChild.STEP);
      }
    }
  }
}
