package io.promtsdb.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The identity of a series: an immutable list of name/value pairs sorted by name.
 *
 * <p>Order is Prometheus' {@code labels.Compare}: pair by pair, name then value, each by
 * raw UTF-8 bytes ({@link Utf8Order}), the shorter set first on a common prefix. Label sets
 * read from disk may carry duplicate names or empty values; this class keeps them as they
 * are ({@link #hasDuplicateNames()} tells), because a reader must be able to show what is on
 * disk. Writers and the engine validate.
 */
public final class Labels implements Comparable<Labels> {
  /** The reserved label holding the metric name. */
  public static final String METRIC_NAME = "__name__";

  public static final Labels EMPTY = new Labels(new String[0]);

  // name0, value0, name1, value1, ... sorted by name (UTF-8 order), stable for equal names.
  private final String[] pairs;
  private int hash;

  private Labels(String[] pairs) {
    this.pairs = pairs;
  }

  /** Labels from alternating names and values, in any order. */
  public static Labels of(String... nameValuePairs) {
    if (nameValuePairs.length % 2 != 0) {
      throw new IllegalArgumentException("odd number of label names and values");
    }
    String[] p = nameValuePairs.clone();
    for (String s : p) {
      if (s == null) {
        throw new NullPointerException("label name or value is null");
      }
    }
    sortPairs(p);
    return p.length == 0 ? EMPTY : new Labels(p);
  }

  /** Labels from a map; iteration order does not matter. */
  public static Labels of(Map<String, String> map) {
    String[] p = new String[map.size() * 2];
    int i = 0;
    for (Map.Entry<String, String> e : map.entrySet()) {
      p[i++] = e.getKey();
      p[i++] = e.getValue();
    }
    return of(p);
  }

  /** Labels from a list of pairs, in any order. */
  public static Labels of(List<Label> labels) {
    String[] p = new String[labels.size() * 2];
    int i = 0;
    for (Label l : labels) {
      p[i++] = l.name();
      p[i++] = l.value();
    }
    return of(p);
  }

  public static Builder builder() {
    return new Builder();
  }

  // Insertion sort by name: linear for the already sorted input every decoder produces,
  // and stable, so duplicate names keep their order.
  private static void sortPairs(String[] p) {
    for (int i = 2; i < p.length; i += 2) {
      String n = p[i];
      String v = p[i + 1];
      int j = i - 2;
      while (j >= 0 && Utf8Order.compare(p[j], n) > 0) {
        p[j + 2] = p[j];
        p[j + 3] = p[j + 1];
        j -= 2;
      }
      p[j + 2] = n;
      p[j + 3] = v;
    }
  }

  public int size() {
    return pairs.length / 2;
  }

  public boolean isEmpty() {
    return pairs.length == 0;
  }

  public String name(int i) {
    return pairs[2 * i];
  }

  public String value(int i) {
    return pairs[2 * i + 1];
  }

  public Label get(int i) {
    return new Label(name(i), value(i));
  }

  /** The value of {@code name}, or {@code ""} if absent, as Prometheus treats a missing label. */
  public String get(String name) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(name)) {
        return pairs[i + 1];
      }
    }
    return "";
  }

  public boolean has(String name) {
    for (int i = 0; i < pairs.length; i += 2) {
      if (pairs[i].equals(name)) {
        return true;
      }
    }
    return false;
  }

  /** The value of {@code __name__}, or {@code ""}. */
  public String metricName() {
    return get(METRIC_NAME);
  }

  /** Whether two pairs share a name (invalid for ingestion, possible on disk). */
  public boolean hasDuplicateNames() {
    for (int i = 2; i < pairs.length; i += 2) {
      if (pairs[i].equals(pairs[i - 2])) {
        return true;
      }
    }
    return false;
  }

  public void forEach(BiConsumer<String, String> action) {
    for (int i = 0; i < pairs.length; i += 2) {
      action.accept(pairs[i], pairs[i + 1]);
    }
  }

  public List<Label> asList() {
    List<Label> out = new ArrayList<>(size());
    for (int i = 0; i < pairs.length; i += 2) {
      out.add(new Label(pairs[i], pairs[i + 1]));
    }
    return Collections.unmodifiableList(out);
  }

  /** The labels as a sorted map (later duplicates win). */
  public Map<String, String> toMap() {
    Map<String, String> m = new TreeMap<>(Utf8Order.COMPARATOR);
    forEach(m::put);
    return m;
  }

  /** A builder starting from these labels. */
  public Builder toBuilder() {
    Builder b = new Builder();
    forEach(b::set);
    return b;
  }

  @Override
  public int compareTo(Labels o) {
    String[] a = pairs;
    String[] b = o.pairs;
    int n = Math.min(a.length, b.length);
    for (int i = 0; i < n; i++) {
      int c = Utf8Order.compare(a[i], b[i]);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.length, b.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Labels l && Arrays.equals(pairs, l.pairs);
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = Arrays.hashCode(pairs);
      hash = h;
    }
    return h;
  }

  /**
   * Prometheus' {@code labels.String()}: {@code {__name__="up", job="a"}}, values quoted
   * with Go's {@code strconv.Quote}, names quoted only when they are not legacy identifiers.
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(16 * size() + 2);
    b.append('{');
    for (int i = 0; i < pairs.length; i += 2) {
      if (i > 0) {
        b.append(", ");
      }
      if (isLegacyName(pairs[i])) {
        b.append(pairs[i]);
      } else {
        GoQuote.appendQuoted(b, pairs[i]);
      }
      b.append('=');
      GoQuote.appendQuoted(b, pairs[i + 1]);
    }
    return b.append('}').toString();
  }

  /** {@code ^[a-zA-Z_][a-zA-Z0-9_]*$}, Prometheus' legacy label name rule. */
  public static boolean isLegacyName(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Collects labels; {@link #set} replaces, an empty value deletes (Prometheus' builder). */
  public static final class Builder {
    private final TreeMap<String, String> map = new TreeMap<>(Utf8Order.COMPARATOR);

    private Builder() {}

    public Builder set(String name, String value) {
      if (value.isEmpty()) {
        map.remove(name);
      } else {
        map.put(name, value);
      }
      return this;
    }

    public Builder delete(String name) {
      map.remove(name);
      return this;
    }

    public Labels build() {
      if (map.isEmpty()) {
        return EMPTY;
      }
      String[] p = new String[map.size() * 2];
      int i = 0;
      for (Map.Entry<String, String> e : map.entrySet()) {
        p[i++] = e.getKey();
        p[i++] = e.getValue();
      }
      return new Labels(p);
    }
  }
}
