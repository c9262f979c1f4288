package io.promtsdb.engine;

import io.promtsdb.core.Labels;
import io.promtsdb.wal.FileOps;
import io.promtsdb.wal.ForwardingFileOps;
import io.promtsdb.wal.SyncPolicy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The process {@link CrashSafetyTest} kills: appends commit after commit to a data dir with an
 * fsync per commit and prints {@code ACK <i>} once commit {@code i} returned. Commit {@code i}
 * appends to series s0..s9 at {@code T0 + i * STEP} the value {@code i * 10 + s}. Small WAL
 * segments and a 10-minute block range make checkpoints and head compactions frequent.
 *
 * <p>With two more arguments, {@code <point> <n>}, the process stops at the {@code n}-th time it
 * reaches the crash point {@code point} (one of {@link CrashPoints#ALL}, or {@code wal-rename} /
 * {@code wal-delete} for the WAL's own renames and deletes: checkpoints and truncation): it
 * prints {@code HALT <point>} and waits to be killed.
 */
public final class CrashChild {
  static final long T0 = 1_700_000_000_000L;
  static final long STEP = 20_000L;
  static final int SERIES = 10;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int commits = Integer.parseInt(args[1]);
    int first = Integer.parseInt(args[2]);
    PrintStream out = new PrintStream(System.out, false, "UTF-8");
    TsdbOptions o = TsdbOptions.defaults()
        .withMinBlockDuration(Duration.ofMinutes(10))
        .withWalSegmentSize(32 * 1024)
        .withWalSyncPolicy(SyncPolicy.EVERY_BATCH)
        .withCompaction(true);
    if (args.length == 5) {
      Halt halt = new Halt(args[3], Integer.parseInt(args[4]), out);
      CrashPoints.listen(halt);
      o = o.withFileOps(new ForwardingFileOps(FileOps.DEFAULT) {
        @Override
        public void rename(Path from, Path to) throws IOException {
          super.rename(from, to);
          halt.accept("wal-rename");
        }

        @Override
        public void delete(Path path) throws IOException {
          super.delete(path);
          halt.accept("wal-delete");
        }

        @Override
        public void deleteRecursively(Path path) throws IOException {
          super.deleteRecursively(path);
          halt.accept("wal-delete");
        }
      });
    }
    try (Tsdb db = Tsdb.open(dir, o)) {
      // Commits killed before their ACK may be in the dir: continue after the newest one.
      try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet ss = q.select(false, java.util.List.of(Matcher.equal("s", "0")));
        if (ss.next()) {
          SampleIterator it = ss.at().iterator(null);
          for (var vt = it.next(); vt != io.promtsdb.chunks.ValueType.NONE; vt = it.next()) {
            first = Math.max(first, (int) ((it.atT() - T0) / STEP) + 1);
          }
        }
      }
      out.println("START " + first);
      out.flush();
      for (int i = first; i < first + commits; i++) {
        try (Appender app = db.appender()) {
          for (int s = 0; s < SERIES; s++) {
            app.append(Labels.of("__name__", "crash", "s", Integer.toString(s)), T0 + i * STEP, i * 10 + s);
          }
          app.commit();
        }
        out.println("ACK " + i);
        out.flush();
        if (i % 97 == 0) {
          db.compact(); // also in the foreground, so that kills land inside compactions too
        }
      }
    }
    out.println("DONE");
    out.flush();
  }

  /** Stops the process (for the parent to SIGKILL it) at the {@code n}-th report of {@code point}. */
  private static final class Halt implements Consumer<String> {
    private final String point;
    private final PrintStream out;
    private int left;

    Halt(String point, int n, PrintStream out) {
      this.point = point;
      this.left = n;
      this.out = out;
    }

    @Override
    public void accept(String p) {
      if (!p.equals(point)) {
        return;
      }
      synchronized (this) {
        if (--left != 0) {
          return;
        }
        out.println("HALT " + p);
        out.flush();
      }
      while (true) {
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException e) {
          // keep waiting for the SIGKILL
        }
      }
    }
  }
}
