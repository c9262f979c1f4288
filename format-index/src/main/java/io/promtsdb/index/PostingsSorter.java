package io.promtsdb.index;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * sort like (name, value) by raw bytes. Series are added in ascending order and the sort is
 * stable, so the series of one key come out ascending. Each spilled run has a companion run
 * of its distinct keys, so that listing the pairs (for the label index sections, which come
 * before the postings) merges only those.
 */
final class PostingsSorter implements Closeable {
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
  // Beside each run: its distinct keys (id 0), so listing the pairs merges far less.
  private final List<Path> keyRuns = new ArrayList<>();
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
    Path keyRun = newRun();
    try (RunWriter w = new RunWriter(run);
        RunWriter kw = new RunWriter(keyRun)) {
      long prev = -1;
      for (int i = 0; i < n; i++) {
        long key = keys[i];
        w.write(key, ids[i]);
        if (key != prev) {
          kw.write(key, 0);
          prev = key;
        }
      }
    }
    runs.add(run);
    keyRuns.add(keyRun);
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
    reduce(runs, false);
    reduce(keyRuns, true);
  }

  // Merges groups of FAN_IN runs until at most FAN_IN remain.
  private void reduce(List<Path> list, boolean distinct) throws IOException {
    while (list.size() > FAN_IN) {
      List<Path> group = new ArrayList<>(list.subList(0, FAN_IN));
      Path merged = newRun();
      try (RunWriter w = new RunWriter(merged);
          MergeStream m = new MergeStream(group)) {
        long prev = -1;
        while (m.next()) {
          if (!distinct || m.key() != prev) {
            w.write(m.key(), m.id());
            prev = m.key();
          }
        }
      }
      for (Path p : group) {
        Files.deleteIfExists(p);
      }
      list.subList(0, FAN_IN).clear();
      list.add(merged);
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

  /** The distinct keys, ascending (ids are meaningless); after {@link #finish()}. */
  Stream keyStream() throws IOException {
    if (!finished) {
      throw new IllegalStateException("finish() first");
    }
    Stream all = runs.isEmpty() ? new ArrayStream() : new MergeStream(keyRuns);
    return new Stream() {
      private long prev = -1;

      @Override
      public boolean next() throws IOException {
        while (all.next()) {
          if (all.key() != prev) {
            prev = all.key();
            return true;
          }
        }
        return false;
      }

      @Override
      public long key() {
        return prev;
      }

      @Override
      public int id() {
        return 0;
      }

      @Override
      public void close() throws IOException {
        all.close();
      }
    };
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

  static final class RunWriter implements Closeable {
    private final OutputStream out;
    private final byte[] buf = new byte[IO_BUFFER];
    private int n;
    private long prevKey;
    private long prevId;

    RunWriter(Path p) throws IOException {
      out = Files.newOutputStream(p);
    }

    void write(long key, int id) throws IOException {
      if (buf.length - n < 20) {
        out.write(buf, 0, n);
        n = 0;
      }
      long uid = Integer.toUnsignedLong(id);
      long dk = key - prevKey;
      n = io.promtsdb.core.Varints.putUvarint(buf, n, dk);
      n = io.promtsdb.core.Varints.putUvarint(buf, n, dk == 0 ? uid - prevId : uid);
      prevKey = key;
      prevId = uid;
    }

    private boolean closed;

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        out.write(buf, 0, n);
      } finally {
        out.close();
      }
    }
  }

  static final class RunReader implements Closeable {
    private final InputStream in;
    private final byte[] buf = new byte[IO_BUFFER];
    private int pos;
    private int lim;
    long key;
    long id;

    RunReader(Path p) throws IOException {
      in = Files.newInputStream(p);
    }

    private boolean fill() throws IOException {
      // Keep the unread tail (less than one entry) and append.
      int rest = lim - pos;
      System.arraycopy(buf, pos, buf, 0, rest);
      pos = 0;
      lim = rest;
      int r = in.read(buf, lim, buf.length - lim);
      if (r > 0) {
        lim += r;
      }
      return r > 0;
    }

    /** Reads the next entry; false at the end of the run. */
    boolean next() throws IOException {
      // An entry is at most 20 bytes; refill when fewer remain.
      if (lim - pos < 20) {
        fill();
        if (pos == lim) {
          return false;
        }
      }
      long dk = uvarint();
      long v = uvarint();
      key += dk;
      id = dk == 0 ? id + v : v;
      return true;
    }

    private long uvarint() throws IOException {
      long x = 0;
      for (int shift = 0; ; shift += 7) {
        if (pos >= lim) {
          throw new EOFException("truncated sort run");
        }
        int b = buf[pos++];
        x |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return x;
        }
      }
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /**
   * A k-way merge of runs through a loser tree over primitive keys: the order (key, id),
   * with exhausted runs at (MAX, MAX).
   */
  private static final class MergeStream implements Stream {
    private final RunReader[] readers;
    private final int k;
    private final long[] keys;
    private final long[] ids;
    private final int[] tree;
    private long key;
    private int id;

    MergeStream(List<Path> runs) throws IOException {
      k = runs.size();
      readers = new RunReader[k];
      keys = new long[k];
      ids = new long[k];
      tree = new int[Math.max(k, 1)];
      try {
        for (int i = 0; i < k; i++) {
          readers[i] = new RunReader(runs.get(i));
          load(i);
        }
      } catch (IOException | RuntimeException e) {
        close();
        throw e;
      }
      int[] winners = new int[2 * k];
      for (int i = 0; i < k; i++) {
        winners[k + i] = i;
      }
      for (int node = k - 1; node >= 1; node--) {
        int a = winners[2 * node];
        int b = winners[2 * node + 1];
        if (less(b, a)) {
          int t = a;
          a = b;
          b = t;
        }
        winners[node] = a;
        tree[node] = b;
      }
      tree[0] = k == 1 ? 0 : winners[1];
    }

    private void load(int i) throws IOException {
      RunReader r = readers[i];
      if (r.next()) {
        keys[i] = r.key;
        ids[i] = r.id;
      } else {
        keys[i] = Long.MAX_VALUE;
        ids[i] = Long.MAX_VALUE;
      }
    }

    private boolean less(int a, int b) {
      long ka = keys[a];
      long kb = keys[b];
      return ka < kb || (ka == kb && ids[a] < ids[b]);
    }

    @Override
    public boolean next() throws IOException {
      int w = tree[0];
      if (keys[w] == Long.MAX_VALUE) {
        return false;
      }
      key = keys[w];
      id = (int) ids[w];
      load(w);
      // Replay from leaf w to the root.
      int winner = w;
      for (int node = (w + k) >>> 1; node > 0; node >>>= 1) {
        int loser = tree[node];
        if (less(loser, winner)) {
          tree[node] = winner;
          winner = loser;
        }
      }
      tree[0] = winner;
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
    for (Path p : keyRuns) {
      Files.deleteIfExists(p);
    }
    runs.clear();
    keyRuns.clear();
  }
}
