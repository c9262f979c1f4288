package io.promtsdb.engine;

import io.promtsdb.chunks.ChunkEncoding;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Values;
import io.promtsdb.wal.RecordCodec;
import io.promtsdb.wal.RecordEncoder;
import io.promtsdb.wal.Refs;
import io.promtsdb.wal.WalRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The commit path of a {@link Tsdb} (Go's {@code headAppender.Commit} and {@code log}): which
 * pending samples still go in, the WAL and WBL records, then the in-memory apply.
 *
 * <p>Commits are serialized by the database's commit lock up to the WAL write; applies of
 * commits that touch different series run in parallel, and each series applies its commits in
 * WAL order. Per-series bookkeeping of a commit lives in the series' scratch fields, which only
 * the commit lock holder uses.
 */
final class HeadCommitter {
  private final Tsdb db;
  private final Head head;
  private final Isolation isolation;
  private final ExemplarStorage exemplars;
  private final RecordEncoder encoder = RecordEncoder.v1();

  HeadCommitter(Tsdb db, Head head, Isolation isolation, ExemplarStorage exemplars) {
    this.db = db;
    this.head = head;
    this.isolation = isolation;
    this.exemplars = exemplars;
  }

  /**
   * Commits {@code app}: decides which samples still go in (a concurrent commit may have
   * overtaken some), writes the WAL (and WBL) records, then applies them under the write lock
   * and publishes the commit to new queriers. Per-series bookkeeping of the commit lives in the
   * series' scratch fields, which only the commit lock holder uses.
   */
  void commit(Appender app) throws IOException {
    long seq;
    Appender.Pending[] ps;
    byte[] route;
    long dropped = 0;
    long[] prev;
    List<MemSeries> touched = new ArrayList<>();
    db.commitLock.lock();
    try {
      db.checkOpen();
      long window = db.options().outOfOrderTimeWindow().toMillis();
      long headMaxt = head.maxTime;
      seq = isolation.nextSeq(); // taken below only if the WAL write succeeds
      int n = app.samples.size();
      ps = new Appender.Pending[n];
      route = new byte[n]; // 0 dropped, 1 in order, 2 out of order
      for (int i = 0; i < n; i++) {
        Appender.Pending p = staleToHistogram(resolve(app.samples.get(i), app));
        MemSeries s = p.series();
        if (s.scratchSeq != seq) {
          s.scratchSeq = seq;
          // Logged but maybe not yet applied samples count: per series, samples are logged in
          // increasing time, in the order they will be applied.
          synchronized (s) {
            s.scratchMaxT = Math.max(s.maxTime(), s.loggedMaxT);
          }
          s.scratchFlags = 0;
        }
        ps[i] = p;
        long t = p.t();
        if (t > s.scratchMaxT && t >= app.minValidTime) {
          s.scratchMaxT = t;
          route[i] = 1;
        } else if (t < s.scratchMaxT && window > 0 && t >= headMaxt - window) {
          route[i] = 2;
        } else {
          dropped++;
        }
        if (route[i] != 0 && (s.scratchFlags & MemSeries.SCRATCH_BEGUN) == 0) {
          s.scratchFlags |= MemSeries.SCRATCH_BEGUN;
          touched.add(s);
        }
      }
      writeLogs(app, seq, ps, route);
      prev = new long[touched.size()];
      for (int i = 0; i < prev.length; i++) {
        MemSeries s = touched.get(i);
        prev[i] = s.lastLoggedSeq;
        s.lastLoggedSeq = seq;
        s.loggedMaxT = Math.max(s.loggedMaxT, s.scratchMaxT);
      }
      isolation.publish(seq);
    } finally {
      db.commitLock.unlock();
    }
    try {
      apply(app, seq, ps, route, dropped, touched, prev);
    } finally {
      isolation.finish(seq);
    }
    db.afterCommit();
  }

  /**
   * The series of a pending sample as the head has it now: head truncation may have removed
   * the series the appender saw (it had no samples then); it is created again, with a new
   * reference, as Prometheus would on the next append.
   */
  private Appender.Pending resolve(Appender.Pending p, Appender app) {
    MemSeries s = p.series();
    // Series are removed only under the commit lock, which the caller holds.
    if (head.getByRef(s.ref) == s) {
      return p;
    }
    db.rw.writeLock().lock();
    try {
      MemSeries n = head.byLabels.get(s.labels);
      if (n == null) {
        n = db.newSeries(s.labels, app);
      }
      return new Appender.Pending(n, p.t(), p.v(), p.h(), p.fh());
    } finally {
      db.rw.writeLock().unlock();
    }
  }

  /**
   * Prometheus turns a stale marker for a series whose newest sample is a histogram into a
   * histogram stale marker of that kind (head_append.go {@code Append}).
   */
  private static Appender.Pending staleToHistogram(Appender.Pending p) {
    if (p.h() != null || p.fh() != null || !Values.isStaleNaN(p.v())) {
      return p;
    }
    MemChunk c;
    synchronized (p.series()) {
      c = p.series().headChunk();
    }
    if (c == null) {
      return p;
    }
    if (c.encoding == ChunkEncoding.HISTOGRAM) {
      return new Appender.Pending(p.series(), p.t(), 0, Histogram.builder().sum(p.v()).build(), null);
    }
    if (c.encoding == ChunkEncoding.FLOAT_HISTOGRAM) {
      return new Appender.Pending(p.series(), p.t(), 0, null, FloatHistogram.builder().sum(p.v()).build());
    }
    return p;
  }

  /** Adds a series record for {@code s} unless it is in the WAL or already in this commit's records. */
  private static void needSeriesRecord(MemSeries s, long seq, List<Refs.RefSeries> out) {
    if (s.walLogged) {
      return;
    }
    if (s.scratchSeq != seq) {
      s.scratchSeq = seq;
      s.scratchMaxT = s.maxTime();
      s.scratchFlags = 0;
    }
    if ((s.scratchFlags & MemSeries.SCRATCH_LOGGED) == 0) {
      s.scratchFlags |= MemSeries.SCRATCH_LOGGED;
      out.add(new Refs.RefSeries(s.ref, s.labels));
    }
  }

  /** Series records first, then samples, histograms, float histograms, exemplars, metadata (Go's {@code headAppender.log}). */
  private void writeLogs(Appender app, long seq, Appender.Pending[] ps, byte[] route) throws IOException {
    List<Refs.RefSeries> series = new ArrayList<>();
    for (MemSeries s : app.created) {
      needSeriesRecord(s, seq, series);
    }
    List<Refs.RefSample> floats = new ArrayList<>(ps.length);
    List<Refs.RefHistogramSample> hs = new ArrayList<>();
    List<Refs.RefFloatHistogramSample> fhs = new ArrayList<>();
    List<Refs.RefSample> oooFloats = new ArrayList<>();
    List<Refs.RefHistogramSample> oooHs = new ArrayList<>();
    List<Refs.RefFloatHistogramSample> oooFhs = new ArrayList<>();
    for (int i = 0; i < ps.length; i++) {
      if (route[i] == 0) {
        continue;
      }
      Appender.Pending p = ps[i];
      MemSeries s = p.series();
      needSeriesRecord(s, seq, series); // e.g. created by a concurrent appender not yet committed
      boolean ooo = route[i] == 2;
      if (p.h() != null) {
        (ooo ? oooHs : hs).add(new Refs.RefHistogramSample(s.ref, p.t(), p.h()));
      } else if (p.fh() != null) {
        (ooo ? oooFhs : fhs).add(new Refs.RefFloatHistogramSample(s.ref, p.t(), p.fh()));
      } else {
        (ooo ? oooFloats : floats).add(new Refs.RefSample(s.ref, p.t(), p.v()));
      }
    }
    for (Appender.PendingExemplar e : app.exemplars) {
      needSeriesRecord(e.series(), seq, series);
    }
    for (Appender.PendingMetadata m : app.metadata) {
      needSeriesRecord(m.series(), seq, series);
    }
    List<byte[]> recs = new ArrayList<>();
    if (!series.isEmpty()) {
      recs.add(RecordCodec.encode(new WalRecord.Series(series)));
    }
    if (!floats.isEmpty()) {
      recs.add(encoder.samples(floats));
    }
    if (!hs.isEmpty()) {
      recs.addAll(encoder.histogramSamples(hs));
    }
    if (!fhs.isEmpty()) {
      recs.addAll(encoder.floatHistogramSamples(fhs));
    }
    if (!app.exemplars.isEmpty()) {
      List<Refs.RefExemplar> ex = new ArrayList<>();
      for (Appender.PendingExemplar e : app.exemplars) {
        ex.add(new Refs.RefExemplar(e.series().ref, e.exemplar().t(), e.exemplar().value(), e.exemplar().labels()));
      }
      recs.add(RecordCodec.encode(WalRecord.Exemplars.of(ex)));
    }
    if (!app.metadata.isEmpty()) {
      List<Refs.RefMetadata> md = new ArrayList<>();
      for (Appender.PendingMetadata m : app.metadata) {
        md.add(new Refs.RefMetadata(m.series().ref, m.metadata().typeCode(), m.metadata().unit(), m.metadata().help()));
      }
      recs.add(RecordCodec.encode(new WalRecord.Metadata(md)));
    }
    if (!recs.isEmpty()) {
      db.wal.log(recs);
    }
    if (!oooFloats.isEmpty() || !oooHs.isEmpty() || !oooFhs.isEmpty()) {
      List<byte[]> w = new ArrayList<>();
      if (!oooFloats.isEmpty()) {
        w.add(encoder.samples(oooFloats));
      }
      if (!oooHs.isEmpty()) {
        w.addAll(encoder.histogramSamples(oooHs));
      }
      if (!oooFhs.isEmpty()) {
        w.addAll(encoder.floatHistogramSamples(oooFhs));
      }
      db.wbl.log(w);
    }
    for (Refs.RefSeries r : series) {
      head.getByRef(r.ref()).walLogged = true;
    }
  }

  /**
   * Applies a logged commit: each series it touches waits until the commit logged before it for
   * that series has applied (so memory gets samples in WAL order), takes its ring entry and
   * samples under its monitor; commits touching other series run in parallel.
   */
  private void apply(Appender app, long seq, Appender.Pending[] ps, byte[] route, long dropped,
      List<MemSeries> touched, long[] prev) throws IOException {
    long low = isolation.lowWatermark();
    long appended = 0;
    long histograms = 0;
    long ooo = 0;
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    long oooMint = Long.MAX_VALUE;
    long oooMaxt = Long.MIN_VALUE;
    MemSeries.ChunkOpts co = head.chunkOpts;
    java.util.IdentityHashMap<MemSeries, Boolean> ready = new java.util.IdentityHashMap<>(touched.size() * 2);
    java.util.IdentityHashMap<MemSeries, Long> prevOf = new java.util.IdentityHashMap<>(touched.size() * 2);
    for (int i = 0; i < prev.length; i++) {
      prevOf.put(touched.get(i), prev[i]);
    }
    try {
      for (int i = 0; i < ps.length; i++) {
        if (route[i] == 0) {
          continue;
        }
        Appender.Pending p = ps[i];
        MemSeries s = p.series();
        synchronized (s) {
          if (ready.put(s, Boolean.TRUE) == null) {
            long before = prevOf.get(s);
            while (s.appliedSeq < before) {
              try {
                s.wait();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while applying a commit");
              }
            }
            s.beginCommit(seq, low);
          }
          if (route[i] == 2) {
            if (s.insertOoo(p.t(), p.v(), p.h(), p.fh(), OooChunk.DEFAULT_CAP_MAX)) {
              ooo++;
              oooMint = Math.min(oooMint, p.t());
              oooMaxt = Math.max(oooMaxt, p.t());
            } else {
              dropped++;
            }
            continue;
          }
          int r = p.h() != null ? s.appendHistogram(p.t(), p.h(), co)
              : p.fh() != null ? s.appendFloatHistogram(p.t(), p.fh(), co)
              : s.append(p.t(), p.v(), co);
          if ((r & MemSeries.APPENDED) != 0) {
            appended++;
            if (p.h() != null || p.fh() != null) {
              histograms++;
            }
            mint = Math.min(mint, p.t());
            maxt = Math.max(maxt, p.t());
          } else {
            dropped++;
          }
        }
      }
      for (MemSeries s : touched) {
        synchronized (s) {
          if (s.headChunks.size() > 1 && s.mmapChunks() > 0) {
            synchronized (db.chunkWriter) {
              db.persistMmapped(s);
            }
          }
          s.committedMaxTime = s.maxTime();
        }
      }
      if (maxt != Long.MIN_VALUE) {
        head.updateMinMaxTime(mint, maxt);
      }
      if (oooMaxt != Long.MIN_VALUE) {
        head.updateMinMaxOooTime(oooMint, oooMaxt);
      }
      if (exemplars != null) {
        for (Appender.PendingExemplar e : app.exemplars) {
          exemplars.add(e.series(), e.exemplar());
        }
      }
    } finally {
      // Even after a failure: later commits of these series must not wait forever.
      for (MemSeries s : touched) {
        synchronized (s) {
          if (s.appliedSeq < seq) {
            s.appliedSeq = seq;
          }
          s.notifyAll();
        }
      }
    }
    db.counters.committed(appended - histograms, histograms, ooo, exemplars == null ? 0 : app.exemplars.size(), dropped);
  }

  /** Series the appender created are written to the WAL even on rollback, as Prometheus does. */
  void rollback(Appender app) throws IOException {
    db.commitLock.lock();
    try {
      if (db.isClosed()) {
        return;
      }
      List<Refs.RefSeries> series = new ArrayList<>();
      for (MemSeries s : app.created) {
        if (!s.walLogged) {
          series.add(new Refs.RefSeries(s.ref, s.labels));
        }
      }
      if (!series.isEmpty()) {
        db.wal.log(RecordCodec.encode(new WalRecord.Series(series)));
        for (MemSeries s : app.created) {
          s.walLogged = true;
        }
      }
    } finally {
      db.commitLock.unlock();
    }
  }
}
