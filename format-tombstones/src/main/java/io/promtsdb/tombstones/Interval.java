package io.promtsdb.tombstones;

/**
 * A closed time range {@code [mint, maxt]} in milliseconds, Prometheus' {@code
 * tombstones.Interval}. Both ends are inclusive; nothing checks {@code mint <= maxt}, because
 * a reader must be able to show what is on disk.
 */
public record Interval(long mint, long maxt) {
  /** Whether {@code t} lies within this interval. */
  public boolean inBounds(long t) {
    return t >= mint && t <= maxt;
  }

  /** Whether this interval lies entirely within one of {@code ranges}. */
  public boolean isSubrange(Intervals ranges) {
    for (int i = 0; i < ranges.size(); i++) {
      Interval r = ranges.get(i);
      if (r.inBounds(mint) && r.inBounds(maxt)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "[" + mint + ", " + maxt + "]";
  }
}
