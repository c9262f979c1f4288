package io.promtsdb.engine;

import io.promtsdb.engine.RegexNode.Alternate;
import io.promtsdb.engine.RegexNode.AnyChar;
import io.promtsdb.engine.RegexNode.CharClass;
import io.promtsdb.engine.RegexNode.Concat;
import io.promtsdb.engine.RegexNode.Empty;
import io.promtsdb.engine.RegexNode.Literal;
import io.promtsdb.engine.RegexNode.Repeat;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the subset of RE2 syntax whose meaning is simple enough to optimise without a regex
 * engine: literals (and punctuation escaped with a backslash), {@code .}, {@code *}, {@code
 * +}, {@code ?} (greedy or lazy), groups ({@code (...)}, {@code (?:...)}, {@code (?s:...)}),
 * alternation, and positive character classes of literals and ranges.
 *
 * <p>RE2/J's parser is not public API, so Prometheus' {@code FastRegexMatcher}, which walks
 * Go's parse tree, cannot be ported directly; this parser recognises the same shapes. It is
 * only ever given patterns RE2/J has already accepted, and returns {@code null} for anything
 * outside the subset (anchors, {@code \d}, {@code (?i)}, repetition counts, negated classes,
 * named groups, ...), which then runs on RE2/J unoptimised: the subset only decides speed,
 * never the answer.
 */
final class RegexShapes {
  private final String p;
  private int pos;
  private int depth;

  private RegexShapes(String pattern) {
    this.p = pattern;
  }

  /** The tree of {@code pattern}, or {@code null} if it uses syntax outside the subset. */
  static RegexNode parse(String pattern) {
    RegexShapes s = new RegexShapes(pattern);
    try {
      RegexNode n = s.alternation();
      if (s.pos != pattern.length()) {
        return null;
      }
      return n;
    } catch (Unsupported e) {
      return null;
    }
  }

  private static final class Unsupported extends Exception {
    private static final long serialVersionUID = 1L;

    Unsupported() {
      super(null, null, false, false);
    }
  }

  private static final Unsupported UNSUPPORTED = new Unsupported();

  private boolean more() {
    return pos < p.length();
  }

  private int peek() {
    return p.codePointAt(pos);
  }

  private RegexNode alternation() throws Unsupported {
    List<RegexNode> branches = new ArrayList<>();
    branches.add(concatenation());
    while (more() && peek() == '|') {
      pos++;
      branches.add(concatenation());
    }
    return branches.size() == 1 ? branches.get(0) : new Alternate(List.copyOf(branches));
  }

  private RegexNode concatenation() throws Unsupported {
    List<RegexNode> items = new ArrayList<>();
    while (more()) {
      int c = peek();
      if (c == '|' || c == ')') {
        break;
      }
      if (c == '(' && flagsOnlyGroup()) {
        continue;
      }
      // Anchors at the ends of a top-level alternative are no-ops: Prometheus anchors the
      // whole expression anyway, and without (?m) "$" means end of text.
      if (c == '^' && depth == 0 && items.isEmpty()) {
        pos++;
        continue;
      }
      if (c == '$' && depth == 0 && (pos + 1 == p.length() || p.charAt(pos + 1) == '|')) {
        pos++;
        continue;
      }
      RegexNode atom = atom();
      while (more() && (peek() == '*' || peek() == '+' || peek() == '?')) {
        int op = peek();
        pos++;
        if (more() && peek() == '?') {
          pos++; // lazy: the same set of strings
        }
        if (atom instanceof Repeat || atom instanceof Empty) {
          throw UNSUPPORTED; // RE2 rejects "**"; "()*" is legal but pointless
        }
        Repeat.Kind kind =
            op == '*' ? Repeat.Kind.STAR : op == '+' ? Repeat.Kind.PLUS : Repeat.Kind.QUEST;
        if (atom instanceof Literal l && l.text().codePointCount(0, l.text().length()) > 1) {
          throw UNSUPPORTED; // cannot happen: atoms are single characters or groups
        }
        atom = new Repeat(kind, atom);
      }
      if (more() && peek() == '{') {
        throw UNSUPPORTED; // counted repetition, or a literal brace: leave it to RE2
      }
      add(items, atom);
    }
    if (items.isEmpty()) {
      return new Empty();
    }
    return items.size() == 1 ? items.get(0) : new Concat(List.copyOf(items));
  }

  // Flattens nested concatenations, drops empty matches and merges adjacent literals.
  private static void add(List<RegexNode> items, RegexNode n) {
    if (n instanceof Concat c) {
      for (RegexNode s : c.subs()) {
        add(items, s);
      }
      return;
    }
    if (n instanceof Empty) {
      return;
    }
    if (n instanceof Literal l && !items.isEmpty() && items.get(items.size() - 1) instanceof Literal prev) {
      items.set(items.size() - 1, new Literal(prev.text() + l.text()));
      return;
    }
    items.add(n);
  }

  // "(?s)", "(?U)" and their combinations change nothing for a Prometheus matcher: the whole
  // expression is already matched with (?s), and laziness does not change which strings
  // match. (?m) would turn ^ and $ into line anchors, so it is not in the subset.
  private boolean flagsOnlyGroup() throws Unsupported {
    if (!p.startsWith("(?", pos)) {
      return false;
    }
    int i = pos + 2;
    while (i < p.length() && isHarmlessFlag(p.charAt(i))) {
      i++;
    }
    if (i < p.length() && p.charAt(i) == ')' && i > pos + 2) {
      pos = i + 1;
      return true;
    }
    return false;
  }

  private static boolean isHarmlessFlag(char c) {
    return c == 's' || c == 'U';
  }

  private RegexNode atom() throws Unsupported {
    int c = peek();
    switch (c) {
      case '(' -> {
        pos++;
        if (more() && peek() == '?') {
          pos++;
          while (more() && isHarmlessFlag((char) peek())) {
            pos++;
          }
          if (!more() || peek() != ':') {
            throw UNSUPPORTED; // (?i), (?-s), (?P<name>...), ...
          }
          pos++;
        }
        depth++;
        RegexNode inner = alternation();
        depth--;
        if (!more() || peek() != ')') {
          throw UNSUPPORTED;
        }
        pos++;
        return inner;
      }
      case '.' -> {
        pos++;
        return new AnyChar();
      }
      case '[' -> {
        pos++;
        return charClass();
      }
      case '\\' -> {
        pos++;
        if (!more()) {
          throw UNSUPPORTED;
        }
        int e = peek();
        if (!isEscapablePunct(e)) {
          throw UNSUPPORTED; // \d, \pL, \Q...\E, \n, \x41, ...
        }
        pos++;
        return new Literal(String.valueOf((char) e));
      }
      case '^', '$', '{', '}', ']', ')', '*', '+', '?', '|' -> throw UNSUPPORTED;
      default -> {
        pos += Character.charCount(c);
        return new Literal(new String(Character.toChars(c)));
      }
    }
  }

  // RE2: a backslash before any ASCII punctuation character is that character.
  private static boolean isEscapablePunct(int c) {
    return c < 0x80
        && ((c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`')
            || (c >= '{' && c <= '~'));
  }

  private RegexNode charClass() throws Unsupported {
    List<Integer> ranges = new ArrayList<>();
    if (!more() || peek() == '^' || peek() == ']') {
      throw UNSUPPORTED; // negated, or a leading literal ']'
    }
    while (true) {
      if (!more()) {
        throw UNSUPPORTED;
      }
      int c = peek();
      if (c == ']') {
        pos++;
        break;
      }
      int lo = classChar();
      int hi = lo;
      if (more() && peek() == '-' && pos + 1 < p.length() && p.charAt(pos + 1) != ']') {
        pos++;
        hi = classChar();
        if (hi < lo) {
          throw UNSUPPORTED;
        }
      }
      ranges.add(lo);
      ranges.add(hi);
    }
    int[] r = new int[ranges.size()];
    for (int i = 0; i < r.length; i++) {
      r[i] = ranges.get(i);
    }
    if (r.length == 2 && r[0] == r[1]) {
      return new Literal(new String(Character.toChars(r[0])));
    }
    return new CharClass(r);
  }

  private int classChar() throws Unsupported {
    int c = peek();
    if (c == '[') {
      throw UNSUPPORTED; // [:alpha:] and friends
    }
    if (c == '\\') {
      pos++;
      if (!more() || !isEscapablePunct(peek())) {
        throw UNSUPPORTED;
      }
      c = peek();
    }
    pos += Character.charCount(c);
    return c;
  }
}
