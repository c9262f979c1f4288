package io.promtsdb.engine;

import static io.promtsdb.engine.TsdbTest.T0;
import static io.promtsdb.engine.TsdbTest.all;
import static io.promtsdb.engine.TsdbTest.allReadOnly;
import static io.promtsdb.engine.TsdbTest.histogram;
import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.chunks.HeadChunkReader;
import io.promtsdb.core.Labels;
import io.promtsdb.wal.RecordCodec;
import io.promtsdb.wal.Refs;
import io.promtsdb.wal.WalReader;
import io.promtsdb.wal.WalRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full out-of-order head chunks are m-mapped as Prometheus 3.5.3 m-maps them (head_append.go
 * {@code mmapCurrentOOOHeadChunk}, {@code collectOOORecords}): written to the head chunk files
 * with the out-of-order flag, named by {@code MmapMarkers} records in the WBL that precede the
 * samples of the next head chunk, and on reopen loaded from the files while the WBL replay drops
 * the head chunk at each marker. Cross-checked against a real Prometheus server by cli's
 * {@code PrometheusCompactionTest} (its out-of-order case hands our head chunk files over).
 */
class OooMmapTest {
  @TempDir Path tmp;

  static final Labels A = Labels.of("__name__", "a");
  static final Labels B = Labels.of("__name__", "b");
  static final Labels H = Labels.of("__name__", "h");
  static final int CAP = OooChunk.DEFAULT_CAP_MAX;

  /** One pending sample of a commit: series, time, value (a histogram's index when on H). */
  record S(Labels l, long t, long v) {}

  /** Out-of-order samples start here; in-order ones run from T0 to END. */
  static final long BASE = T0 + 3 * 3_600_000L;
  static final long END = T0 + 9 * 3_600_000L / 2;

  static TsdbOptions options() {
    return TsdbOptions.defaults().withCompaction(false).withNativeHistograms(true)
        .withOutOfOrderTimeWindow(Duration.ofHours(2));
  }

  /**
   * In-order samples of {@code in} every 5 minutes from T0 to END (enough for a head
   * compaction), one in-order sample of A, B and H at END, then the out-of-order commits.
   */
  static void write(Tsdb db, List<List<S>> commits) throws Exception {
    try (Appender app = db.appender()) {
      for (long t = T0; t <= END; t += 300_000) {
        app.append(Labels.of("__name__", "in"), t, t / 1000.0);
      }
      for (Labels l : List.of(A, B)) {
        app.append(l, END, 1);
      }
      app.appendHistogram(H, END, histogram(0));
      app.commit();
    }
    for (List<S> c : commits) {
      try (Appender app = db.appender()) {
        for (S s : c) {
          if (s.l().equals(H)) {
            app.appendHistogram(H, s.t(), histogram(s.v()));
          } else {
            app.append(s.l(), s.t(), s.v());
          }
        }
        app.commit();
      }
    }
  }

  @Test
  void fullOutOfOrderChunksAreMmappedAndNamedByWblMarkers() throws Exception {
    TsdbOptions o = options();
    List<List<S>> commits = commits(new SplittableRandom(20261122L));
    Map<Labels, List<String>> want;
    Map<Labels, Long> refs = new HashMap<>();
    try (Tsdb db = Tsdb.open(tmp, o)) {
      write(db, commits);
      want = all(db);
      for (Labels l : List.of(A, B, H)) {
        refs.put(l, db.head.byLabels.get(l).ref);
      }
    }

    // The head chunk files: the m-mapped out-of-order chunks, flagged, in write order.
    Model m = new Model(commits);
    Map<Long, ArrayDeque<HeadChunkReader.HeadChunkMeta>> oooChunks = new HashMap<>();
    int ooo = 0;
    try (HeadChunkReader r = HeadChunkReader.open(tmp.resolve("chunks_head"))) {
      for (HeadChunkReader.HeadChunkMeta c : r.records()) {
        if (c.outOfOrder()) {
          ooo++;
          oooChunks.computeIfAbsent(c.seriesRef(), k -> new ArrayDeque<>()).add(c);
          assertThat(c.numSamples()).isEqualTo(CAP);
        }
      }
    }
    assertThat(ooo).isEqualTo(m.mmapped).isGreaterThanOrEqualTo(6);

    // The WBL: Go's record sequence, markers naming exactly those chunks.
    List<String> got = new ArrayList<>();
    try (WalReader r = WalReader.open(tmp.resolve("wbl"))) {
      while (r.next()) {
        WalRecord rec = RecordCodec.decode(r.copyRecord());
        if (rec instanceof WalRecord.MmapMarkers mm) {
          for (Refs.RefMmapMarker x : mm.markers()) {
            Labels l = byRef(refs, x.ref());
            if (x.mmapRef() == 0) {
              got.add("marker " + l + " 0");
            } else {
              HeadChunkReader.HeadChunkMeta c = oooChunks.get(x.ref()).poll();
              assertThat(c).as("chunk of marker %s", x).isNotNull();
              assertThat(c.ref()).isEqualTo(x.mmapRef());
              got.add("marker " + l + " chunk " + c.mint() + ".." + c.maxt());
            }
          }
          got.add("|");
        } else if (rec instanceof WalRecord.Samples s) {
          for (Refs.RefSample x : s.samples()) {
            got.add(byRef(refs, x.ref()) + " " + x.t() + " " + (long) x.v());
          }
          got.add("|");
        } else if (rec instanceof WalRecord.HistogramSamples s) {
          for (Refs.RefHistogramSample x : s.histograms()) {
            got.add(byRef(refs, x.ref()) + " " + x.t() + " " + x.h().equals(histogram(m.histIndex.get(x.t()))));
          }
          got.add("|");
        } else {
          got.add("unexpected " + rec.getClass().getSimpleName());
        }
      }
    }
    assertThat(got).isEqualTo(m.records);

    // Reopen: the m-mapped chunks come from the files, the WBL replay keeps only the samples
    // after each series' last marker in the head chunk.
    try (Tsdb db = Tsdb.open(tmp, o)) {
      assertThat(all(db)).isEqualTo(want);
      for (Labels l : List.of(A, B, H)) {
        MemSeries s = db.head.byLabels.get(l);
        assertThat(s.oooMmappedChunks).hasSize(m.chunksOf(l)).allMatch(c -> c.chunk() == null && c.ref() > 0);
        assertThat(s.oooHeadChunk == null ? 0 : s.oooHeadChunk.numSamples()).isEqualTo(m.headCount.getOrDefault(l, 0));
      }
    }
    assertThat(allReadOnly(tmp)).isEqualTo(want);
  }

  /**
   * The blocks of a head compaction (in-order block, then out-of-order blocks) are the same
   * whether the head was reopened before it or not: after a restart the out-of-order chunks
   * come from the head chunk files and the WBL replay must not add their samples again.
   */
  @Test
  void compactionAfterRestartEqualsCompactionWithout() throws Exception {
    List<List<S>> commits = commits(new SplittableRandom(7L));
    Path live = tmp.resolve("live");
    Path reopened = tmp.resolve("reopened");
    List<BlockMeta> a;
    try (Tsdb db = Tsdb.open(live, options())) {
      write(db, commits);
      a = db.compact();
    }
    try (Tsdb db = Tsdb.open(reopened, options())) {
      write(db, commits);
    }
    List<BlockMeta> b;
    try (Tsdb db = Tsdb.open(reopened, options())) {
      b = db.compact();
    }
    assertThat(a).hasSizeGreaterThanOrEqualTo(2).anySatisfy(m -> assertThat(m.compaction().fromOutOfOrder()).isTrue());
    assertThat(b).hasSameSizeAs(a);
    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i).minTime()).isEqualTo(a.get(i).minTime());
      assertThat(b.get(i).stats()).isEqualTo(a.get(i).stats());
      for (String f : List.of("index", "chunks/000001")) {
        assertThat(java.nio.file.Files.readAllBytes(reopened.resolve(b.get(i).ulid().toString()).resolve(f)))
            .as("block %d %s", i, f)
            .isEqualTo(java.nio.file.Files.readAllBytes(live.resolve(a.get(i).ulid().toString()).resolve(f)));
      }
    }
  }

  private static Labels byRef(Map<Labels, Long> refs, long ref) {
    return refs.entrySet().stream().filter(e -> e.getValue() == ref).findFirst().orElseThrow().getKey();
  }

  /**
   * 120 commits of out-of-order samples: A and H at increasing times, B at seeded random times
   * (some of them duplicates), and in every fifth commit a repeat of A's previous time.
   */
  static List<List<S>> commits(SplittableRandom r) {
    List<List<S>> out = new ArrayList<>();
    for (int k = 0; k < 120; k++) {
      List<S> c = new ArrayList<>();
      c.add(new S(H, BASE + k * 10_000L, k));
      c.add(new S(A, BASE + k * 10_000L, k));
      if (k % 5 == 4) {
        c.add(new S(A, BASE + (k - 1) * 10_000L, -k));
      }
      c.add(new S(B, BASE + r.nextInt(60) * 1_000L, k));
      out.add(c);
    }
    return out;
  }

  /**
   * What Go's commit writes for these commits, worked out from the rules alone: per commit,
   * floats then histograms in append order; a sample whose series has no head chunk, or a full
   * one (CAP samples), starts a new one: the records so far are closed and a marker for the
   * series pends (its m-mapped chunks, or 0 for its first chunk); a time already in the head
   * chunk is a duplicate: not inserted, not logged.
   */
  static final class Model {
    final List<String> records = new ArrayList<>();
    final Map<Labels, Integer> headCount = new HashMap<>();
    final Map<Long, Long> histIndex = new HashMap<>();
    final Map<Labels, Integer> chunks = new HashMap<>();
    int mmapped;
    private final Map<Labels, Set<Long>> head = new HashMap<>();
    private final Map<Labels, List<Long>> headTimes = new HashMap<>();

    Model(List<List<S>> commits) {
      for (List<S> c : commits) {
        List<String> markers = null;
        List<String> floats = new ArrayList<>();
        List<String> hists = new ArrayList<>();
        for (boolean histPass : new boolean[] {false, true}) {
          for (S s : c) {
            if (s.l().equals(H) != histPass) {
              continue;
            }
            Set<Long> times = head.get(s.l());
            if (times == null || times.size() == CAP) {
              close(markers, floats, hists);
              markers = new ArrayList<>();
              if (times == null) {
                markers.add("marker " + s.l() + " 0");
              } else {
                List<Long> ts = new ArrayList<>(headTimes.get(s.l()));
                ts.sort(null);
                markers.add("marker " + s.l() + " chunk " + ts.get(0) + ".." + ts.get(ts.size() - 1));
                mmapped++;
                chunks.merge(s.l(), 1, Integer::sum);
              }
              times = new HashSet<>();
              head.put(s.l(), times);
              headTimes.put(s.l(), new ArrayList<>());
            }
            if (!times.add(s.t())) {
              continue;
            }
            headTimes.get(s.l()).add(s.t());
            headCount.put(s.l(), times.size());
            if (histPass) {
              histIndex.put(s.t(), s.v());
              hists.add(s.l() + " " + s.t() + " true");
            } else {
              floats.add(s.l() + " " + s.t() + " " + s.v());
            }
          }
        }
        close(markers, floats, hists);
      }
    }

    private void close(List<String> markers, List<String> floats, List<String> hists) {
      for (List<String> l : java.util.Arrays.asList(markers, floats, hists)) {
        if (l != null && !l.isEmpty()) {
          records.addAll(l);
          records.add("|");
          l.clear();
        }
      }
    }

    int chunksOf(Labels l) {
      return chunks.getOrDefault(l, 0);
    }
  }
}
