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

  // Per-sample commit flags in AppendBuffer.flags: the route (0 dropped, 1 in order, 2 out of
  // order), and whether the sample is its series' first or last routed one in this commit.
  private static final int ROUTE_MASK = 3;
  private static final int IN_ORDER = 1;
  private static final int OUT_OF_ORDER = 2;
  private static final int FIRST = 4;
  private static final int LAST = 8;

  /**
   * Commits {@code app}, as Go's {@code headAppender.Commit} does but with the WAL holding only
   * what goes in: the records are encoded before the commit lock into the appender's buffer,
   * assuming every sample goes in in order (true unless a concurrent commit overtook one);
   * under the lock the samples are routed (in order, out of order, dropped) and the records
   * logged, or encoded again from the routes when the assumption failed; after the lock the
   * samples are applied, series by series, and the commit published to new queriers.
   */
  void commit(Appender app) throws IOException {
    AppendBuffer b = app.buffer;
    boolean speculated = b != null && b.hists == null && app.exemplars.isEmpty() && app.metadata.isEmpty();
    if (speculated) {
      encodeSpeculatively(app, b);
    }
    long seq;
    long dropped;
    long low;
    db.commitLock.lock();
    try {
      db.checkOpen();
      seq = isolation.nextSeq(); // taken below only if the WAL write succeeds
      try {
        dropped = route(app, b, seq, speculated);
      } catch (IOException | RuntimeException | Error e) {
        forgetScratch(app, b);
        throw e;
      }
      if (b != null) {
        // One pass over the series of the commit, once its records are logged.
        byte[] flags = b.flags;
        for (int k = 0; k < b.touchedCount; k++) {
          MemSeries s = b.series[b.touched[k]];
          flags[s.scratchLast] |= LAST;
          s.lastLoggedSeq = seq;
          s.loggedMaxT = Math.max(s.loggedMaxT, s.scratchMaxT);
        }
      }
      low = isolation.publish(seq);
    } finally {
      db.commitLock.unlock();
    }
    try {
      apply(app, b, seq, low, dropped);
    } finally {
      isolation.finish(seq);
    }
    db.afterCommit();
  }

  /**
   * The series records of the series {@code app} created and the float samples record, as they
   * are when every sample goes in in order: encoded outside the commit lock.
   */
  private void encodeSpeculatively(Appender app, AppendBuffer b) {
    List<Refs.RefSeries> series = null;
    for (MemSeries s : app.created) {
      if (!s.walLogged) {
        if (series == null) {
          series = new ArrayList<>();
        }
        series.add(new Refs.RefSeries(s.ref, s.labels));
        b.seriesInRecords.add(s);
      }
    }
    if (series != null) {
      RecordCodec.encode(new WalRecord.Series(series), b.wal);
      b.endRecord();
    }
    if (b.size > 0) {
      long[] refs = b.refs;
      long[] ts = b.ts;
      double[] vs = b.vs;
      for (int i = 0; i < b.size; i++) {
        b.floats.add(refs[i], 0, ts[i], vs[i]);
      }
      encoder.samples(b.floats, b.wal);
      b.endRecord();
    }
  }

  /** Makes {@code s}'s scratch state that of commit {@code seq} (Go keeps it per commit too). */
  private static void touch(MemSeries s, long seq) {
    if (s.scratchSeq != seq) {
      s.scratchSeq = seq;
      // Logged but maybe not yet applied samples count: per series, samples are logged in
      // increasing time, in the order they will be applied. committedMaxTime is the max time
      // as of the last apply (or replay or truncation); later in-order samples are logged ones.
      s.scratchMaxT = Math.max(s.committedMaxTime, s.loggedMaxT);
      s.scratchFlags = 0;
    }
  }

  /**
   * Under the commit lock: decides each sample's route, marks the first and last routed sample
   * of each series, and writes the WAL (and WBL) records. Returns the number of samples dropped.
   */
  private long route(Appender app, AppendBuffer b, long seq, boolean speculated) throws IOException {
    boolean fast = speculated;
    if (speculated) {
      for (MemSeries s : b.seriesInRecords) {
        touch(s, seq);
        s.scratchFlags |= MemSeries.SCRATCH_SPECULATED;
        if (s.walLogged) {
          fast = false; // a concurrent commit logged it
        }
      }
    }
    long dropped = 0;
    int n = b == null ? 0 : b.size;
    if (n > 0) {
      long window = db.oooWindowMillis;
      long headMaxt = head.maxTime;
      long minValid = app.minValidTime;
      MemSeries[] ss = b.series;
      long[] ts = b.ts;
      byte[] flags = b.flags;
      int touched = 0;
      for (int i = 0; i < n; i++) {
        MemSeries s = ss[i];
        // Series are removed only under the commit lock, which is held here.
        if (head.getByRef(s.ref) != s) {
          s = resolve(s, app);
          ss[i] = s;
          fast = false;
        }
        if (b.hists == null || b.hists[i] == null) {
          Object h = staleToHistogram(s, b.vs[i]);
          if (h != null) {
            b.setHistogram(i, h);
            fast = false;
          }
        }
        touch(s, seq);
        long t = ts[i];
        int route;
        if (t > s.scratchMaxT && t >= minValid) {
          s.scratchMaxT = t;
          route = IN_ORDER;
        } else if (t < s.scratchMaxT && window > 0 && t >= headMaxt - window) {
          route = OUT_OF_ORDER;
          fast = false;
        } else {
          dropped++;
          flags[i] = 0;
          fast = false;
          continue;
        }
        if (!s.walLogged && (s.scratchFlags & MemSeries.SCRATCH_SPECULATED) == 0) {
          fast = false; // e.g. created by a concurrent appender not yet committed
        }
        if ((s.scratchFlags & MemSeries.SCRATCH_BEGUN) == 0) {
          s.scratchFlags |= MemSeries.SCRATCH_BEGUN;
          route |= FIRST;
          b.prev[i] = s.lastLoggedSeq;
          b.touched[touched++] = i;
        }
        s.scratchLast = i;
        flags[i] = (byte) route;
      }
      b.touchedCount = touched;
    }
    if (fast) {
      if (b.records > 0) {
        db.wal.log(b.wal.array(), b.recordEnds, b.records);
      }
      for (MemSeries s : b.seriesInRecords) {
        s.walLogged = true;
      }
    } else {
      writeLogs(app, b, seq);
    }
    return dropped;
  }

  /** After a failed route or WAL write: no series keeps scratch state of a commit that did not happen. */
  private static void forgetScratch(Appender app, AppendBuffer b) {
    for (MemSeries s : app.created) {
      s.scratchSeq = -1;
    }
    if (b != null) {
      for (int i = 0; i < b.size; i++) {
        b.series[i].scratchSeq = -1;
      }
      b.touchedCount = 0;
    }
  }

  /**
   * The series of a pending sample as the head has it now: head truncation may have removed
   * the series the appender saw (it had no samples then); it is created again, with a new
   * reference, as Prometheus would on the next append.
   */
  private MemSeries resolve(MemSeries s, Appender app) {
    db.rw.writeLock().lock();
    try {
      MemSeries n = head.byLabels.get(s.labels);
      if (n == null) {
        n = db.newSeries(s.labels, app);
      }
      return n;
    } finally {
      db.rw.writeLock().unlock();
    }
  }

  /**
   * Prometheus turns a stale marker for a series whose newest sample is a histogram into a
   * histogram stale marker of that kind (head_append.go {@code Append}): that marker, or null
   * when the sample stays a float.
   */
  private static Object staleToHistogram(MemSeries s, double v) {
    if (!Values.isStaleNaN(v)) {
      return null;
    }
    MemChunk c;
    synchronized (s) {
      c = s.headChunk();
    }
    if (c == null) {
      return null;
    }
    if (c.encoding == ChunkEncoding.HISTOGRAM) {
      return Histogram.builder().sum(v).build();
    }
    if (c.encoding == ChunkEncoding.FLOAT_HISTOGRAM) {
      return FloatHistogram.builder().sum(v).build();
    }
    return null;
  }

  /** Adds a series record for {@code s} unless it is in the WAL or already in this commit's records. */
  private static void needSeriesRecord(MemSeries s, long seq, List<Refs.RefSeries> out) {
    if (s.walLogged) {
      return;
    }
    touch(s, seq);
    if ((s.scratchFlags & MemSeries.SCRATCH_LOGGED) == 0) {
      s.scratchFlags |= MemSeries.SCRATCH_LOGGED;
      out.add(new Refs.RefSeries(s.ref, s.labels));
    }
  }

  /**
   * The general case, under the commit lock: records from the routes. Series records first,
   * then samples, histograms, float histograms, exemplars, metadata (Go's {@code
   * headAppender.log}); out-of-order samples go to the WBL once inserted ({@link
   * #applyOutOfOrder}).
   */
  private void writeLogs(Appender app, AppendBuffer b, long seq) throws IOException {
    List<Refs.RefSeries> series = new ArrayList<>();
    for (MemSeries s : app.created) {
      needSeriesRecord(s, seq, series);
    }
    int n = b == null ? 0 : b.size;
    SampleRecords samples = new SampleRecords(n);
    for (int i = 0; i < n; i++) {
      int route = b.flags[i] & ROUTE_MASK;
      if (route == 0) {
        continue;
      }
      MemSeries s = b.series[i];
      needSeriesRecord(s, seq, series); // e.g. created by a concurrent appender not yet committed
      if (route == OUT_OF_ORDER) {
        continue; // to the WBL once inserted (applyOutOfOrder)
      }
      samples.add(s.ref, b.ts[i], b.vs[i], b.histogram(i));
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
    samples.encodeTo(recs);
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
    for (Refs.RefSeries r : series) {
      head.getByRef(r.ref()).walLogged = true;
    }
  }

  /**
   * Applies a logged commit, sample by sample under each series' monitor: at a series' first
   * sample it waits until the commit logged before it for that series has applied (so memory
   * gets samples in WAL order) and takes its isolation ring entry; at its last it m-maps full
   * chunks and lets the next commit of the series in. Commits touching other series run in
   * parallel.
   */
  private void apply(Appender app, AppendBuffer b, long seq, long low, long dropped) throws IOException {
    long appended = 0;
    long histograms = 0;
    long ooo = 0;
    int oooRouted = 0;
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    int n = b == null ? 0 : b.size;
    boolean done = false;
    try {
      if (n > 0) {
        MemSeries.ChunkOpts co = head.chunkOpts;
        MemSeries[] ss = b.series;
        long[] ts = b.ts;
        double[] vs = b.vs;
        byte[] flags = b.flags;
        for (int i = 0; i < n; i++) {
          int f = flags[i];
          int route = f & ROUTE_MASK;
          if (route == 0) {
            continue;
          }
          MemSeries s = ss[i];
          long t = ts[i];
          synchronized (s) {
            if ((f & FIRST) != 0) {
              long before = b.prev[i];
              while (s.appliedSeq < before) {
                s.applyWaiters++;
                try {
                  s.wait();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  throw new java.io.InterruptedIOException("interrupted while applying a commit");
                } finally {
                  s.applyWaiters--;
                }
              }
              s.beginCommit(seq, low);
            }
            Object h = b.hists == null ? null : b.hists[i];
            if (route == OUT_OF_ORDER) {
              oooRouted++; // inserted below, after the in-order samples
            } else {
              int r = h == null ? s.append(t, vs[i], co)
                  : h instanceof Histogram ih ? s.appendHistogram(t, ih, co)
                  : s.appendFloatHistogram(t, (FloatHistogram) h, co);
              if ((r & MemSeries.APPENDED) != 0) {
                appended++;
                if (h != null) {
                  histograms++;
                }
                mint = Math.min(mint, t);
                maxt = Math.max(maxt, t);
              } else {
                dropped++;
              }
            }
            if ((f & LAST) != 0) {
              finishSeries(s, seq, b);
            }
          }
        }
      }
      if (b != null && !b.toPersist.isEmpty()) {
        // One turn at the head chunk writer for the whole commit. Lock order: writer, then series.
        synchronized (db.chunkWriter) {
          for (MemSeries s : b.toPersist) {
            synchronized (s) {
              db.persistMmapped(s);
            }
          }
        }
      }
      if (maxt != Long.MIN_VALUE) {
        head.updateMinMaxTime(mint, maxt);
      }
      if (oooRouted > 0) {
        ooo = applyOutOfOrder(b);
        dropped += oooRouted - ooo;
      }
      if (exemplars != null) {
        for (Appender.PendingExemplar e : app.exemplars) {
          exemplars.add(e.series(), e.exemplar());
        }
      }
      done = true;
    } finally {
      if (!done && b != null) {
        // Even after a failure: later commits of these series must not wait forever.
        for (int k = 0; k < b.touchedCount; k++) {
          MemSeries s = b.series[b.touched[k]];
          synchronized (s) {
            if (s.appliedSeq < seq) {
              s.appliedSeq = seq;
            }
            s.notifyAll();
          }
        }
      }
    }
    db.counters.committed(appended - histograms, histograms, ooo, exemplars == null ? 0 : app.exemplars.size(), dropped);
  }

  /**
   * The commit's out-of-order samples, as Go's {@code headAppender.Commit} inserts and logs them:
   * floats, then histograms, then float histograms, each in append order, inserted into their
   * series' out-of-order head chunk; a full head chunk is m-mapped (written to the head chunk
   * files with the out-of-order flag) when the next sample needs a new one. Then the WBL records:
   * whenever a sample starts a new out-of-order head chunk, the records collected so far are
   * closed (the pending {@code MmapMarkers}, then the samples inserted since) and a marker for
   * the new chunk's series is pending: the refs of the chunks just m-mapped, or 0 when there was
   * no head chunk. So in the WBL a series' marker precedes the samples of its new head chunk,
   * and replay drops the head chunk at the marker; a duplicate timestamp is not logged.
   *
   * <p>All of it under the WBL lock (then the head chunk writer, then each series), so that WBL
   * order is insertion order across concurrent commits; Go logs after inserting too, since the
   * markers name chunks written by the insert. Returns the number of samples inserted.
   */
  private long applyOutOfOrder(AppendBuffer b) throws IOException {
    OooRecords recs = new OooRecords();
    long inserted = 0;
    long oooMint = Long.MAX_VALUE;
    long oooMaxt = Long.MIN_VALUE;
    synchronized (db.wblLock) {
      synchronized (db.chunkWriter) {
        MemSeries.OooChunkSink sink = (ref, mint, maxt, chunk) -> db.chunkWriter.writeChunk(ref, mint, maxt, chunk, true);
        for (int kind = 0; kind < 3; kind++) {
          for (int i = 0; i < b.size; i++) {
            if ((b.flags[i] & ROUTE_MASK) != OUT_OF_ORDER) {
              continue;
            }
            Object h = b.histogram(i);
            if (kind != (h == null ? 0 : h instanceof Histogram ? 1 : 2)) {
              continue;
            }
            MemSeries s = b.series[i];
            long t = b.ts[i];
            int r;
            recs.mmapCount = 0;
            synchronized (s) {
              r = s.insertOoo(t, b.vs[i], h instanceof Histogram ih ? ih : null,
                  h instanceof FloatHistogram fh ? fh : null, OooChunk.DEFAULT_CAP_MAX, sink, recs::mmapped);
            }
            if ((r & MemSeries.OOO_CHUNK_CREATED) != 0) {
              recs.chunkCreated(s.ref);
            }
            if ((r & MemSeries.OOO_INSERTED) != 0) {
              recs.add(s.ref, t, b.vs[i], h);
              inserted++;
              oooMint = Math.min(oooMint, t);
              oooMaxt = Math.max(oooMaxt, t);
            }
          }
        }
      }
      recs.close();
      if (db.wbl != null && !recs.out.isEmpty()) {
        db.wbl.log(recs.out);
      }
    }
    if (oooMaxt != Long.MIN_VALUE) {
      head.updateMinMaxOooTime(oooMint, oooMaxt);
    }
    return inserted;
  }

  /** The WBL records of one commit's out-of-order samples (Go's {@code collectOOORecords}). */
  private final class OooRecords {
    final List<byte[]> out = new ArrayList<>();
    private long[] mmapRefs = new long[2];
    private int mmapCount;
    private List<Refs.RefMmapMarker> markers;
    private final SampleRecords samples = new SampleRecords(0);

    void mmapped(long chunkRef) {
      if (mmapCount == mmapRefs.length) {
        mmapRefs = java.util.Arrays.copyOf(mmapRefs, 2 * mmapCount);
      }
      mmapRefs[mmapCount++] = chunkRef;
    }

    /** Series {@code ref} started a new head chunk after m-mapping the chunks {@link #mmapped} names. */
    void chunkCreated(long ref) {
      close();
      markers = new ArrayList<>();
      if (mmapCount == 0) {
        markers.add(new Refs.RefMmapMarker(ref, 0));
      }
      for (int k = 0; k < mmapCount; k++) {
        markers.add(new Refs.RefMmapMarker(ref, mmapRefs[k]));
      }
    }

    void add(long ref, long t, double v, Object h) {
      samples.add(ref, t, v, h);
    }

    /** The pending markers, then the samples collected since the last close. */
    void close() {
      if (markers != null) {
        out.add(RecordCodec.encode(new WalRecord.MmapMarkers(markers)));
        markers = null;
      }
      samples.encodeTo(out);
    }
  }

  /**
   * Samples of one kind of record each, in arrival order: floats, histograms and float
   * histograms, encoded in that order (Go's {@code headAppender.log} and {@code
   * collectOOORecords} both write them so).
   */
  private final class SampleRecords {
    private final List<Refs.RefSample> floats;
    private final List<Refs.RefHistogramSample> hs = new ArrayList<>();
    private final List<Refs.RefFloatHistogramSample> fhs = new ArrayList<>();

    SampleRecords(int expectedFloats) {
      floats = new ArrayList<>(expectedFloats);
    }

    void add(long ref, long t, double v, Object h) {
      if (h instanceof Histogram ih) {
        hs.add(new Refs.RefHistogramSample(ref, t, ih));
      } else if (h instanceof FloatHistogram fh) {
        fhs.add(new Refs.RefFloatHistogramSample(ref, t, fh));
      } else {
        floats.add(new Refs.RefSample(ref, t, v));
      }
    }

    /** Appends the records of the samples collected so far to {@code out} and forgets them. */
    void encodeTo(List<byte[]> out) {
      if (!floats.isEmpty()) {
        out.add(encoder.samples(floats));
        floats.clear();
      }
      if (!hs.isEmpty()) {
        out.addAll(encoder.histogramSamples(hs));
        hs.clear();
      }
      if (!fhs.isEmpty()) {
        out.addAll(encoder.floatHistogramSamples(fhs));
        fhs.clear();
      }
    }
  }

  /**
   * A series' last sample of the commit is in (under its monitor): full chunks are m-mapped
   * (written to the head chunk files after the loop, {@code b.toPersist}) and the next commit
   * of the series may apply.
   */
  private static void finishSeries(MemSeries s, long seq, AppendBuffer b) {
    if (s.headChunks.size() > 1 && s.mmapChunks() > 0) {
      b.toPersist.add(s);
    }
    s.committedMaxTime = s.maxTime();
    if (s.appliedSeq < seq) {
      s.appliedSeq = seq;
    }
    if (s.applyWaiters > 0) {
      s.notifyAll(); // not an intrinsic: a call into the VM, worth skipping
    }
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
