package io.promtsdb.engine;

import io.promtsdb.core.Labels;
import io.promtsdb.core.Utf8Order;
import io.promtsdb.index.Postings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The series references selected by a set of matchers, with Prometheus' rules
 * (tsdb/querier.go {@code PostingsForMatchers}):
 *
 * <ul>
 *   <li>a matcher that matches the empty string also selects series without the label
 *       ({@code env=""}, {@code env=~"|prod"}, {@code env!="prod"}), which is computed by
 *       subtracting the series that carry a non-matching value;
 *   <li>matchers that cannot match the empty string are intersected; {@code =~".+"} takes
 *       every value of the label; set matchers ({@code a|b|c}) look their values up directly;
 *   <li>a set of only negative/empty-matching matchers starts from all series;
 *   <li>{@code !~".*"} selects nothing; no matchers at all select nothing.
 * </ul>
 */
final class PostingsForMatchers {
  private PostingsForMatchers() {}

  static Postings select(IndexView ix, List<Matcher> ms) throws IOException {
    if (ms.size() == 1 && ms.get(0).name().isEmpty() && ms.get(0).value().isEmpty()) {
      return ix.allPostings();
    }
    Set<String> labelMustBeSet = new HashSet<>();
    for (Matcher m : ms) {
      if (!m.matchesEmpty()) {
        labelMustBeSet.add(m.name());
      }
    }
    List<Matcher> intersecting = new ArrayList<>();
    List<Matcher> subtracting = new ArrayList<>();
    for (Matcher m : ms) {
      if (isSubtracting(m, labelMustBeSet)) {
        subtracting.add(m);
      } else {
        intersecting.add(m);
      }
    }
    List<Postings> its = new ArrayList<>();
    List<Postings> notIts = new ArrayList<>();
    if (!subtracting.isEmpty() && intersecting.isEmpty()) {
      // Nothing to subtract from: start with everything.
      its.add(ix.allPostings());
    }
    List<Matcher> ordered = new ArrayList<>(intersecting);
    ordered.addAll(subtracting);
    for (Matcher m : ordered) {
      MatchType t = m.type();
      if (m.name().isEmpty() && m.value().isEmpty()) {
        throw new IllegalArgumentException("unexpected all postings");
      } else if (t == MatchType.REGEX && m.value().equals(".*")) {
        // matches everything
      } else if (t == MatchType.NOT_REGEX && m.value().equals(".*")) {
        return Postings.empty();
      } else if (t == MatchType.REGEX && m.value().equals(".+")) {
        Postings it = ix.postingsForAllLabelValues(m.name());
        if (Postings.isEmptyInstance(it)) {
          return Postings.empty();
        }
        its.add(it);
      } else if (t == MatchType.NOT_REGEX && m.value().equals(".+")) {
        notIts.add(ix.postingsForAllLabelValues(m.name()));
      } else if (labelMustBeSet.contains(m.name())) {
        boolean matchesEmpty = m.matchesEmpty();
        boolean isNot = t.isNegative();
        if (isNot && matchesEmpty) { // l!="foo": subtract the series with l="foo"
          notIts.add(postingsForMatcher(ix, m.inverse()));
        } else if (isNot) { // l!="": the series carrying a value the inverse rejects
          Postings it = inversePostingsForMatcher(ix, m.inverse());
          if (Postings.isEmptyInstance(it)) {
            return Postings.empty();
          }
          its.add(it);
        } else { // l="a", l=~"a|b", l=~"a.b"
          Postings it = postingsForMatcher(ix, m);
          if (Postings.isEmptyInstance(it)) {
            return Postings.empty();
          }
          its.add(it);
        }
      } else { // l="": also the series without the label
        notIts.add(inversePostingsForMatcher(ix, m));
      }
    }
    Postings it = Postings.intersect(its);
    for (Postings n : notIts) {
      it = Postings.without(it, n);
    }
    return it;
  }

  private static boolean isSubtracting(Matcher m, Set<String> labelMustBeSet) {
    if (!labelMustBeSet.contains(m.name())) {
      return true;
    }
    return m.type().isNegative() && m.matchesEmpty();
  }

  // Series with the label set to a matching value; never series without the label.
  static Postings postingsForMatcher(IndexView ix, Matcher m) throws IOException {
    if (m.type() == MatchType.EQUAL) {
      return ix.postings(m.name(), List.of(m.value()));
    }
    if (m.type() == MatchType.REGEX) {
      List<String> set = m.setMatches();
      if (!set.isEmpty()) {
        return ix.postings(m.name(), set);
      }
    }
    return ix.postingsForLabelMatching(m.name(), m::matches);
  }

  // Series with the label set to a value the matcher rejects.
  static Postings inversePostingsForMatcher(IndexView ix, Matcher m) throws IOException {
    if (m.type() == MatchType.NOT_REGEX) {
      List<String> set = m.setMatches();
      if (!set.isEmpty()) {
        return ix.postings(m.name(), set);
      }
    }
    if (m.type() == MatchType.NOT_EQUAL) {
      return ix.postings(m.name(), List.of(m.value()));
    }
    if (m.value().isEmpty() && (m.type() == MatchType.REGEX || m.type() == MatchType.EQUAL)) {
      return ix.postingsForAllLabelValues(m.name());
    }
    return ix.postingsForLabelMatching(m.name(), s -> !m.matches(s));
  }

  /** Values of {@code name} among the series the matchers select (Go's labelValuesWithMatchers). */
  static List<String> labelValues(IndexView ix, String name, List<Matcher> ms) throws IOException {
    List<String> all = ix.labelValues(name);
    boolean otherLabels = false;
    for (Matcher m : ms) {
      if (!m.name().equals(name)) {
        otherLabels = true;
        continue;
      }
      List<String> filtered = new ArrayList<>(all.size());
      for (String v : all) {
        if (m.matches(v)) {
          filtered.add(v);
        }
      }
      all = filtered;
    }
    if (all.isEmpty() || !otherLabels) {
      return all;
    }
    long[] selected = Postings.expand(select(ix, ms));
    List<String> out = new ArrayList<>();
    for (String v : all) {
      Postings p = ix.postings(name, List.of(v));
      if (intersects(p, selected)) {
        out.add(v);
      }
    }
    return out;
  }

  private static boolean intersects(Postings p, long[] sorted) {
    int i = 0;
    for (long r = p.next(); r != Postings.END && i < sorted.length; r = p.next()) {
      while (i < sorted.length && sorted[i] < r) {
        i++;
      }
      if (i < sorted.length && sorted[i] == r) {
        return true;
      }
    }
    return false;
  }

  /** Label names of the series the matchers select (all names when there are no matchers). */
  static List<String> labelNames(IndexView ix, List<Matcher> ms) throws IOException {
    if (ms.isEmpty()) {
      return ix.labelNames();
    }
    Postings p = select(ix, ms);
    TreeSet<String> names = new TreeSet<>(Utf8Order.COMPARATOR);
    for (long r = p.next(); r != Postings.END; r = p.next()) {
      Labels l = ix.series(r, null);
      if (l != null) {
        for (int i = 0; i < l.size(); i++) {
          names.add(l.name(i));
        }
      }
    }
    return new ArrayList<>(names);
  }
}
