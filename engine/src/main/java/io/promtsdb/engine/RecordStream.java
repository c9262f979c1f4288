package io.promtsdb.engine;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.wal.RecordCodec;
import io.promtsdb.wal.RecordDecoder;
import io.promtsdb.wal.RecordType;
import io.promtsdb.wal.SampleBatch;
import io.promtsdb.wal.SegmentReader;
import io.promtsdb.wal.WalRecord;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The decoded records of a sequence of WAL (or WBL, or checkpoint) segments, in order. With a
 * background thread, reading, decompressing and decoding run beside the caller that applies
 * the records (Prometheus also decodes on one goroutine and applies on others). Unknown record
 * types are skipped. A corrupt or torn record ends the stream: {@link #stop()} then describes
 * it, naming the segment and offset, and {@link #stoppedAt()} says in which source.
 *
 * <p>Float sample records, nearly all of a WAL's bytes, come as a columnar {@link SampleBatch}
 * instead of a {@link WalRecord} (no object per sample, as Go's decoder reuses its slices);
 * the caller hands each batch back with {@link #recycle} once applied.
 */
final class RecordStream implements AutoCloseable {
  /**
   * One segment file to read; records that start before byte {@code skipBefore} are skipped
   * (the part a memory snapshot already covers).
   */
  record Source(Path dir, int index, Path path, long skipBefore) {
    Source(Path dir, int index, Path path) {
      this(dir, index, path, 0);
    }
  }

  private record Stop(String description, int source) {}

  private record Failure(Throwable error) {}

  private record SourceDone(int source) {}

  private static final Object END = new Object();
  private static final int BATCH = 256;
  // A batch is also handed over once its records reach this many bytes: a scrape of many
  // series is one large record, and the caller should not wait for hundreds of them.
  private static final long BATCH_BYTES = 32 * 1024;

  private final FileAccess files;
  private final List<Source> sources;
  private final BlockingQueue<Object> queue;
  private final Thread worker;
  private List<Object> batch = List.of();
  private int batchPos;
  private String stop;
  private int stoppedAt = -1;
  private int sourcesDone;
  private boolean ended;
  private long lastRecordBytes; // of the record read last (decode thread, or caller when synchronous)
  private volatile boolean closed;
  // Sample batches handed back by the caller; the decoding side takes from here first.
  private final ConcurrentLinkedQueue<SampleBatch> freeBatches = new ConcurrentLinkedQueue<>();
  private final RecordDecoder decoder = new RecordDecoder(); // used by the decoding side only

  // Synchronous mode.
  private int current = -1;
  private ByteSource currentSource;
  private SegmentReader reader;

  RecordStream(FileAccess files, List<Source> sources, boolean background) {
    this.files = files;
    this.sources = sources;
    if (background && !sources.isEmpty()) {
      queue = new ArrayBlockingQueue<>(32);
      worker = new Thread(this::produce, "promtsdb-wal-decode");
      worker.setDaemon(true);
      worker.start();
    } else {
      queue = null;
      worker = null;
    }
  }

  /**
   * The next record, a {@link WalRecord} or, for float samples, a {@link SampleBatch}; null at
   * the end (or at a corruption, see {@link #stop()}).
   */
  Object next() throws IOException {
    if (queue == null) {
      return nextSync();
    }
    while (true) {
      if (batchPos < batch.size()) {
        return batch.get(batchPos++);
      }
      if (ended) {
        return null;
      }
      Object o;
      try {
        o = queue.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading the WAL");
      }
      if (o instanceof List<?> l) {
        @SuppressWarnings("unchecked")
        List<Object> records = (List<Object>) l;
        batch = records;
        batchPos = 0;
      } else if (o instanceof SourceDone d) {
        sourcesDone = d.source() + 1;
      } else if (o instanceof Stop s) {
        stop = s.description();
        stoppedAt = s.source();
        ended = true;
      } else if (o instanceof Failure f) {
        ended = true;
        if (f.error() instanceof IOException io) {
          throw io;
        }
        if (f.error() instanceof RuntimeException re) {
          throw re;
        }
        throw new IOException(f.error());
      } else {
        ended = true;
      }
    }
  }

  /** Gives a batch returned by {@link #next()} back for reuse; the caller no longer reads it. */
  void recycle(SampleBatch b) {
    if (freeBatches.size() < 64) {
      freeBatches.add(b);
    }
  }

  /** What ended the stream early, or null if it read everything. */
  String stop() {
    return stop;
  }

  /** Index of the source that held the corruption, or -1. */
  int stoppedAt() {
    return stoppedAt;
  }

  /** Number of sources completely read so far. */
  int sourcesDone() {
    return sourcesDone;
  }

  private Object nextSync() throws IOException {
    while (!ended) {
      if (reader == null) {
        if (current + 1 >= sources.size()) {
          ended = true;
          return null;
        }
        current++;
        Source s = sources.get(current);
        currentSource = files.open(s.path());
        reader = new SegmentReader(currentSource, s.dir().toString(), s.index());
      }
      Object r = read(current, reader);
      if (r instanceof WalRecord || r instanceof SampleBatch) {
        return r;
      }
      closeCurrent();
      if (r instanceof Stop s) {
        stop = s.description();
        stoppedAt = s.source();
        ended = true;
      } else {
        sourcesDone = current + 1;
      }
    }
    return null;
  }

  // The next record of a segment (a WalRecord or SampleBatch), a Stop at corruption, or null
  // at its clean end.
  private Object read(int index, SegmentReader r) throws IOException {
    Source s = sources.get(index);
    while (true) {
      try {
        if (!r.next()) {
          return null;
        }
      } catch (CorruptFormatException e) {
        return new Stop(e.getMessage(), index);
      }
      if (s.skipBefore() > 0 && r.recordOffset() < s.skipBefore()) {
        continue;
      }
      ByteSource rec = r.record();
      lastRecordBytes = rec.length();
      RecordType type = RecordCodec.type(rec);
      if (type == null) {
        continue; // unknown record types are skipped, as by Prometheus
      }
      try {
        if (type == RecordType.SAMPLES || type == RecordType.SAMPLES_V2) {
          SampleBatch b = freeBatches.poll();
          if (b == null) {
            b = new SampleBatch(16); // the decoder sizes it for the record
          }
          b.clear();
          decoder.samples(rec, b);
          return b;
        }
        return RecordCodec.decode(rec);
      } catch (CorruptFormatException e) {
        return new Stop(
            "decode " + type.goName() + ": " + e.getMessage() + " (record at " + s.path() + " offset " + r.recordOffset() + ")",
            index);
      }
    }
  }

  private void closeCurrent() throws IOException {
    reader = null;
    if (currentSource != null) {
      ByteSource c = currentSource;
      currentSource = null;
      FileAccess.close(c);
    }
  }

  private void produce() {
    try {
      for (int i = 0; i < sources.size() && !closed; i++) {
        Source s = sources.get(i);
        ByteSource src = files.open(s.path());
        try {
          SegmentReader r = new SegmentReader(src, s.dir().toString(), s.index());
          List<Object> out = new ArrayList<>();
          long bytes = 0;
          while (!closed) {
            Object o = read(i, r);
            if (o instanceof WalRecord || o instanceof SampleBatch) {
              out.add(o);
              bytes += lastRecordBytes;
              if (out.size() == BATCH || bytes >= BATCH_BYTES) {
                queue.put(out);
                out = new ArrayList<>();
                bytes = 0;
              }
              continue;
            }
            if (!out.isEmpty()) {
              queue.put(out);
            }
            if (o instanceof Stop stopped) {
              queue.put(stopped);
              return;
            }
            queue.put(new SourceDone(i));
            break;
          }
        } finally {
          FileAccess.close(src);
        }
      }
      queue.put(END);
    } catch (InterruptedException e) {
      // closed early
    } catch (Throwable t) {
      try {
        queue.put(new Failure(t));
      } catch (InterruptedException e) {
        // closed early
      }
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    if (worker != null) {
      worker.interrupt();
    }
    closeCurrent();
  }
}
