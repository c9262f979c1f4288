package io.promtsdb.index;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the (label pair, series) incidences of the series added to a writer and hands
 * them back sorted by pair, then series: the order of the postings section. Memory is a fixed
 * buffer of {@code capacity} entries (12 bytes each, twice while sorting); a full buffer is
 * radix-sorted and spilled to a temporary run file, delta- and varint-encoded (2 to 3 bytes
 * an entry in practice), and runs are merged with a fan-in of at most {@value #FAN_IN},
 * merging in several passes if needed. So the writer's memory does not grow with the number
 * of series, unlike Prometheus' writer, which holds the postings of a batch of label names
 * (up to every series) in maps.
 *
 * <p>A pair is keyed {@code (nameRef + 1) << 32 | valueRef} over symbol references, so keys
 * sort like (name, value) by raw bytes; key {@link #ALL} (0) is the all-postings list.
 * Series are added in ascending order and the sort is stable, so the series of one key come
 * out ascending.
 */
final class PostingsSorter implements Closeable {
  static final long ALL = 0;
  static final int FAN_IN = 64;
  private static final int IO_BUFFER = 1 << 16;

  private final Path dir;
  private final String prefix;
  private final long[] keys;
  private final int[] ids;
  private long[] keysTmp;
  private int[] idsTmp;
  private int n;
  private final List<Path> runs = new ArrayList<>();
  private int runNames;
  private boolean finished;
  private long total;

  PostingsSorter(Path dir, String prefix, int capacity) {
    this.dir = dir;
    this.prefix = prefix;
    this.keys = new long[capacity];
    this.ids = new int[capacity];
  }

  static long key(long nameRef, long valueRef) {
    return ((nameRef + 1) << 32) | valueRef;
  }

  static long nameRef(long key) {
    return (key >>> 32) - 1;
  }

  static long valueRef(long key) {
    return key & 0xFFFFFFFFL;
  }

  void add(long key, int id) throws IOException {
    if (n == keys.length) {
      spill();
    }
    keys[n] = key;
    ids[n] = id;
    n++;
    total++;
  }

  long total() {
    return total;
  }

  int runCount() {
    return runs.size();
  }

  private void spill() throws IOException {
    sortBuffer();
    Path run = newRun();
    try (RunWriter w = new RunWriter(run)) {
      for (int i = 0; i < n; i++) {
        w.write(keys[i], ids[i]);
      }
    }
    runs.add(run);
    n = 0;
  }

  private Path newRun() {
    return dir.resolve(prefix + "_tmp_sort_" + (runNames++));
  }

  /** Ends the adding; sorts in memory, or spills and prepares the merge. */
  void finish() throws IOException {
    if (finished) {
      return;
    }
    finished = true;
    if (runs.isEmpty()) {
      sortBuffer();
      return;
    }
    if (n > 0) {
      spill();
    }
    while (runs.size() > FAN_IN) {
      List<Path> group = new ArrayList<>(runs.subList(0, FAN_IN));
      Path merged = newRun();
      try (RunWriter w = new RunWriter(merged);
          MergeStream m = new MergeStream(group)) {
        while (m.next()) {
          w.write(m.key(), m.id());
        }
      }
      for (Path p : group) {
        Files.deleteIfExists(p);
      }
      runs.subList(0, FAN_IN).clear();
      runs.add(merged);
    }
  }

  /** The sorted entries; may be called more than once after {@link #finish()}. */
  Stream stream() throws IOException {
    if (!finished) {
      throw new IllegalStateException("finish() first");
    }
    if (runs.isEmpty()) {
      return new ArrayStream();
    }
    return new MergeStream(runs);
  }

  /** Sorted entries. */
  interface Stream extends Closeable {
    boolean next() throws IOException;

    long key();

    int id();

    @Override
    default void close() throws IOException {}
  }

  private final class ArrayStream implements Stream {
    private int i = -1;

    @Override
    public boolean next() {
      return ++i < n;
    }

    @Override
    public long key() {
      return keys[i];
    }

    @Override
    public int id() {
      return ids[i];
    }
  }

  // ---- LSD radix sort of keys[0..n) carrying ids; stable; skips constant bytes ----

  private void sortBuffer() {
    if (n < 2) {
      return;
    }
    if (keysTmp == null) {
      keysTmp = new long[keys.length];
      idsTmp = new int[keys.length];
    }
    int[][] counts = new int[8][257];
    long[] k = keys;
    for (int i = 0; i < n; i++) {
      long v = k[i];
      for (int b = 0; b < 8; b++) {
        counts[b][(int) ((v >>> (8 * b)) & 0xFF) + 1]++;
      }
    }
    long[] srcK = keys;
    int[] srcI = ids;
    long[] dstK = keysTmp;
    int[] dstI = idsTmp;
    for (int b = 0; b < 8; b++) {
      int[] c = counts[b];
      boolean constant = false;
      for (int d = 1; d <= 256; d++) {
        if (c[d] == n) {
          constant = true;
          break;
        }
        if (c[d] != 0) {
          break;
        }
      }
      if (constant) {
        continue;
      }
      for (int d = 1; d <= 256; d++) {
        c[d] += c[d - 1];
      }
      int shift = 8 * b;
      for (int i = 0; i < n; i++) {
        long v = srcK[i];
        int at = c[(int) ((v >>> shift) & 0xFF)]++;
        dstK[at] = v;
        dstI[at] = srcI[i];
      }
      long[] tk = srcK;
      srcK = dstK;
      dstK = tk;
      int[] ti = srcI;
      srcI = dstI;
      dstI = ti;
    }
    if (srcK != keys) {
      System.arraycopy(srcK, 0, keys, 0, n);
      System.arraycopy(srcI, 0, ids, 0, n);
    }
  }

  // ---- run files: per entry uvarint(key delta), then uvarint(id delta) if the key repeats, else uvarint(id) ----

  private static final class RunWriter implements Closeable {
    private final OutputStream out;
    private long prevKey;
    private long prevId;

    RunWriter(Path p) throws IOException {
      out = new BufferedOutputStream(Files.newOutputStream(p), IO_BUFFER);
    }

    void write(long key, int id) throws IOException {
      long uid = Integer.toUnsignedLong(id);
      long dk = key - prevKey;
      putUvarint(dk);
      putUvarint(dk == 0 ? uid - prevId : uid);
      prevKey = key;
      prevId = uid;
    }

    private void putUvarint(long v) throws IOException {
      while ((v & ~0x7FL) != 0) {
        out.write((int) (v | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  private static final class RunReader implements Closeable {
    private final InputStream in;
    long key;
    long id;

    RunReader(Path p) throws IOException {
      in = new BufferedInputStream(Files.newInputStream(p), IO_BUFFER);
    }

    /** Reads the next entry; false at the end of the run. */
    boolean next() throws IOException {
      int b = in.read();
      if (b < 0) {
        return false;
      }
      long dk = uvarint(b);
      long v = uvarint(in.read());
      key += dk;
      id = dk == 0 ? id + v : v;
      return true;
    }

    private long uvarint(int b) throws IOException {
      long x = 0;
      int shift = 0;
      while (true) {
        if (b < 0) {
          throw new EOFException("truncated sort run");
        }
        x |= (long) (b & 0x7F) << shift;
        if (b < 0x80) {
          return x;
        }
        shift += 7;
        b = in.read();
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** A k-way merge of runs through a binary heap ordered by (key, id). */
  private static final class MergeStream implements Stream {
    private final RunReader[] readers;
    private final int[] heap;
    private int size;
    private long key;
    private int id;

    MergeStream(List<Path> runs) throws IOException {
      readers = new RunReader[runs.size()];
      heap = new int[runs.size()];
      try {
        for (int i = 0; i < readers.length; i++) {
          readers[i] = new RunReader(runs.get(i));
          if (readers[i].next()) {
            heap[size++] = i;
          }
        }
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
      for (int i = size / 2 - 1; i >= 0; i--) {
        down(i);
      }
    }

    private boolean less(int a, int b) {
      RunReader x = readers[a];
      RunReader y = readers[b];
      return x.key < y.key || (x.key == y.key && x.id < y.id);
    }

    private void down(int i) {
      while (true) {
        int l = 2 * i + 1;
        if (l >= size) {
          return;
        }
        int m = l + 1 < size && less(heap[l + 1], heap[l]) ? l + 1 : l;
        if (!less(heap[m], heap[i])) {
          return;
        }
        int t = heap[m];
        heap[m] = heap[i];
        heap[i] = t;
        i = m;
      }
    }

    @Override
    public boolean next() throws IOException {
      if (size == 0) {
        return false;
      }
      RunReader top = readers[heap[0]];
      key = top.key;
      id = (int) top.id;
      if (!top.next()) {
        heap[0] = heap[--size];
      }
      down(0);
      return true;
    }

    @Override
    public long key() {
      return key;
    }

    @Override
    public int id() {
      return id;
    }

    @Override
    public void close() throws IOException {
      IOException first = null;
      for (RunReader r : readers) {
        if (r != null) {
          try {
            r.close();
          } catch (IOException e) {
            if (first == null) {
              first = e;
            }
          }
        }
      }
      if (first != null) {
        throw first;
      }
    }
  }

  @Override
  public void close() throws IOException {
    for (Path p : runs) {
      Files.deleteIfExists(p);
    }
    runs.clear();
  }

  static UncheckedIOException unchecked(IOException e) {
    return new UncheckedIOException(e);
  }
}
