package io.promtsdb.engine;

import io.promtsdb.core.Labels;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import io.promtsdb.core.GoQuote;

/**
 * Parses PromQL series selectors into label matchers, as {@code promtool tsdb dump --match}
 * does (Go's {@code parser.ParseMetricSelector}): {@code up}, {@code {job="api"}}, {@code
 * up{job=~"a|b",env!=""}}, {@code {"my.metric",le="0.5"}} (a quoted metric name, Prometheus
 * 3), {@code {"my.label"="x"}}.
 *
 * <p>Strings may be quoted with {@code "}, {@code '} or backticks, with Go's escapes ({@code
 * \n}, {@code \"}, {@code \x41}, {@code \u00e9}, {@code \101}; none in backticks). A trailing
 * comma and {@code #} comments inside the braces are allowed. As in {@code
 * ParseMetricSelector}, a selector is not required to contain a non-empty matcher: {@code {}}
 * selects nothing.
 *
 * <p>Errors are reported as {@link InvalidSelectorException}, with Go's {@code line:column:
 * parse error: ...} prefix.
 */
public final class MetricSelectors {
  private static final Set<String> NOT_METRIC_NAMES =
      Set.of("on", "ignoring", "group_left", "group_right", "bool", "atan2", "inf", "nan");

  private final String in;
  private int pos;

  private MetricSelectors(String in) {
    this.in = in;
  }

  /** A selector that does not parse. */
  public static final class InvalidSelectorException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int column;

    InvalidSelectorException(int column, String detail) {
      super("1:" + column + ": parse error: " + detail);
      this.column = column;
    }

    /** The 1-based column (in characters) where the problem was found. */
    public int column() {
      return column;
    }
  }

  /** The matchers of one selector. */
  public static List<Matcher> parse(String selector) {
    MetricSelectors p = new MetricSelectors(selector);
    return p.selector();
  }

  /** The matchers of each selector, in order ({@code ParseMetricSelectors}). */
  public static List<List<Matcher>> parseAll(List<String> selectors) {
    List<List<Matcher>> out = new ArrayList<>(selectors.size());
    for (String s : selectors) {
      out.add(parse(s));
    }
    return out;
  }

  private InvalidSelectorException error(int at, String detail) {
    return new InvalidSelectorException(at + 1, detail);
  }

  private List<Matcher> selector() {
    skipSpace();
    String name = null;
    if (pos < in.length() && (isAlpha(in.charAt(pos)) || in.charAt(pos) == ':')) {
      int start = pos;
      while (pos < in.length() && (isAlphaNumeric(in.charAt(pos)) || in.charAt(pos) == ':')) {
        pos++;
      }
      name = in.substring(start, pos);
      if (NOT_METRIC_NAMES.contains(name.toLowerCase(Locale.ROOT))) {
        throw unexpectedOutside(start);
      }
      skipSpace();
    }
    List<Matcher> matchers = new ArrayList<>();
    if (pos < in.length() && in.charAt(pos) == '{') {
      pos++;
      braces(matchers);
      skipSpace();
    } else if (name == null) {
      if (pos >= in.length()) {
        throw error(pos, "unexpected end of input");
      }
      throw unexpectedOutside(pos);
    }
    if (pos < in.length()) {
      throw unexpectedOutside(pos);
    }
    if (name != null) {
      // Appended last, as Go's assembleVectorSelector does. A second __name__ matcher inside
      // the braces is kept too: ParseMetricSelector does not run checkAST.
      matchers.add(Matcher.equal(Labels.METRIC_NAME, name));
    }
    return matchers;
  }

  private void braces(List<Matcher> out) {
    boolean needComma = false;
    while (true) {
      skipSpace();
      if (pos >= in.length()) {
        throw error(pos, "unexpected end of input inside braces");
      }
      char c = in.charAt(pos);
      if (c == '}') {
        pos++;
        return;
      }
      if (needComma) {
        if (c != ',') {
          throw error(pos, "unexpected " + describeInside(pos) + " in label matching, expected \",\" or \"}\"");
        }
        pos++;
        needComma = false;
        continue;
      }
      if (c == ',' || c == '=' || c == '!') {
        throw error(pos, "unexpected " + describeInside(pos) + " in label matching, expected identifier or \"}\"");
      }
      if (c == '{') {
        throw error(pos, "unexpected left brace '{'");
      }
      int nameAt = pos;
      String label;
      boolean quotedName;
      if (isAlpha(c)) {
        int start = pos;
        while (pos < in.length() && isAlphaNumeric(in.charAt(pos))) {
          pos++;
        }
        label = in.substring(start, pos);
        quotedName = false;
      } else if (c == '"' || c == '\'' || c == '`') {
        label = string();
        quotedName = true;
      } else {
        throw error(pos, "unexpected character inside braces: " + quoteRune(in.codePointAt(pos)));
      }
      skipSpace();
      MatchType type = operator();
      if (type == null) {
        if (quotedName) {
          out.add(Matcher.equal(Labels.METRIC_NAME, label));
          needComma = true;
          continue;
        }
        if (pos >= in.length()) {
          throw error(pos, "unexpected end of input inside braces");
        }
        throw error(pos, "unexpected " + describeInside(pos) + " in label matching, expected label matching operator");
      }
      skipSpace();
      if (pos >= in.length()) {
        throw error(pos, "unexpected end of input inside braces");
      }
      char q = in.charAt(pos);
      if (q != '"' && q != '\'' && q != '`') {
        throw error(pos, "unexpected " + describeInside(pos) + " in label matching, expected string");
      }
      String value = string();
      try {
        out.add(Matcher.of(type, label, value));
      } catch (IllegalArgumentException e) {
        throw new InvalidSelectorException(nameAt + 1, e.getMessage());
      }
      needComma = true;
    }
  }

  private MatchType operator() {
    if (pos >= in.length()) {
      return null;
    }
    char c = in.charAt(pos);
    char d = pos + 1 < in.length() ? in.charAt(pos + 1) : 0;
    if (c == '=') {
      if (d == '~') {
        pos += 2;
        return MatchType.REGEX;
      }
      pos++;
      return MatchType.EQUAL;
    }
    if (c == '!') {
      if (d == '~') {
        pos += 2;
        return MatchType.NOT_REGEX;
      }
      if (d == '=') {
        pos += 2;
        return MatchType.NOT_EQUAL;
      }
      throw error(pos, "unexpected character after '!' inside braces: " + quoteRune(d == 0 ? -1 : in.codePointAt(pos + 1)));
    }
    return null;
  }

  // A quoted string at pos, unquoted with Go's rules (strconv.Unquote as PromQL's lexer and
  // strutil.Unquote apply them). Escapes yield bytes (\xff is one byte), so the result is
  // assembled as UTF-8 and decoded once.
  private String string() {
    int start = pos;
    char quote = in.charAt(pos++);
    if (quote == '`') {
      int end = in.indexOf('`', pos);
      if (end < 0) {
        throw error(start, "unterminated raw string");
      }
      String s = in.substring(pos, end);
      pos = end + 1;
      return s;
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    while (true) {
      if (pos >= in.length()) {
        throw error(start, "unterminated quoted string");
      }
      int c = in.codePointAt(pos);
      if (c == '\n') {
        throw error(start, "unterminated quoted string");
      }
      if (c == quote) {
        pos++;
        break;
      }
      if (c != '\\') {
        byte[] b = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
        buf.write(b, 0, b.length);
        pos += Character.charCount(c);
        continue;
      }
      pos++;
      if (pos >= in.length()) {
        throw error(start, "escape sequence not terminated");
      }
      char e = in.charAt(pos++);
      switch (e) {
        case 'a' -> buf.write(7);
        case 'b' -> buf.write(8);
        case 'f' -> buf.write(12);
        case 'n' -> buf.write(10);
        case 'r' -> buf.write(13);
        case 't' -> buf.write(9);
        case 'v' -> buf.write(11);
        case '\\' -> buf.write('\\');
        case '0', '1', '2', '3', '4', '5', '6', '7' -> {
          pos--;
          int v = digits(start, 3, 8);
          if (v > 255) {
            throw error(start, "escape sequence is an invalid Unicode code point");
          }
          buf.write(v);
        }
        case 'x' -> buf.write(digits(start, 2, 16));
        case 'u', 'U' -> {
          int v = digits(start, e == 'u' ? 4 : 8, 16);
          if (v > Character.MAX_CODE_POINT || (v >= 0xD800 && v < 0xE000) || v < 0) {
            throw error(start, "escape sequence is an invalid Unicode code point");
          }
          byte[] b = new String(Character.toChars(v)).getBytes(StandardCharsets.UTF_8);
          buf.write(b, 0, b.length);
        }
        default -> {
          if (e == quote) {
            buf.write(e);
          } else {
            throw error(start, "unknown escape sequence " + goRuneU(e));
          }
        }
      }
    }
    return buf.toString(StandardCharsets.UTF_8);
  }

  private int digits(int start, int n, int base) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      if (pos >= in.length()) {
        throw error(start, "escape sequence not terminated");
      }
      char ch = in.charAt(pos);
      int d = Character.digit(ch, base);
      if (d < 0 || ch > 'f') {
        throw error(start, "illegal character " + goRuneU(ch) + " in escape sequence");
      }
      v = v * base + d;
      pos++;
    }
    return v > Integer.MAX_VALUE ? -1 : (int) v;
  }

  // Spaces, and "#" comments to the end of the line (PromQL's lexer allows them anywhere).
  private void skipSpace() {
    while (pos < in.length()) {
      char c = in.charAt(pos);
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        pos++;
      } else if (c == '#') {
        while (pos < in.length() && in.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  // PromQL's name for the token at "at" inside braces, as its parse errors print it.
  private String describeInside(int at) {
    char c = in.charAt(at);
    char d = at + 1 < in.length() ? in.charAt(at + 1) : 0;
    if (isAlpha(c)) {
      int end = at;
      while (end < in.length() && isAlphaNumeric(in.charAt(end))) {
        end++;
      }
      return "identifier \"" + in.substring(at, end) + "\"";
    }
    if (c == '"' || c == '\'' || c == '`') {
      return "string " + GoQuote.quote(rawString(at));
    }
    if (c == '=' || c == '!') {
      return "\"" + c + (d == '~' || (c == '!' && d == '=') ? String.valueOf(d) : "") + "\"";
    }
    if (c == '}' || c == ',') {
      return "\"" + c + "\"";
    }
    return "character " + quoteRune(in.codePointAt(at));
  }

  // The quoted token starting at "at", quotes included (to the end of input if unterminated).
  private String rawString(int at) {
    char q = in.charAt(at);
    int i = at + 1;
    while (i < in.length() && in.charAt(i) != q) {
      i += in.charAt(i) == '\\' && q != '`' ? 2 : 1;
    }
    return in.substring(at, Math.min(i + 1, in.length()));
  }

  // PromQL's name for the token at "at" outside braces.
  private InvalidSelectorException unexpectedOutside(int at) {
    char c = in.charAt(at);
    if (c == '"' || c == '\'' || c == '`') {
      return error(at, "unexpected string " + GoQuote.quote(rawString(at)));
    }
    if (isAlpha(c) || c == ':') {
      int end = at;
      while (end < in.length() && (isAlphaNumeric(in.charAt(end)) || in.charAt(end) == ':')) {
        end++;
      }
      return error(at, "unexpected " + describeWord(in.substring(at, end)));
    }
    if (c >= '0' && c <= '9' || c == '.') {
      int end = at;
      while (end < in.length() && (isAlphaNumeric(in.charAt(end)) || in.charAt(end) == '.')) {
        end++;
      }
      return error(at, "unexpected number \"" + in.substring(at, end) + "\"");
    }
    if ("+-*/%^<>=!".indexOf(c) >= 0) {
      return error(at, "unexpected <op:" + c + ">");
    }
    if ("([{,".indexOf(c) >= 0) {
      return error(at, "unexpected \"" + c + "\"");
    }
    return error(at, "unexpected character: " + quoteRune(in.codePointAt(at)));
  }

  private static final Set<String> KEYWORDS =
      Set.of(
          "and", "or", "unless", "atan2", "sum", "avg", "count", "min", "max", "group", "stddev",
          "stdvar", "topk", "bottomk", "count_values", "quantile", "limitk", "limit_ratio",
          "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
          "start", "end");

  private static String describeWord(String w) {
    String lower = w.toLowerCase(Locale.ROOT);
    return KEYWORDS.contains(lower) ? "<" + lower + ">" : "identifier \"" + w + "\"";
  }

  private static boolean isAlpha(char c) {
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAlphaNumeric(char c) {
    return isAlpha(c) || (c >= '0' && c <= '9');
  }

  // Go's %q of a rune.
  private static String quoteRune(int cp) {
    if (cp < 0) {
      return "EOF";
    }
    if (cp == '\'') {
      return "'\\''";
    }
    String q = io.promtsdb.core.GoQuote.quote(new String(Character.toChars(cp)));
    return "'" + q.substring(1, q.length() - 1).replace("\\\"", "\"") + "'";
  }

  // Go's %#U: U+0027 '''.
  private static String goRuneU(int cp) {
    return String.format("U+%04X '%s'", cp, new String(Character.toChars(cp)));
  }
}
