package io.promtsdb.core;

/**
 * Go's {@code time.Duration.String()} ({@code 2.644719039s}, {@code 96.720186ms}, {@code
 * 49.897µs}, {@code 128ns}, {@code 0s}, {@code 1m26.324s}), as Prometheus writes durations
 * in its log lines and promtool in its output, so that ours compare with theirs field by field.
 */
public final class GoDuration {
  private GoDuration() {}

  private static final long MICROSECOND = 1_000;
  private static final long MILLISECOND = 1_000_000;
  private static final long SECOND = 1_000_000_000;

  /** Go's {@code time.Duration(nanos).String()}. */
  public static String format(long nanos) {
    if (nanos == 0) {
      return "0s";
    }
    char[] buf = new char[32];
    int w = buf.length;
    boolean neg = nanos < 0;
    long u = neg ? -nanos : nanos; // Long.MIN_VALUE stays negative; handled as unsigned below
    buf[--w] = 's';
    if (Long.compareUnsigned(u, SECOND) < 0) {
      int prec;
      w--;
      if (Long.compareUnsigned(u, MICROSECOND) < 0) {
        prec = 0;
        buf[w] = 'n';
      } else if (Long.compareUnsigned(u, MILLISECOND) < 0) {
        prec = 3;
        buf[w] = '\u00b5';
      } else {
        prec = 6;
        buf[w] = 'm';
      }
      long[] uu = {u};
      w = frac(buf, w, uu, prec);
      w = integer(buf, w, uu[0]);
    } else {
      long[] uu = {u};
      w = frac(buf, w, uu, 9);
      u = uu[0];
      w = integer(buf, w, Long.remainderUnsigned(u, 60));
      u = Long.divideUnsigned(u, 60);
      if (u > 0) {
        buf[--w] = 'm';
        w = integer(buf, w, Long.remainderUnsigned(u, 60));
        u = Long.divideUnsigned(u, 60);
        if (u > 0) {
          buf[--w] = 'h';
          w = integer(buf, w, u);
        }
      }
    }
    if (neg) {
      buf[--w] = '-';
    }
    return new String(buf, w, buf.length - w);
  }

  // Go's fmtFrac: the fraction of v / 10^prec without trailing zeros, and no point if it is 0.
  private static int frac(char[] buf, int w, long[] v, int prec) {
    boolean print = false;
    long u = v[0];
    for (int i = 0; i < prec; i++) {
      long digit = Long.remainderUnsigned(u, 10);
      print = print || digit != 0;
      if (print) {
        buf[--w] = (char) ('0' + digit);
      }
      u = Long.divideUnsigned(u, 10);
    }
    if (print) {
      buf[--w] = '.';
    }
    v[0] = u;
    return w;
  }

  private static int integer(char[] buf, int w, long v) {
    if (v == 0) {
      buf[--w] = '0';
    }
    while (v != 0) {
      buf[--w] = (char) ('0' + Long.remainderUnsigned(v, 10));
      v = Long.divideUnsigned(v, 10);
    }
    return w;
  }
}
