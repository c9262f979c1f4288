package io.promtsdb.engine;

import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;

/**
 * Applies WAL samples and series resets to head series, as Prometheus' WAL replay does with
 * its {@code walSubsetProcessor}s (tsdb/head_wal.go): the caller decodes, resolves series and
 * drops what is before the minimum valid time; the work on a series goes to the shard {@code
 * ref % shards}, so each series sees its samples and resets in WAL order. With one shard
 * everything runs on the calling thread; with more, on one thread per shard, and {@link
 * #sync()} waits for them. Time ranges and counts are kept per shard and added up by {@code
 * sync()}.
 */
final class WalApplier implements AutoCloseable {
  private static final int BATCH = 1024;
  private static final byte FLOAT = 0;
  private static final byte HISTOGRAM = 1;
  private static final byte FLOAT_HISTOGRAM = 2;
  private static final byte RESET = 3;

  private final Head h;
  private final Map<Long, List<MmappedChunk>> mmapped;
  private final Map<Long, List<MmappedChunk>> oooMmapped;
  private final Shard[] shards;
  private final Worker[] workers;

  // Sums over the shards, as of the last sync().
  long appended;
  long outOfOrder;
  long mmappedChunkDelta;
  final List<String> warnings = new ArrayList<>();

  /**
   * @param mmapped in-order m-mapped chunks of the head chunk files by WAL series reference,
   *     not changed while this applier runs
   * @param oooMmapped the same for out-of-order chunks
   * @param threads shards on their own threads; below 2, everything on the calling thread
   */
  WalApplier(Head h, Map<Long, List<MmappedChunk>> mmapped, Map<Long, List<MmappedChunk>> oooMmapped, int threads) {
    this.h = h;
    this.mmapped = mmapped;
    this.oooMmapped = oooMmapped;
    int n = Math.max(1, threads);
    shards = new Shard[n];
    for (int i = 0; i < n; i++) {
      shards[i] = new Shard();
    }
    if (n == 1) {
      workers = null;
    } else {
      workers = new Worker[n];
      for (int i = 0; i < n; i++) {
        workers[i] = new Worker(shards[i], i);
        workers[i].thread.start();
      }
    }
  }

  /** A float sample for {@code ms} (appended if after its last one and its m-mapped chunks). */
  void floatSample(MemSeries ms, long t, double v) throws IOException {
    if (workers == null) {
      shards[0].appendFloat(ms, t, v);
    } else {
      worker(ms).add(FLOAT, ms, t, Double.doubleToRawLongBits(v), null, 0);
    }
  }

  /**
   * True if a sample at {@code t} for the series with head reference {@code ref} is dropped
   * for being at or before the series' replay floor (counted as out of order), decided without
   * touching the series; false if {@link #floatSample} must decide. Only with one shard, whose
   * floors the calling thread owns; a floor exists only for series that exist.
   */
  boolean droppedBelowFloor(long ref, long t) {
    if (workers != null) {
      return false;
    }
    Shard s = shards[0];
    if (s.belowFloor(ref, t)) {
      s.outOfOrder++;
      return true;
    }
    return false;
  }

  /** An integer ({@code hi}) or float ({@code fh}) histogram sample for {@code ms}. */
  void histogramSample(MemSeries ms, long t, Histogram hi, FloatHistogram fh) throws IOException {
    if (workers == null) {
      shards[0].appendHistogram(ms, t, hi, fh);
    } else {
      worker(ms).add(hi != null ? HISTOGRAM : FLOAT_HISTOGRAM, ms, t, 0, hi != null ? hi : fh, 0);
    }
  }

  /** Go's {@code resetSeriesWithMMappedChunks}, for a series record naming {@code ms}. */
  void reset(MemSeries ms, long walRef) throws IOException {
    if (workers == null) {
      shards[0].reset(ms, walRef);
    } else {
      worker(ms).add(RESET, ms, 0, 0, null, walRef);
    }
  }

  private Worker worker(MemSeries ms) {
    return workers[(int) Long.remainderUnsigned(ms.ref, workers.length)];
  }

  /**
   * Waits until every shard has applied everything given so far, then adds their time ranges
   * to the head and their counts to this applier's.
   */
  void sync() throws IOException {
    if (workers != null) {
      CountDownLatch done = new CountDownLatch(workers.length);
      for (Worker w : workers) {
        w.flush();
        w.put(new Sync(done));
      }
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while replaying the WAL");
      }
      for (Worker w : workers) {
        Throwable t = w.failure;
        if (t != null) {
          if (t instanceof RuntimeException re) {
            throw re;
          }
          if (t instanceof Error er) {
            throw er;
          }
          throw new IOException(t);
        }
      }
    }
    for (Shard s : shards) {
      s.drainInto(this);
    }
  }

  @Override
  public void close() {
    if (workers != null) {
      for (Worker w : workers) {
        w.thread.interrupt();
      }
    }
  }

  /** Series references below this have a replay floor (a dense array, like the series table's). */
  private static final int FLOOR_LIMIT = 1 << 24;

  /** What one shard has applied: counts and time ranges until the next sync. */
  private final class Shard {
    /**
     * By series reference: a time at or before which every sample of the series is dropped
     * (its m-mapped max time after a reset, then the time of the sample last appended), or
     * {@link Long#MIN_VALUE} if not known. Most samples of a replay are dropped (the head chunk
     * files hold them); this decides that from one dense array instead of the series' chunks,
     * exactly as {@link MemSeries#append} would (it drops {@code t <= } its newest sample).
     */
    long[] floor = new long[0];
    long minTime = Long.MAX_VALUE;
    long maxTime = Long.MIN_VALUE;
    long minOoo = Long.MAX_VALUE;
    long maxOoo = Long.MIN_VALUE;
    long appended;
    long outOfOrder;
    long mmappedDelta;
    final List<String> warnings = new ArrayList<>();

    private boolean belowFloor(long ref, long t) {
      return ref >= 0 && ref < floor.length && t <= floor[(int) ref];
    }

    private void setFloor(long ref, long t) {
      if (ref < 0 || ref >= FLOOR_LIMIT) {
        return;
      }
      if (ref >= floor.length) {
        int old = floor.length;
        floor = java.util.Arrays.copyOf(floor, (int) Math.min(FLOOR_LIMIT, Math.max(ref + 1, Math.max(1024L, old * 2L))));
        java.util.Arrays.fill(floor, old, floor.length, Long.MIN_VALUE);
      }
      floor[(int) ref] = t;
    }

    void appendFloat(MemSeries ms, long t, double v) {
      if (belowFloor(ms.ref, t) || t <= ms.mmMaxTime) {
        outOfOrder++;
        return;
      }
      int r = ms.append(t, v, h.chunkOpts);
      if ((r & MemSeries.APPENDED) != 0) {
        appended++;
        setFloor(ms.ref, t);
      } else {
        outOfOrder++;
      }
      if ((r & MemSeries.CHUNK_CREATED) != 0) {
        ms.mmapChunks();
      }
      time(t, t);
    }

    void appendHistogram(MemSeries ms, long t, Histogram hi, FloatHistogram fh) {
      if (belowFloor(ms.ref, t) || t <= ms.mmMaxTime) {
        outOfOrder++;
        return;
      }
      int r;
      try {
        r = hi != null ? ms.appendHistogram(t, hi, h.chunkOpts) : ms.appendFloatHistogram(t, fh, h.chunkOpts);
      } catch (IllegalArgumentException | IllegalStateException e) {
        warnings.add("series " + ms.labels + ": histogram at " + t + " skipped: " + e.getMessage());
        return;
      }
      if ((r & MemSeries.APPENDED) != 0) {
        appended++;
        setFloor(ms.ref, t);
      } else {
        outOfOrder++;
      }
      // Prometheus does not m-map histogram chunks during replay (only float chunks).
      time(t, t);
    }

    void reset(MemSeries s, long walRef) {
      List<MmappedChunk> mmc = mmapped.getOrDefault(walRef, List.of());
      List<MmappedChunk> ooo = oooMmapped.getOrDefault(walRef, List.of());
      mmappedDelta += mmc.size() + ooo.size() - s.mmappedChunks.size();
      s.mmappedChunks = new ArrayList<>(mmc);
      s.oooPresent = !ooo.isEmpty();
      s.oooMmappedChunks = new ArrayList<>(ooo);
      s.oooHeadChunk = null;
      s.firstOOOChunkID = 0;
      if (mmc.isEmpty()) {
        s.mmMaxTime = Long.MIN_VALUE;
      } else {
        s.mmMaxTime = mmc.get(mmc.size() - 1).maxTime();
        time(mmc.get(0).minTime(), s.mmMaxTime);
      }
      if (!ooo.isEmpty()) {
        for (MmappedChunk c : ooo) {
          minOoo = Math.min(minOoo, c.minTime());
          maxOoo = Math.max(maxOoo, c.maxTime());
        }
      }
      // Samples replayed so far were compacted already: reset the head chunks.
      s.nextAt = 0;
      s.headChunks.clear();
      setFloor(s.ref, s.mmMaxTime);
    }

    private void time(long mint, long maxt) {
      if (mint < minTime) {
        minTime = mint;
      }
      if (maxt > maxTime) {
        maxTime = maxt;
      }
    }

    void drainInto(WalApplier a) {
      if (minTime <= maxTime) {
        h.updateMinMaxTime(minTime, maxTime);
      }
      if (minOoo <= maxOoo) {
        h.updateMinMaxOooTime(minOoo, maxOoo);
      }
      a.appended += appended;
      a.outOfOrder += outOfOrder;
      a.mmappedChunkDelta += mmappedDelta;
      a.warnings.addAll(warnings);
      minTime = Long.MAX_VALUE;
      maxTime = Long.MIN_VALUE;
      minOoo = Long.MAX_VALUE;
      maxOoo = Long.MIN_VALUE;
      appended = 0;
      outOfOrder = 0;
      mmappedDelta = 0;
      warnings.clear();
    }
  }

  private record Sync(CountDownLatch done) {}

  /** Work for one shard, handed over in batches. */
  private static final class Batch {
    final byte[] kind = new byte[BATCH];
    final MemSeries[] series = new MemSeries[BATCH];
    final long[] t = new long[BATCH];
    final long[] v = new long[BATCH];
    final Object[] objects = new Object[BATCH];
    int n;
  }

  private final class Worker {
    final Shard shard;
    final Thread thread;
    final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(16);
    final ConcurrentLinkedQueue<Batch> free = new ConcurrentLinkedQueue<>();
    Batch current = new Batch();
    volatile Throwable failure;

    Worker(Shard shard, int i) {
      this.shard = shard;
      this.thread = new Thread(this::run, "promtsdb-wal-apply-" + i);
      thread.setDaemon(true);
    }

    void add(byte kind, MemSeries ms, long t, long v, Object o, long walRef) throws IOException {
      Batch b = current;
      int i = b.n;
      b.kind[i] = kind;
      b.series[i] = ms;
      b.t[i] = kind == RESET ? walRef : t;
      b.v[i] = v;
      b.objects[i] = o;
      b.n = i + 1;
      if (b.n == BATCH) {
        flush();
      }
    }

    void flush() throws IOException {
      if (current.n == 0) {
        return;
      }
      put(current);
      Batch next = free.poll();
      current = next != null ? next : new Batch();
    }

    void put(Object o) throws IOException {
      try {
        queue.put(o);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while replaying the WAL");
      }
    }

    private void run() {
      try {
        while (true) {
          Object o = queue.take();
          if (o instanceof Sync s) {
            s.done().countDown();
            continue;
          }
          Batch b = (Batch) o;
          if (failure == null) {
            try {
              apply(b);
            } catch (Throwable t) {
              failure = t; // reported by sync(); later batches are only drained
            }
          }
          java.util.Arrays.fill(b.series, 0, b.n, null);
          java.util.Arrays.fill(b.objects, 0, b.n, null);
          b.n = 0;
          free.add(b);
        }
      } catch (InterruptedException e) {
        // closed
      }
    }

    private void apply(Batch b) {
      for (int i = 0; i < b.n; i++) {
        MemSeries ms = b.series[i];
        switch (b.kind[i]) {
          case FLOAT -> shard.appendFloat(ms, b.t[i], Double.longBitsToDouble(b.v[i]));
          case HISTOGRAM -> shard.appendHistogram(ms, b.t[i], (Histogram) b.objects[i], null);
          case FLOAT_HISTOGRAM -> shard.appendHistogram(ms, b.t[i], null, (FloatHistogram) b.objects[i]);
          default -> shard.reset(ms, b.t[i]);
        }
      }
    }
  }
}
