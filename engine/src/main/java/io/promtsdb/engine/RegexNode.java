package io.promtsdb.engine;

import java.util.List;

/**
 * The syntax tree of the part of RE2 syntax that {@link RegexShapes} recognises: enough to see
 * the shapes Prometheus optimises ({@code a|b|c}, {@code foo.*}, {@code .*foo.*}, {@code .+},
 * small character classes). Every node denotes exactly the set of strings RE2 would match
 * with the flags Prometheus uses ({@code (?s)}: {@code .} matches any code point, newline
 * included); capture groups and flag groups that change nothing are dropped.
 */
sealed interface RegexNode {

  /** A fixed string (adjacent literal characters merged). */
  record Literal(String text) implements RegexNode {}

  /** {@code .} with {@code (?s)}: any one code point. */
  record AnyChar() implements RegexNode {}

  /** A positive character class: code point ranges {@code lo0, hi0, lo1, hi1, ...}. */
  record CharClass(int[] ranges) implements RegexNode {
    int size() {
      int n = 0;
      for (int i = 0; i < ranges.length; i += 2) {
        n += ranges[i + 1] - ranges[i] + 1;
      }
      return n;
    }
  }

  /** {@code *}, {@code +} or {@code ?} (greedy or not: the set of matched strings is the same). */
  record Repeat(Kind kind, RegexNode sub) implements RegexNode {
    enum Kind {
      STAR,
      PLUS,
      QUEST
    }
  }

  /** A sequence of at least two nodes. */
  record Concat(List<RegexNode> subs) implements RegexNode {}

  /** An alternation of at least two nodes, in written order. */
  record Alternate(List<RegexNode> subs) implements RegexNode {}

  /** The empty string ({@code ()}, an empty alternative). */
  record Empty() implements RegexNode {}

  /** Whether {@code n} is {@code .*}, {@code .+} or {@code .?}. */
  static boolean isAnyRepeat(RegexNode n) {
    return n instanceof Repeat r && r.sub() instanceof AnyChar;
  }
}
