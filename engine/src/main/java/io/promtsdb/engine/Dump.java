package io.promtsdb.engine;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.GoFloat;
import io.promtsdb.core.GoQuote;
import io.promtsdb.core.Labels;
import java.io.IOException;
import java.util.Locale;

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

  /** Receives output; implemented by a buffered stream writer in the CLI. */
  public interface Out {
    void write(CharSequence s) throws IOException;
  }

  /** {@code promtool tsdb dump}'s output for {@code ss}. Returns the number of lines. */
  public static long promtool(SeriesSet ss, Out out) throws IOException {
    StringBuilder b = new StringBuilder(1 << 16);
    long lines = 0;
    SampleIterator reuse = null;
    while (ss.next()) {
      Series s = ss.at();
      String lbs = s.labels().toString();
      SampleIterator it = s.iterator(reuse);
      while (it.next() == ValueType.FLOAT) {
        b.append(lbs).append(' ');
        GoFloat.appendG(b, it.atValue());
        b.append(' ').append(it.atT()).append('\n');
        lines++;
        if (b.length() > (1 << 16)) {
          out.write(b);
          b.setLength(0);
        }
      }
      while (it.next() == ValueType.FLOAT_HISTOGRAM) {
        b.append(lbs).append(' ').append(it.atFloatHistogram()).append(' ').append(it.atT()).append('\n');
        lines++;
      }
      while (it.next() == ValueType.HISTOGRAM) {
        b.append(lbs).append(' ').append(it.atHistogram()).append(' ').append(it.atT()).append('\n');
        lines++;
      }
      if (b.length() > (1 << 15)) {
        out.write(b);
        b.setLength(0);
      }
      reuse = it;
    }
    out.write(b);
    return lines;
  }

  /** Every sample of every series, one per line, in the dump format (no promtool loop quirk). */
  public static long dumpAll(SeriesSet ss, Out out) throws IOException {
    StringBuilder b = new StringBuilder(1 << 16);
    long lines = 0;
    while (ss.next()) {
      Series s = ss.at();
      String lbs = s.labels().toString();
      SampleIterator it = s.iterator(null);
      for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
        b.append(lbs).append(' ');
        switch (vt) {
          case FLOAT -> GoFloat.appendG(b, it.atValue());
          case HISTOGRAM -> b.append(it.atHistogram());
          default -> b.append(it.atFloatHistogram());
        }
        b.append(' ').append(it.atT()).append('\n');
        lines++;
        if (b.length() > (1 << 16)) {
          out.write(b);
          b.setLength(0);
        }
      }
    }
    out.write(b);
    return lines;
  }

  /**
   * {@code promtool tsdb dump-openmetrics}: float samples only, as {@code
   * name{l="v",...} value seconds.millis}, then {@code # EOF}. As in promtool, only the floats
   * before a series' first histogram are printed.
   */
  public static long openMetrics(SeriesSet ss, Out out) throws IOException {
    StringBuilder b = new StringBuilder(1 << 16);
    long lines = 0;
    while (ss.next()) {
      Series s = ss.at();
      Labels l = s.labels();
      String name = l.metricName();
      String prefix = name + condensed(l);
      SampleIterator it = s.iterator(null);
      while (it.next() == ValueType.FLOAT) {
        b.append(prefix).append(' ');
        GoFloat.appendG(b, it.atValue());
        b.append(' ');
        appendSeconds(b, it.atT());
        b.append('\n');
        lines++;
        if (b.length() > (1 << 16)) {
          out.write(b);
          b.setLength(0);
        }
      }
    }
    b.append("# EOF\n");
    out.write(b);
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
