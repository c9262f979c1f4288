package io.promtsdb.engine;

import static io.promtsdb.engine.TsdbTest.T0;
import static io.promtsdb.engine.TsdbTest.all;
import static io.promtsdb.engine.TsdbTest.allReadOnly;
import static io.promtsdb.engine.TsdbTest.f;
import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.Labels;
import io.promtsdb.core.Values;
import io.promtsdb.wal.RecordCodec;
import io.promtsdb.wal.RecordEncoder;
import io.promtsdb.wal.Refs;
import io.promtsdb.wal.WalReader;
import io.promtsdb.wal.WalRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit path's two ways of writing the WAL: records encoded before the commit lock (every
 * sample in order, every series record the appender's own) and records encoded under the lock
 * from the routes (a concurrent commit overtook a sample or logged a series first). Either way
 * the WAL holds exactly what went into memory, in the order it went in, so that a reopen
 * rebuilds the same head.
 */
class CommitPathTest {
  @TempDir Path tmp;

  static List<byte[]> walRecords(Path dir) throws Exception {
    List<byte[]> out = new ArrayList<>();
    try (WalReader r = WalReader.open(dir.resolve("wal"))) {
      while (r.next()) {
        out.add(r.copyRecord());
      }
    }
    return out;
  }

  @Test
  void inOrderCommitWritesTheSeriesAndSamplesRecordsAsEncodedBeforeTheLock() throws Exception {
    Labels a = Labels.of("__name__", "m", "i", "a");
    Labels b = Labels.of("__name__", "m", "i", "b");
    long ra;
    long rb;
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults().withCompaction(false))) {
      try (Appender app = db.appender()) {
        ra = app.append(a, T0, 1);
        rb = app.append(b, T0, Values.STALE_NAN);
        app.append(ra, T0 + 1000, 2);
        app.commit();
      }
      try (Appender app = db.appender()) {
        app.append(rb, T0 + 2000, 3);
        app.commit();
      }
    }
    List<byte[]> recs = walRecords(tmp);
    RecordEncoder enc = RecordEncoder.v1();
    assertThat(recs).hasSize(3);
    assertThat(recs.get(0)).isEqualTo(RecordCodec.encode(new WalRecord.Series(
        List.of(new Refs.RefSeries(ra, a), new Refs.RefSeries(rb, b)))));
    assertThat(recs.get(1)).isEqualTo(enc.samples(List.of(
        new Refs.RefSample(ra, T0, 1), new Refs.RefSample(rb, T0, Values.STALE_NAN),
        new Refs.RefSample(ra, T0 + 1000, 2))));
    assertThat(recs.get(2)).isEqualTo(enc.samples(List.of(new Refs.RefSample(rb, T0 + 2000, 3))));
  }

  @Test
  void overtakenSamplesAndSeriesLoggedByAnotherCommitAreLeftOutOfTheWal() throws Exception {
    Labels s1 = Labels.of("__name__", "m", "i", "1");
    Labels s2 = Labels.of("__name__", "m", "i", "2");
    long r1;
    long r2;
    try (Tsdb db = Tsdb.open(tmp, TsdbOptions.defaults().withCompaction(false))) {
      Appender first = db.appender();
      Appender second = db.appender();
      r1 = first.append(s1, T0 + 10, 10); // creates s1, not yet in the WAL
      r2 = first.append(s2, T0 + 10, 10);
      assertThat(second.append(s1, T0 + 20, 20)).isEqualTo(r1);
      second.commit(); // logs s1's series record (first's series) and s1@20
      first.commit(); // s1@10 is now out of order: dropped; s1's series record is not repeated
      assertThat(db.samplesDroppedAtCommit()).isEqualTo(1);
      assertThat(all(db)).isEqualTo(Map.of(s1, List.of(f(T0 + 20, 20)), s2, List.of(f(T0 + 10, 10))));
    }
    RecordEncoder enc = RecordEncoder.v1();
    assertThat(walRecords(tmp)).containsExactly(
        RecordCodec.encode(new WalRecord.Series(List.of(new Refs.RefSeries(r1, s1)))),
        enc.samples(List.of(new Refs.RefSample(r1, T0 + 20, 20))),
        RecordCodec.encode(new WalRecord.Series(List.of(new Refs.RefSeries(r2, s2)))),
        enc.samples(List.of(new Refs.RefSample(r2, T0 + 10, 10))));
    assertThat(allReadOnly(tmp)).isEqualTo(Map.of(s1, List.of(f(T0 + 20, 20)), s2, List.of(f(T0 + 10, 10))));
  }

  /**
   * Seeded interleavings: several appenders open at once over overlapping series, with random
   * timestamps (some overtaken, some duplicates, some too old), committed or rolled back in a
   * random order; what a querier sees equals what a reopen replays.
   */
  @Test
  void randomInterleavingsReplayToWhatWasVisible() throws Exception {
    long seed = 0x5EEDL;
    SplittableRandom r = new SplittableRandom(seed);
    long droppedInAll = 0;
    for (int round = 0; round < 20; round++) {
      Path dir = tmp.resolve("r" + round);
      Map<Labels, List<String>> visible;
      long dropped;
      try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults().withCompaction(false))) {
        for (int step = 0; step < 15; step++) {
          List<Appender> open = new ArrayList<>();
          for (int k = 0, n = 1 + r.nextInt(4); k < n; k++) {
            Appender app = db.appender();
            for (int i = 0, m = r.nextInt(12); i < m; i++) {
              Labels l = Labels.of("__name__", "m", "s", Integer.toString(r.nextInt(6)));
              long t = T0 + 1000L * (step * 10 + r.nextInt(10));
              try {
                app.append(l, t, r.nextInt(3));
              } catch (AppendException e) {
                // out of order against what is committed, or a duplicate with another value
              }
            }
            open.add(app);
          }
          while (!open.isEmpty()) {
            Appender app = open.remove(r.nextInt(open.size()));
            if (r.nextInt(5) == 0) {
              app.rollback();
            } else {
              app.commit();
            }
          }
        }
        visible = all(db);
        dropped = db.samplesDroppedAtCommit();
      }
      assertThat(allReadOnly(dir)).as("round %d of seed %x (%d dropped at commit)", round, seed, dropped)
          .isEqualTo(visible);
      try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults().withCompaction(false))) {
        assertThat(all(db)).isEqualTo(visible);
      }
      droppedInAll += dropped;
    }
    // The interleavings reach the general case: samples overtaken by another commit.
    assertThat(droppedInAll).isPositive();
  }
}
