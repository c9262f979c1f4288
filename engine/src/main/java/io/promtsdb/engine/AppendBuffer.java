package io.promtsdb.engine;

import io.promtsdb.core.DataWriter;
import io.promtsdb.wal.SampleBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pending samples of one {@link Appender}, in columns, with the scratch arrays and the WAL
 * encoding buffer of its commit (Go's {@code headAppender} slices, which Go takes from the
 * head's pools). Buffers are pooled by the database ({@link Pool}) and reused from transaction
 * to transaction, so that appending and committing allocate nothing per sample.
 *
 * <p>Sample i is {@code series[i]} (reference {@code refs[i]}) at {@code ts[i]} with float value {@code vs[i]}, or the
 * histogram {@code hists[i]} (a {@code Histogram} or {@code FloatHistogram}) when that is not
 * null; {@code hists} stays null while the transaction holds floats only. Used by one thread
 * at a time: the appender's, then its committer's.
 */
final class AppendBuffer {
  MemSeries[] series;
  /** {@code series[i].ref} as appended: the WAL encoding reads it without touching the series. */
  long[] refs;
  long[] ts;
  double[] vs;
  Object[] hists;
  int size;

  // Commit scratch, indexed like the samples (see HeadCommitter for the meaning).
  byte[] flags;
  long[] prev;
  int[] touched;
  int touchedCount;

  /** The records encoded before the commit lock: record k is {@code wal[recordEnds[k-1], recordEnds[k])}. */
  final DataWriter wal = new DataWriter(4096);
  int[] recordEnds = new int[4];
  int records;
  /** Series whose series record {@link #wal} holds. */
  final List<MemSeries> seriesInRecords = new ArrayList<>();
  /** Series whose full head chunks the commit m-mapped and is to write to the head chunk files. */
  final List<MemSeries> toPersist = new ArrayList<>();
  /** The float samples as the WAL record encoder takes them. */
  final SampleBatch floats = new SampleBatch(64);

  AppendBuffer() {
    allocate(64);
  }

  private void allocate(int cap) {
    series = series == null ? new MemSeries[cap] : Arrays.copyOf(series, cap);
    refs = refs == null ? new long[cap] : Arrays.copyOf(refs, cap);
    ts = ts == null ? new long[cap] : Arrays.copyOf(ts, cap);
    vs = vs == null ? new double[cap] : Arrays.copyOf(vs, cap);
    if (hists != null) {
      hists = Arrays.copyOf(hists, cap);
    }
    flags = new byte[cap];
    prev = new long[cap];
    touched = new int[cap];
  }

  int capacity() {
    return ts.length;
  }

  void add(MemSeries s, long t, double v, Object h) {
    int n = size;
    if (n == ts.length) {
      allocate(n * 2);
    }
    series[n] = s;
    refs[n] = s.ref;
    ts[n] = t;
    vs[n] = v;
    if (h != null || hists != null) {
      setHistogram(n, h);
    }
    size = n + 1;
  }

  /** Sets sample {@code i}'s histogram (null: a float sample). */
  void setHistogram(int i, Object h) {
    if (hists == null) {
      if (h == null) {
        return;
      }
      hists = new Object[ts.length];
    }
    hists[i] = h;
  }

  Object histogram(int i) {
    return hists == null ? null : hists[i];
  }

  void endRecord() {
    if (records == recordEnds.length) {
      recordEnds = Arrays.copyOf(recordEnds, records * 2);
    }
    recordEnds[records++] = wal.size();
  }

  /** Forgets the transaction; keeps the memory but lets go of the series and histograms. */
  void clear() {
    Arrays.fill(series, 0, size, null);
    if (hists != null) {
      Arrays.fill(hists, 0, size, null);
    }
    size = 0;
    touchedCount = 0;
    wal.reset();
    records = 0;
    seriesInRecords.clear();
    toPersist.clear();
    floats.clear();
  }

  /**
   * A bounded lock-free pool: a thread looks at the slots from one chosen by its id, so that
   * appenders on different threads rarely touch the same slot. Buffers grown past {@link
   * #MAX_POOLED_SAMPLES} are left to the collector.
   */
  static final class Pool {
    static final int MAX_POOLED_SAMPLES = 1 << 16;
    private final java.util.concurrent.atomic.AtomicReferenceArray<AppendBuffer> slots;
    private final int mask;

    /** {@code size}: a power of two. */
    Pool(int size) {
      if (Integer.bitCount(size) != 1) {
        throw new IllegalArgumentException("pool size must be a power of two: " + size);
      }
      slots = new java.util.concurrent.atomic.AtomicReferenceArray<>(size);
      mask = size - 1;
    }

    AppendBuffer take() {
      int h = (int) Thread.currentThread().getId();
      for (int k = 0; k <= mask; k++) {
        int i = (h + k) & mask;
        AppendBuffer b = slots.get(i);
        if (b != null && slots.compareAndSet(i, b, null)) {
          return b;
        }
      }
      return new AppendBuffer();
    }

    void give(AppendBuffer b) {
      b.clear();
      if (b.capacity() > MAX_POOLED_SAMPLES || b.wal.array().length > MAX_POOLED_SAMPLES * 32) {
        return;
      }
      int h = (int) Thread.currentThread().getId();
      for (int k = 0; k <= mask; k++) {
        int i = (h + k) & mask;
        if (slots.get(i) == null && slots.compareAndSet(i, null, b)) {
          return;
        }
      }
    }
  }
}
