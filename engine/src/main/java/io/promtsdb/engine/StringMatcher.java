package io.promtsdb.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A string test that replaces a regular expression of a known shape: Prometheus' {@code
 * StringMatcher} family (model/labels/regexp.go), case-sensitive forms only. Each variant
 * matches exactly the strings of the expression it was built from, evaluated with RE2
 * semantics and {@code (?s)} ({@code .} is one code point, newline included).
 */
sealed interface StringMatcher {
  boolean matches(String s);

  /** {@code ""}. */
  record Empty() implements StringMatcher {
    @Override
    public boolean matches(String s) {
      return s.isEmpty();
    }
  }

  /** {@code .*}. */
  record Any() implements StringMatcher {
    @Override
    public boolean matches(String s) {
      return true;
    }
  }

  /** {@code .+}. */
  record AnyNonEmpty() implements StringMatcher {
    @Override
    public boolean matches(String s) {
      return !s.isEmpty();
    }
  }

  /** {@code .?}: at most one code point. */
  record ZeroOrOneChar() implements StringMatcher {
    @Override
    public boolean matches(String s) {
      int n = s.length();
      return n == 0
          || n == 1
          || (n == 2 && Character.isHighSurrogate(s.charAt(0)) && Character.isLowSurrogate(s.charAt(1)));
    }
  }

  /** A literal. */
  record Equal(String value) implements StringMatcher {
    @Override
    public boolean matches(String s) {
      return value.equals(s);
    }
  }

  /** Any of the sub-matchers. */
  record Or(List<StringMatcher> subs) implements StringMatcher {
    @Override
    public boolean matches(String s) {
      for (StringMatcher m : subs) {
        if (m.matches(s)) {
          return true;
        }
      }
      return false;
    }
  }

  /** A literal prefix, then {@code right} on the rest. */
  record LiteralPrefix(String prefix, StringMatcher right) implements StringMatcher {
    @Override
    public boolean matches(String s) {
      return s.startsWith(prefix) && right.matches(s.substring(prefix.length()));
    }
  }

  /** {@code left} on the start, then a literal suffix. */
  record LiteralSuffix(StringMatcher left, String suffix) implements StringMatcher {
    @Override
    public boolean matches(String s) {
      return s.endsWith(suffix) && left.matches(s.substring(0, s.length() - suffix.length()));
    }
  }

  /**
   * One of {@code substrings} somewhere, with {@code left} matching what precedes it and
   * {@code right} what follows (either may be null, meaning nothing may precede or follow).
   */
  record Contains(List<String> substrings, StringMatcher left, StringMatcher right)
      implements StringMatcher {
    @Override
    public boolean matches(String s) {
      for (String sub : substrings) {
        if (left != null && right != null) {
          int from = 0;
          while (true) {
            int at = s.indexOf(sub, from);
            if (at < 0) {
              break;
            }
            if (left.matches(s.substring(0, at)) && right.matches(s.substring(at + sub.length()))) {
              return true;
            }
            from = at + 1;
          }
        } else if (left != null) {
          if (s.endsWith(sub) && left.matches(s.substring(0, s.length() - sub.length()))) {
            return true;
          }
        } else if (right != null) {
          if (s.startsWith(sub) && right.matches(s.substring(sub.length()))) {
            return true;
          }
        }
      }
      return false;
    }
  }

  /**
   * Many literals and literal-prefix matchers, looked up by hash: what Prometheus builds for
   * alternations of 16 or more literals ({@code equalMultiStringMapMatcher}).
   */
  final class MultiEqual implements StringMatcher {
    private final Set<String> values;
    private final Map<String, List<StringMatcher>> prefixes;
    private final int minPrefixLen;

    MultiEqual(Set<String> values, Map<String, List<StringMatcher>> prefixes, int minPrefixLen) {
      this.values = values;
      this.prefixes = prefixes;
      this.minPrefixLen = minPrefixLen;
    }

    @Override
    public boolean matches(String s) {
      if (values.contains(s)) {
        return true;
      }
      if (minPrefixLen > 0 && s.length() >= minPrefixLen) {
        List<StringMatcher> ms = prefixes.get(s.substring(0, minPrefixLen));
        if (ms != null) {
          for (StringMatcher m : ms) {
            if (m.matches(s)) {
              return true;
            }
          }
        }
      }
      return false;
    }

    /** The literals, when there are no prefix matchers; null otherwise. */
    List<String> literals() {
      return prefixes.isEmpty() ? new ArrayList<>(values) : null;
    }

    @Override
    public String toString() {
      return "MultiEqual" + values + prefixes.keySet();
    }
  }

  /**
   * Prometheus' {@code optimizeEqualOrPrefixStringMatchers}: an alternation made only of
   * literals and literal prefixes, with at least {@code threshold} of them, becomes a hash
   * lookup. Prefixes are keyed by their first {@code minPrefixLen} chars (the shortest prefix
   * length); a prefix matcher is then checked on the whole string.
   */
  static StringMatcher optimizeEqualOrPrefix(StringMatcher input, int threshold) {
    List<String> equals = new ArrayList<>();
    List<LiteralPrefix> prefixed = new ArrayList<>();
    if (!collectEqualOrPrefix(input, equals, prefixed)) {
      return input;
    }
    if (equals.size() + prefixed.size() < threshold) {
      return input;
    }
    int minLen = 0;
    for (LiteralPrefix lp : prefixed) {
      if (minLen == 0 || lp.prefix().length() < minLen) {
        minLen = lp.prefix().length();
      }
    }
    if (!prefixed.isEmpty() && minLen == 0) {
      return input; // an empty prefix cannot be keyed
    }
    Map<String, List<StringMatcher>> byPrefix = new HashMap<>();
    for (LiteralPrefix lp : prefixed) {
      byPrefix.computeIfAbsent(lp.prefix().substring(0, minLen), k -> new ArrayList<>()).add(lp);
    }
    return new MultiEqual(new HashSet<>(equals), byPrefix, minLen);
  }

  private static boolean collectEqualOrPrefix(
      StringMatcher m, List<String> equals, List<LiteralPrefix> prefixed) {
    if (!(m instanceof Or or)) {
      return false;
    }
    for (StringMatcher s : or.subs()) {
      if (s instanceof Or) {
        if (!collectEqualOrPrefix(s, equals, prefixed)) {
          return false;
        }
      } else if (s instanceof Equal e) {
        equals.add(e.value());
      } else if (s instanceof LiteralPrefix lp) {
        prefixed.add(lp);
      } else {
        return false;
      }
    }
    return true;
  }
}
