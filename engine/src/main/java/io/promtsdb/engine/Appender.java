package io.promtsdb.engine;

import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.InvalidHistogramException;
import io.promtsdb.core.Labels;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One transaction of appends to a {@link Tsdb} (Go's {@code headAppender}). Values are checked
 * when appended (against what is committed) and rejected with an {@link AppendException} of
 * Prometheus' kind; accepted ones become visible, all at once, when {@link #commit()} returns,
 * after they have been written to the WAL. {@link #close()} without a commit rolls back.
 *
 * <pre>{@code
 * try (Appender app = db.appender()) {
 *   long ref = app.append(Labels.of("__name__", "up", "job", "api"), t, 1);
 *   app.append(ref, t + 15_000, 1);
 *   app.commit();
 * }
 * }</pre>
 *
 * <p>As in Prometheus, a value that passed {@code append} may still be dropped at commit if a
 * concurrent commit made it out of order (counted, not an error). An appender is used by one
 * thread at a time; several appenders may commit concurrently (commits are serialized).
 */
public final class Appender implements AutoCloseable {
  private final Tsdb db;
  final long minValidTime;
  /** The pending samples; taken from the database's pool at the first sample, given back when done. */
  AppendBuffer buffer;
  final List<PendingExemplar> exemplars = new ArrayList<>(0);
  final List<PendingMetadata> metadata = new ArrayList<>(0);
  final List<MemSeries> created = new ArrayList<>(0);
  private boolean done;

  record PendingExemplar(MemSeries series, Exemplar exemplar) {}

  record PendingMetadata(MemSeries series, Metadata metadata) {}

  Appender(Tsdb db, long minValidTime) {
    this.db = db;
    this.minValidTime = minValidTime;
  }

  /** Number of pending samples. */
  int size() {
    return buffer == null ? 0 : buffer.size;
  }

  private void add(MemSeries s, long t, double v, Object h) {
    if (buffer == null) {
      buffer = db.appendBuffers.take();
    }
    buffer.add(s, t, v, h);
  }

  /** Appends a float sample to the series with these labels (created if new); returns its reference. */
  public long append(Labels labels, long t, double v) throws AppendException {
    return appendFloat(db.getOrCreate(labels, this), t, v);
  }

  /** Appends a float sample to the series with reference {@code ref}, as returned by an append. */
  public long append(long ref, long t, double v) throws AppendException {
    return appendFloat(db.byRef(ref), t, v);
  }

  private long appendFloat(MemSeries s, long t, double v) throws AppendException {
    ensureOpen();
    db.checkAppendable(s, t, v, null, null, minValidTime);
    add(s, t, v, null);
    return s.ref;
  }

  /** Appends an integer native histogram (validated as Prometheus validates it). */
  public long appendHistogram(Labels labels, long t, Histogram h) throws AppendException {
    return appendHist(labels, 0, t, h, null);
  }

  public long appendHistogram(long ref, long t, Histogram h) throws AppendException {
    return appendHist(null, ref, t, h, null);
  }

  /** Appends a float native histogram (validated as Prometheus validates it). */
  public long appendFloatHistogram(Labels labels, long t, FloatHistogram fh) throws AppendException {
    return appendHist(labels, 0, t, null, fh);
  }

  public long appendFloatHistogram(long ref, long t, FloatHistogram fh) throws AppendException {
    return appendHist(null, ref, t, null, fh);
  }

  private long appendHist(Labels labels, long ref, long t, Histogram h, FloatHistogram fh) throws AppendException {
    ensureOpen();
    if (!db.options().enableNativeHistograms()) {
      throw new AppendException(AppendException.Kind.NATIVE_HISTOGRAMS_DISABLED);
    }
    if (db.options().outOfOrderTimeWindow().isZero() && t < minValidTime) {
      throw new AppendException(AppendException.Kind.OUT_OF_BOUNDS);
    }
    try {
      if (h != null) {
        h.validate();
      } else {
        fh.validate();
      }
    } catch (InvalidHistogramException e) {
      throw new AppendException(AppendException.Kind.INVALID_HISTOGRAM, e.getMessage());
    }
    MemSeries s = labels != null ? db.getOrCreate(labels, this) : db.byRef(ref);
    db.checkAppendable(s, t, Double.NaN, h, fh, minValidTime);
    add(s, t, 0, h != null ? h : fh);
    return s.ref;
  }

  /**
   * Adds an exemplar to series {@code ref} (Go's {@code AppendExemplar}); a duplicate of the
   * series' newest exemplar is ignored, as in Prometheus.
   */
  public long appendExemplar(long ref, Exemplar e) throws AppendException {
    ensureOpen();
    MemSeries s = db.byRef(ref);
    if (db.exemplars() == null) {
      throw new AppendException(AppendException.Kind.EXEMPLARS_DISABLED);
    }
    if (db.exemplars().validate(s.ref, e)) {
      exemplars.add(new PendingExemplar(s, e));
    }
    return s.ref;
  }

  public long appendExemplar(Labels series, Exemplar e) throws AppendException {
    return appendExemplar(db.getOrCreate(series, this).ref, e);
  }

  /** Records metadata for series {@code ref} (Go's {@code UpdateMetadata}); written to the WAL at commit. */
  public long updateMetadata(long ref, Metadata m) throws AppendException {
    ensureOpen();
    MemSeries s = db.byRef(ref);
    metadata.add(new PendingMetadata(s, m));
    return s.ref;
  }

  public long updateMetadata(Labels series, Metadata m) throws AppendException {
    return updateMetadata(db.getOrCreate(series, this).ref, m);
  }

  /**
   * Writes the transaction to the WAL (and the WBL for out-of-order samples), then makes it
   * visible to new queriers. If writing fails nothing becomes visible and the appender is
   * finished; the failure is thrown.
   */
  public void commit() throws IOException {
    ensureOpenIo();
    done = true;
    try {
      db.commit(this);
    } finally {
      releaseBuffer();
    }
  }

  private void releaseBuffer() {
    if (buffer != null) {
      db.appendBuffers.give(buffer);
      buffer = null;
    }
  }

  /** Drops everything appended (Go's {@code Rollback}); series it created stay, as in Prometheus. */
  public void rollback() throws IOException {
    if (done) {
      return;
    }
    done = true;
    try {
      db.rollback(this);
    } finally {
      releaseBuffer();
    }
  }

  /** Rolls back unless committed. */
  @Override
  public void close() throws IOException {
    rollback();
  }

  private void ensureOpen() {
    if (done) {
      throw new IllegalStateException("appender already committed or rolled back");
    }
  }

  private void ensureOpenIo() {
    ensureOpen();
  }
}
