package io.promtsdb.core;

/**
 * Go's {@code strconv.Quote}: a double-quoted string literal with Go escapes, as Prometheus
 * prints label values ({@code labels.String}) and promtool prints series.
 */
public final class GoQuote {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private GoQuote() {}

  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2);
    appendQuoted(b, s);
    return b.toString();
  }

  /** Appends {@code strconv.Quote(s)} to {@code b}. */
  public static void appendQuoted(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      if (n == 1 && Character.isSurrogate((char) cp)) {
        // An unpaired surrogate is not valid UTF-8: Go would see the replacement's bytes.
        b.append("\\ufffd");
        i++;
        continue;
      }
      appendRune(b, cp);
      i += n;
    }
    b.append('"');
  }

  private static void appendRune(StringBuilder b, int r) {
    if (r == '"' || r == '\\') {
      b.append('\\').append((char) r);
      return;
    }
    if (isPrint(r)) {
      b.appendCodePoint(r);
      return;
    }
    switch (r) {
      case 0x07 -> b.append("\\a");
      case '\b' -> b.append("\\b");
      case '\f' -> b.append("\\f");
      case '\n' -> b.append("\\n");
      case '\r' -> b.append("\\r");
      case '\t' -> b.append("\\t");
      case 0x0B -> b.append("\\v");
      default -> {
        if (r < ' ' || r == 0x7F) {
          b.append("\\x").append(HEX[(r >> 4) & 0xF]).append(HEX[r & 0xF]);
        } else if (r < 0x10000) {
          b.append("\\u");
          appendHex(b, r, 4);
        } else {
          b.append("\\U");
          appendHex(b, r, 8);
        }
      }
    }
  }

  private static void appendHex(StringBuilder b, int v, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      b.append(HEX[(v >> shift) & 0xF]);
    }
  }

  /**
   * Go's {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII
   * space; other spaces and control, format, surrogate, private-use and unassigned code
   * points are escaped.
   */
  static boolean isPrint(int r) {
    if (r < 0x80) {
      return r >= 0x20 && r < 0x7F;
    }
    switch (Character.getType(r)) {
      case Character.UPPERCASE_LETTER,
          Character.LOWERCASE_LETTER,
          Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER,
          Character.OTHER_LETTER,
          Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK,
          Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER,
          Character.OTHER_NUMBER,
          Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL,
          Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL:
        return true;
      default:
        return false;
    }
  }
}
