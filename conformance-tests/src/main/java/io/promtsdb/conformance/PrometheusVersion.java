package io.promtsdb.conformance;

import java.util.ArrayList;
import java.util.List;

/** A Prometheus release number {@code MAJOR.MINOR.PATCH}, ordered numerically. */
public record PrometheusVersion(int major, int minor, int patch) implements Comparable<PrometheusVersion> {

  public static PrometheusVersion parse(String s) {
    String[] p = s.trim().split("\\.");
    if (p.length != 3) {
      throw new IllegalArgumentException("expected a version MAJOR.MINOR.PATCH, got \"" + s + "\"");
    }
    try {
      return new PrometheusVersion(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a version MAJOR.MINOR.PATCH, got \"" + s + "\"");
    }
  }

  public boolean before(String other) {
    return compareTo(parse(other)) < 0;
  }

  public boolean atLeast(String other) {
    return compareTo(parse(other)) >= 0;
  }

  @Override
  public int compareTo(PrometheusVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }

  /**
   * The Prometheus versions a case holds for: space-separated constraints that must all hold,
   * each {@code >=V}, {@code >V}, {@code <=V}, {@code <V} or {@code =V} (a bare {@code V} is
   * {@code =V}); {@code *} is every version.
   */
  public record Range(String text, List<Constraint> constraints) {
    public Range {
      constraints = List.copyOf(constraints);
    }

    record Constraint(String op, PrometheusVersion version) {
      boolean test(PrometheusVersion v) {
        int c = v.compareTo(version);
        return switch (op) {
          case ">=" -> c >= 0;
          case ">" -> c > 0;
          case "<=" -> c <= 0;
          case "<" -> c < 0;
          default -> c == 0;
        };
      }
    }

    public static Range parse(String text) {
      List<Constraint> cs = new ArrayList<>();
      String t = text.trim();
      if (!t.equals("*")) {
        for (String part : t.split("\\s+")) {
          String op;
          if (part.startsWith(">=") || part.startsWith("<=")) {
            op = part.substring(0, 2);
          } else if (part.startsWith(">") || part.startsWith("<") || part.startsWith("=")) {
            op = part.substring(0, 1);
          } else {
            op = "=";
          }
          String v = part.substring(op.equals("=") && !part.startsWith("=") ? 0 : op.length());
          cs.add(new Constraint(op, PrometheusVersion.parse(v)));
        }
      }
      return new Range(t, cs);
    }

    public boolean contains(PrometheusVersion v) {
      for (Constraint c : constraints) {
        if (!c.test(v)) {
          return false;
        }
      }
      return true;
    }

    public boolean contains(String v) {
      return contains(PrometheusVersion.parse(v));
    }

    /**
     * The highest of {@code targets} in this range (the version an implementation is asked to
     * behave like for a case), or null.
     */
    public String bestTarget(List<String> targets) {
      PrometheusVersion best = null;
      String bestText = null;
      for (String t : targets) {
        PrometheusVersion v = PrometheusVersion.parse(t);
        if (contains(v) && (best == null || v.compareTo(best) > 0)) {
          best = v;
          bestText = t;
        }
      }
      return bestText;
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
