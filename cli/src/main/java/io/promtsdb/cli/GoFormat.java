package io.promtsdb.cli;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Go's standard-library text formats that promtool's output is made of. */
final class GoFormat {
  private GoFormat() {}

  /** Go's {@code time.Duration(nanos).String()}: {@code 6m0s}, {@code 1m26.324s}, {@code 1.5ms}, {@code 0s}. */
  static String duration(long nanos) {
    return io.promtsdb.core.GoDuration.format(nanos);
  }

  /** alecthomas/units {@code Base2Bytes(n).String()}: {@code 27KiB238B}, {@code 1MiB}, {@code 0B}. */
  static String base2Bytes(long n) {
    String[] units = {"", "K", "M", "G", "T", "P", "E"};
    String[] out = new String[units.length];
    for (int i = 0; i < units.length; i++) {
      if (n % 1024 != 0 || (i == 0 && n == 0)) {
        out[units.length - 1 - i] = (n % 1024) + units[i] + (i == 0 ? "B" : "iB");
      }
      n /= 1024;
      if (n == 0) {
        break;
      }
    }
    StringBuilder b = new StringBuilder();
    for (String s : out) {
      if (s != null) {
        b.append(s);
      }
    }
    return b.toString();
  }

  /** Go's {@code time.Unix(ms/1000, 0).UTC().String()}: {@code 2026-11-22 01:12:00 +0000 UTC}. */
  static String unixUtc(long millis) {
    long sec = millis / 1000; // Go's integer division truncates toward zero
    LocalDateTime t = LocalDateTime.ofEpochSecond(sec, 0, ZoneOffset.UTC);
    int year = t.getYear();
    StringBuilder b = new StringBuilder(32);
    if (year < 0) {
      b.append('-');
      year = -year;
    }
    String y = Integer.toString(year);
    for (int i = y.length(); i < 4; i++) {
      b.append('0');
    }
    b.append(y);
    b.append(String.format("-%02d-%02d %02d:%02d:%02d +0000 UTC",
        t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond()));
    return b.toString();
  }

  /**
   * Go's {@code text/tabwriter} with promtool's settings (minwidth, tabwidth 0, padding, ' ',
   * no flags) for lines whose cells are separated by tabs: every column but the last is
   * padded to the widest cell plus padding, at least minwidth.
   */
  static final class TabWriter {
    private final int minWidth;
    private final int padding;
    private final List<String[]> rows = new ArrayList<>();

    TabWriter(int minWidth, int padding) {
      this.minWidth = minWidth;
      this.padding = padding;
    }

    void row(String... cells) {
      rows.add(cells);
    }

    String render() {
      int cols = 0;
      for (String[] r : rows) {
        cols = Math.max(cols, r.length);
      }
      int[] width = new int[cols];
      for (int c = 0; c < cols; c++) {
        width[c] = minWidth;
      }
      for (String[] r : rows) {
        for (int c = 0; c < r.length - 1; c++) {
          width[c] = Math.max(width[c], r[c].codePointCount(0, r[c].length()) + padding);
        }
      }
      StringBuilder b = new StringBuilder();
      for (String[] r : rows) {
        for (int c = 0; c < r.length; c++) {
          b.append(r[c]);
          if (c < r.length - 1) {
            for (int k = r[c].codePointCount(0, r[c].length()); k < width[c]; k++) {
              b.append(' ');
            }
          }
        }
        b.append('\n');
      }
      return b.toString();
    }
  }
}
