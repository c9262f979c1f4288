package io.promtsdb.engine;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.AsciiDigits;
import io.promtsdb.core.GoFloat;
import io.promtsdb.core.GoQuote;
import io.promtsdb.core.Labels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes query results as {@code promtool tsdb dump} and {@code dump-openmetrics} print them
 * (cmd/promtool/tsdb.go {@code formatSeriesSet}, {@code formatSeriesSetOpenMetrics}), line for
 * line.
 *
 * <p>{@code dump} prints one line per sample: {@code <labels> <value> <timestamp>}, the value
 * with Go's {@code %g} or the histogram's Go {@code String()}. It reproduces promtool's loop
 * exactly: for each series it prints floats while {@code Next()} returns a float, then float
 * histograms while it returns those, then integer histograms; each loop's last {@code Next()}
 * consumes the sample that ended it, which is therefore not printed, and a series whose types
 * change more often is printed only in part. This is what promtool prints, and what this
 * writer prints; {@link #dumpAll} prints every sample instead.
 */
public final class Dump {
  private Dump() {}

  /** Receives output, as UTF-8 bytes. */
  public interface Out {
    void write(byte[] b, int off, int len) throws IOException;
  }

  /** An {@link Out} collecting into a string (tests, small outputs). */
  public static final class StringOut implements Out {
    private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();

    @Override
    public void write(byte[] b, int off, int len) {
      buf.write(b, off, len);
    }

    public byte[] toByteArray() {
      return buf.toByteArray();
    }

    @Override
    public String toString() {
      return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  /** Lines assembled as bytes: label sets encoded once per series, numbers written in place. */
  static final class LineBuffer {
    private final Out out;
    private byte[] buf = new byte[1 << 16];
    private int pos;
    LineBuffer(Out out) {
      this.out = out;
    }

    /** Lines kept in a growing buffer instead of passed on: {@link #flush} is not used. */
    LineBuffer(int initial) {
      this.out = null;
      this.buf = new byte[initial];
    }

    void ensure(int n) throws IOException {
      if (pos + n > buf.length) {
        if (out == null) {
          buf = java.util.Arrays.copyOf(buf, Math.max(pos + n, buf.length * 2));
          return;
        }
        flush();
        if (n > buf.length) {
          buf = new byte[Math.max(n, buf.length * 2)];
        }
      }
    }

    void bytes(byte[] b) throws IOException {
      ensure(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
    }

    void ascii(char c) throws IOException {
      ensure(1);
      buf[pos++] = (byte) c;
    }

    void floatG(double v) throws IOException {
      ensure(32);
      pos = GoFloat.formatG(v, buf, pos);
    }

    // Timestamps of neighbouring lines share their leading digits: those above the last
    // eight are kept from the previous line.
    private long lastHigh = -1;
    private final byte[] highText = new byte[20];
    private int highLen;

    void decimal(long v) throws IOException {
      ensure(20);
      if (v < 100_000_000L) {
        pos = AsciiDigits.putLong(v, buf, pos);
        return;
      }
      long high = v / 100_000_000L;
      if (high != lastHigh) {
        lastHigh = high;
        highLen = AsciiDigits.putLong(high, highText, 0);
      }
      System.arraycopy(highText, 0, buf, pos, highLen);
      AsciiDigits.put8((int) (v - high * 100_000_000L), buf, pos + highLen);
      pos += highLen + 8;
    }

    void text(String s) throws IOException {
      bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    void flush() throws IOException {
      if (pos > 0) {
        out.write(buf, 0, pos);
        pos = 0;
      }
    }
  }

  /** {@code promtool tsdb dump}'s output for {@code ss}. Returns the number of lines. */
  public static long promtool(SeriesSet ss, Out out) throws IOException {
    return promtool(ss, out, defaultFormatters());
  }

  /**
   * Formatting threads besides the reading thread: one per further processor, at most four (on
   * a single processor, none).
   */
  static int defaultFormatters() {
    return Math.max(0, Math.min(4, Runtime.getRuntime().availableProcessors() - 1));
  }

  /**
   * As {@link #promtool(SeriesSet, Out)}, formatting on {@code formatters} threads while the
   * calling thread reads the samples (0: everything on the calling thread). The output is the
   * same either way.
   */
  public static long promtool(SeriesSet ss, Out out, int formatters) throws IOException {
    if (formatters <= 0) {
      return promtoolSequential(ss, out);
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            formatters,
            r -> {
              Thread t = new Thread(r, "promtsdb-dump");
              t.setDaemon(true);
              return t;
            });
    try {
      ArrayDeque<Future<Batch>> pending = new ArrayDeque<>();
      ArrayDeque<Batch> free = new ArrayDeque<>();
      long lines = 0;
      Batch batch = new Batch();
      SampleIterator reuse = null;
      while (ss.next()) {
        Series s = ss.at();
        int idx = batch.series(s.labels());
        SampleIterator it = s.iterator(reuse);
        while (it.next() == ValueType.FLOAT) {
          batch.add(idx, ValueType.FLOAT, it.atT(), Double.doubleToRawLongBits(it.atValue()), null);
        }
        while (it.next() == ValueType.FLOAT_HISTOGRAM) {
          batch.add(idx, ValueType.FLOAT_HISTOGRAM, it.atT(), 0, it.atFloatHistogram());
        }
        while (it.next() == ValueType.HISTOGRAM) {
          batch.add(idx, ValueType.HISTOGRAM, it.atT(), 0, it.atHistogram());
        }
        reuse = it;
        if (batch.n >= Batch.TARGET) {
          lines += batch.n;
          pending.add(pool.submit(batch::format));
          while (pending.size() > 2 * formatters) {
            free.add(write(pending.poll(), out));
          }
          batch = free.isEmpty() ? new Batch() : free.poll();
        }
      }
      lines += batch.n;
      pending.add(pool.submit(batch::format));
      while (!pending.isEmpty()) {
        write(pending.poll(), out);
      }
      return lines;
    } finally {
      pool.shutdownNow();
    }
  }

  // Writes a formatted batch and returns it emptied, for reuse.
  private static Batch write(Future<Batch> f, Out out) throws IOException {
    Batch b;
    try {
      b = f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while dumping");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(e.getCause());
    }
    out.write(b.text.buf, 0, b.text.pos);
    b.clear();
    return b;
  }

  /**
   * Samples of several series, read on the calling thread and formatted on another; reused
   * once written.
   */
  private static final class Batch {
    static final int TARGET = 16 * 1024;
    private final java.util.ArrayList<Labels> labels = new java.util.ArrayList<>();
    private int[] series = new int[TARGET + 256];
    private ValueType[] types = new ValueType[TARGET + 256];
    private long[] ts = new long[TARGET + 256];
    private long[] bits = new long[TARGET + 256];
    private Object[] objects;
    final LineBuffer text = new LineBuffer(TARGET * 128);
    int n;

    int series(Labels l) {
      labels.add(l);
      return labels.size() - 1;
    }

    void add(int s, ValueType type, long t, long b, Object o) {
      if (n == ts.length) {
        int c = n * 2;
        series = java.util.Arrays.copyOf(series, c);
        types = java.util.Arrays.copyOf(types, c);
        ts = java.util.Arrays.copyOf(ts, c);
        bits = java.util.Arrays.copyOf(bits, c);
        if (objects != null) {
          objects = java.util.Arrays.copyOf(objects, c);
        }
      }
      series[n] = s;
      types[n] = type;
      ts[n] = t;
      bits[n] = b;
      if (o != null) {
        if (objects == null) {
          objects = new Object[ts.length];
        }
        objects[n] = o;
      }
      n++;
    }

    Batch format() throws IOException {
      LineBuffer b = text;
      byte[] lbs = null;
      int cur = -1;
      for (int i = 0; i < n; i++) {
        if (series[i] != cur) {
          cur = series[i];
          lbs = (labels.get(cur).toString() + " ").getBytes(StandardCharsets.UTF_8);
        }
        b.bytes(lbs);
        if (types[i] == ValueType.FLOAT) {
          b.floatG(Double.longBitsToDouble(bits[i]));
        } else {
          b.text(objects[i].toString());
        }
        b.ascii(' ');
        b.decimal(ts[i]);
        b.ascii('\n');
      }
      return this;
    }

    void clear() {
      labels.clear();
      if (objects != null) {
        java.util.Arrays.fill(objects, 0, n, null);
      }
      n = 0;
      text.pos = 0;
    }
  }

  private static long promtoolSequential(SeriesSet ss, Out out) throws IOException {
    LineBuffer b = new LineBuffer(out);
    long lines = 0;
    SampleIterator reuse = null;
    while (ss.next()) {
      Series s = ss.at();
      byte[] lbs = (s.labels().toString() + " ").getBytes(StandardCharsets.UTF_8);
      SampleIterator it = s.iterator(reuse);
      while (it.next() == ValueType.FLOAT) {
        b.bytes(lbs);
        b.floatG(it.atValue());
        b.ascii(' ');
        b.decimal(it.atT());
        b.ascii('\n');
        lines++;
      }
      while (it.next() == ValueType.FLOAT_HISTOGRAM) {
        b.bytes(lbs);
        b.text(it.atFloatHistogram().toString());
        b.ascii(' ');
        b.decimal(it.atT());
        b.ascii('\n');
        lines++;
      }
      while (it.next() == ValueType.HISTOGRAM) {
        b.bytes(lbs);
        b.text(it.atHistogram().toString());
        b.ascii(' ');
        b.decimal(it.atT());
        b.ascii('\n');
        lines++;
      }
      reuse = it;
    }
    b.flush();
    return lines;
  }

  /** Every sample of every series, one per line, in the dump format (no promtool loop quirk). */
  public static long dumpAll(SeriesSet ss, Out out) throws IOException {
    LineBuffer b = new LineBuffer(out);
    long lines = 0;
    while (ss.next()) {
      Series s = ss.at();
      byte[] lbs = (s.labels().toString() + " ").getBytes(StandardCharsets.UTF_8);
      SampleIterator it = s.iterator(null);
      for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
        b.bytes(lbs);
        switch (vt) {
          case FLOAT -> b.floatG(it.atValue());
          case HISTOGRAM -> b.text(it.atHistogram().toString());
          default -> b.text(it.atFloatHistogram().toString());
        }
        b.ascii(' ');
        b.decimal(it.atT());
        b.ascii('\n');
        lines++;
      }
    }
    b.flush();
    return lines;
  }

  /**
   * {@code promtool tsdb dump-openmetrics}: float samples only, as {@code
   * name{l="v",...} value seconds.millis}, then {@code # EOF}. As in promtool, only the floats
   * before a series' first histogram are printed.
   */
  public static long openMetrics(SeriesSet ss, Out out) throws IOException {
    LineBuffer b = new LineBuffer(out);
    long lines = 0;
    StringBuilder sec = new StringBuilder(24);
    while (ss.next()) {
      Series s = ss.at();
      Labels l = s.labels();
      byte[] prefix = (l.metricName() + condensed(l) + " ").getBytes(StandardCharsets.UTF_8);
      SampleIterator it = s.iterator(null);
      while (it.next() == ValueType.FLOAT) {
        b.bytes(prefix);
        b.floatG(it.atValue());
        b.ascii(' ');
        sec.setLength(0);
        appendSeconds(sec, it.atT());
        b.text(sec.toString());
        b.ascii('\n');
        lines++;
      }
    }
    b.text("# EOF\n");
    b.flush();
    return lines;
  }

  /** promtool's {@code CondensedString}: labels without the metric name, no spaces, names unquoted. */
  static String condensed(Labels l) {
    StringBuilder b = new StringBuilder();
    b.append('{');
    int n = 0;
    for (int i = 0; i < l.size(); i++) {
      if (l.name(i).equals(Labels.METRIC_NAME)) {
        continue;
      }
      if (n++ > 0) {
        b.append(',');
      }
      b.append(l.name(i)).append('=');
      GoQuote.appendQuoted(b, l.value(i));
    }
    return b.append('}').toString();
  }

  // Go's fmt "%.3f" of float64(ts)/1000.
  static void appendSeconds(StringBuilder b, long t) {
    double sec = (double) t / 1000;
    b.append(String.format(Locale.ROOT, "%.3f", sec));
  }
}
