package io.promtsdb.engine;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.promtsdb.engine.RegexNode.Alternate;
import io.promtsdb.engine.RegexNode.CharClass;
import io.promtsdb.engine.RegexNode.Concat;
import io.promtsdb.engine.RegexNode.Empty;
import io.promtsdb.engine.RegexNode.Literal;
import io.promtsdb.engine.RegexNode.Repeat;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A Prometheus regex matcher: RE2 syntax, fully anchored, {@code (?s)}, i.e. Go's {@code
 * regexp.MustCompile("^(?s:" + expr + ")$")}, evaluated by RE2/J (linear time on any input),
 * with Prometheus' {@code FastRegexMatcher} shortcuts for the shapes that are common in
 * queries:
 *
 * <ul>
 *   <li>{@code a|b|c} of plain literals: a set of values, usable directly against postings;
 *   <li>finite languages up to 256 strings ({@code (api|rpc)_v[12]}) likewise;
 *   <li>{@code .*}, {@code .+}, {@code .?}, {@code foo.*}, {@code .*foo}, {@code .*foo.*},
 *       {@code (a|b).+} and alternations of such: string tests without a regex engine;
 *   <li>otherwise a literal prefix, suffix and inner literals filter before RE2/J runs.
 * </ul>
 *
 * Every shortcut is exact (the shape parser only accepts syntax whose meaning it knows; the
 * rest runs on RE2/J). Case-insensitive expressions always run on RE2/J: Go's and Java's case
 * folding differ on some code points ({@code ſ}, {@code K}), so a string shortcut could not be
 * proven equal.
 */
final class FastRegex {
  static final int MAX_SET_MATCHES = 256;
  static final int MULTI_EQUAL_THRESHOLD = 16;

  private final String expr;
  private final Pattern re; // null when a string matcher answers everything
  private final List<String> setMatches;
  private final StringMatcher stringMatcher;
  private final String prefix;
  private final String suffix;
  private final List<String> contains;
  private final boolean matchOnlySet;

  private FastRegex(
      String expr,
      Pattern re,
      List<String> setMatches,
      StringMatcher stringMatcher,
      String prefix,
      String suffix,
      List<String> contains,
      boolean matchOnlySet) {
    this.expr = expr;
    this.re = re;
    this.setMatches = setMatches;
    this.stringMatcher = stringMatcher;
    this.prefix = prefix;
    this.suffix = suffix;
    this.contains = contains;
    this.matchOnlySet = matchOnlySet;
  }

  /**
   * Compiles {@code expr}.
   *
   * @throws IllegalArgumentException with RE2's message ({@code error parsing regexp: ...})
   */
  static FastRegex compile(String expr) {
    FastRegex alternating = alternatingLiterals(expr);
    if (alternating != null) {
      return alternating;
    }
    Pattern re;
    try {
      Pattern.compile(expr); // the expression alone must be valid, as Go parses it alone
      re = Pattern.compile("^(?s:" + expr + ")$");
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    RegexNode tree = RegexShapes.parse(expr);
    if (tree == null) {
      return new FastRegex(expr, re, List.of(), null, "", "", List.of(), false);
    }
    String prefix = "";
    String suffix = "";
    List<String> contains = List.of();
    if (tree instanceof Concat c) {
      List<RegexNode> subs = c.subs();
      if (subs.get(0) instanceof Literal l) {
        prefix = l.text();
      }
      if (subs.get(subs.size() - 1) instanceof Literal l) {
        suffix = l.text();
      }
      List<String> inner = new ArrayList<>();
      for (int i = 1; i < subs.size() - 1; i++) {
        if (subs.get(i) instanceof Literal l) {
          inner.add(l.text());
        }
      }
      contains = List.copyOf(inner);
    }
    List<String> set = finiteLanguage(tree);
    StringMatcher sm = stringMatcher(tree);
    if (sm != null) {
      sm = StringMatcher.optimizeEqualOrPrefix(sm, MULTI_EQUAL_THRESHOLD);
    }
    boolean onlySet = !set.isEmpty();
    return new FastRegex(expr, sm != null || onlySet ? null : re, set, sm, prefix, suffix, contains, onlySet);
  }

  // Prometheus' optimizeAlternatingLiterals: "lit1|lit2|..." where no alternative contains a
  // metacharacter needs no parsing at all. The empty expression matches only "".
  private static FastRegex alternatingLiterals(String expr) {
    if (expr.isEmpty()) {
      return new FastRegex(expr, null, List.of(), new StringMatcher.Empty(), "", "", List.of(), false);
    }
    List<String> alts = new ArrayList<>();
    int from = 0;
    while (true) {
      int bar = expr.indexOf('|', from);
      String alt = bar < 0 ? expr.substring(from) : expr.substring(from, bar);
      if (!isPlainLiteral(alt)) {
        return null;
      }
      alts.add(alt);
      if (bar < 0) {
        break;
      }
      from = bar + 1;
    }
    List<String> distinct = List.copyOf(new LinkedHashSet<>(alts));
    StringMatcher sm =
        distinct.size() == 1
            ? new StringMatcher.Equal(distinct.get(0))
            : distinct.size() < MULTI_EQUAL_THRESHOLD
                ? new StringMatcher.Or(distinct.stream().<StringMatcher>map(StringMatcher.Equal::new).toList())
                : new StringMatcher.MultiEqual(Set.copyOf(distinct), java.util.Map.of(), 0);
    List<String> set = distinct.size() >= MAX_SET_MATCHES ? List.of() : distinct;
    return new FastRegex(expr, null, set, sm, "", "", List.of(), false);
  }

  // Go's regexp.QuoteMeta(s) == s: no character RE2 treats specially.
  private static boolean isPlainLiteral(String s) {
    for (int i = 0; i < s.length(); i++) {
      switch (s.charAt(i)) {
        case '\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$':
          return false;
        default:
          break;
      }
    }
    return true;
  }

  /**
   * The strings {@code n} matches if they are few (at most 256) and none is empty; an empty
   * list otherwise. Prometheus uses the same bound and also gives up on a language containing
   * the empty string, which postings cannot represent.
   */
  static List<String> finiteLanguage(RegexNode n) {
    List<String> out = expand(n, List.of(""));
    if (out == null || out.isEmpty()) {
      return List.of();
    }
    LinkedHashSet<String> distinct = new LinkedHashSet<>(out);
    if (distinct.contains("")) {
      return List.of();
    }
    return List.copyOf(distinct);
  }

  private static List<String> expand(RegexNode n, List<String> bases) {
    if (n instanceof Literal l) {
      List<String> out = new ArrayList<>(bases.size());
      for (String b : bases) {
        out.add(b + l.text());
      }
      return out;
    }
    if (n instanceof Empty) {
      return bases;
    }
    if (n instanceof CharClass c) {
      if ((long) c.size() * bases.size() > MAX_SET_MATCHES) {
        return null;
      }
      List<String> out = new ArrayList<>();
      for (String b : bases) {
        int[] r = c.ranges();
        for (int i = 0; i < r.length; i += 2) {
          for (int cp = r[i]; cp <= r[i + 1]; cp++) {
            out.add(b + new String(Character.toChars(cp)));
          }
        }
      }
      return out;
    }
    if (n instanceof Concat c) {
      List<String> cur = bases;
      for (RegexNode s : c.subs()) {
        cur = expand(s, cur);
        if (cur == null || cur.size() > MAX_SET_MATCHES) {
          return null;
        }
      }
      return cur;
    }
    if (n instanceof Alternate a) {
      List<String> out = new ArrayList<>();
      for (RegexNode s : a.subs()) {
        List<String> part = expand(s, bases);
        if (part == null || out.size() + part.size() > MAX_SET_MATCHES) {
          return null;
        }
        out.addAll(part);
      }
      return out;
    }
    return null;
  }

  /** Prometheus' {@code stringMatcherFromRegexpInternal} on our tree; null when no shape fits. */
  static StringMatcher stringMatcher(RegexNode n) {
    if (n instanceof Repeat r) {
      if (!(r.sub() instanceof RegexNode.AnyChar)) {
        return null;
      }
      return switch (r.kind()) {
        case STAR -> new StringMatcher.Any();
        case PLUS -> new StringMatcher.AnyNonEmpty();
        case QUEST -> new StringMatcher.ZeroOrOneChar();
      };
    }
    if (n instanceof Empty) {
      return new StringMatcher.Empty();
    }
    if (n instanceof Literal l) {
      return new StringMatcher.Equal(l.text());
    }
    if (n instanceof Alternate a) {
      List<StringMatcher> or = new ArrayList<>();
      for (RegexNode s : a.subs()) {
        StringMatcher m = stringMatcher(s);
        if (m == null) {
          return null;
        }
        or.add(m);
      }
      return new StringMatcher.Or(List.copyOf(or));
    }
    if (n instanceof Concat c) {
      List<RegexNode> subs = new ArrayList<>(c.subs());
      StringMatcher left = null;
      StringMatcher right = null;
      if (subs.get(0) instanceof Repeat) {
        left = stringMatcher(subs.get(0));
        if (left == null) {
          return null;
        }
        subs.remove(0);
      }
      if (!subs.isEmpty() && subs.get(subs.size() - 1) instanceof Repeat) {
        right = stringMatcher(subs.get(subs.size() - 1));
        if (right == null) {
          return null;
        }
        subs.remove(subs.size() - 1);
      }
      if (subs.isEmpty()) {
        return null; // ".*.*" and the like: rare, leave them to RE2/J
      }
      RegexNode middle = subs.size() == 1 ? subs.get(0) : new Concat(List.copyOf(subs));
      List<String> matches = finiteLanguageOrNull(middle);
      if (matches == null && subs.size() == 2) {
        if (right == null && subs.get(0) instanceof Literal l) {
          right = stringMatcher(subs.get(1));
          if (right != null) {
            matches = List.of(l.text());
          }
        } else if (left == null && subs.get(1) instanceof Literal l) {
          left = stringMatcher(subs.get(0));
          if (left != null) {
            matches = List.of(l.text());
          }
        }
      }
      if (matches == null || matches.isEmpty()) {
        return null;
      }
      if (left == null && right == null) {
        return new StringMatcher.Or(matches.stream().<StringMatcher>map(StringMatcher.Equal::new).toList());
      }
      if (left == null && matches.size() == 1) {
        return new StringMatcher.LiteralPrefix(matches.get(0), right);
      }
      if (right == null && matches.size() == 1) {
        return new StringMatcher.LiteralSuffix(left, matches.get(0));
      }
      return new StringMatcher.Contains(matches, left, right);
    }
    return null;
  }

  // Like finiteLanguage, but keeps the empty string: inside a concatenation "" is just a
  // possible middle part (".*(|a)b" is fine).
  private static List<String> finiteLanguageOrNull(RegexNode n) {
    List<String> out = expand(n, List.of(""));
    if (out == null || out.isEmpty()) {
      return null;
    }
    return List.copyOf(new LinkedHashSet<>(out));
  }

  boolean matches(String s) {
    if (matchOnlySet && stringMatcher == null) {
      return setMatches.contains(s);
    }
    if (re == null) {
      return stringMatcher.matches(s);
    }
    if (!prefix.isEmpty() && !s.startsWith(prefix)) {
      return false;
    }
    if (!suffix.isEmpty() && !s.endsWith(suffix)) {
      return false;
    }
    if (!contains.isEmpty() && !containsInOrder(s, contains)) {
      return false;
    }
    return re.matches(s);
  }

  private static boolean containsInOrder(String s, List<String> subs) {
    int from = 0;
    for (String sub : subs) {
      int at = s.indexOf(sub, from);
      if (at < 0) {
        return false;
      }
      from = at + sub.length();
    }
    return true;
  }

  String expr() {
    return expr;
  }

  /** The finite set of values this expression matches, or empty when it is not small and finite. */
  List<String> setMatches() {
    return setMatches;
  }

  /** A literal every matching value starts with, or {@code ""}. */
  String prefix() {
    return prefix;
  }

  /** Whether a shortcut applies (the matcher does not only run RE2/J). */
  boolean isOptimized() {
    return re == null || !setMatches.isEmpty() || !prefix.isEmpty() || !suffix.isEmpty() || !contains.isEmpty();
  }

  StringMatcher stringMatcher() {
    return stringMatcher;
  }
}
