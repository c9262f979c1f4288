package io.promtsdb.engine;

import io.promtsdb.core.GoFloat;
import io.promtsdb.core.GoQuote;
import io.promtsdb.core.Labels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Prometheus' OpenMetrics text parser ({@code model/textparse/openmetricsparse.go} and its
 * lexer {@code openmetricslex.l}, 3.5.3), entry by entry, with the same acceptance and the
 * same error messages: the input must end with {@code # EOF}, label values are unescaped
 * ({@code \\}, {@code \"}, {@code \n}), timestamps are seconds (converted to milliseconds by
 * {@code (long) (ts * 1000)}), values use Go's {@code strconv.ParseFloat} syntax without
 * {@code p}, {@code P} or {@code _}, exemplars are parsed and dropped, and {@code le} and
 * {@code quantile} label values of histograms and summaries are normalised.
 *
 * <p>Only what promtool's backfill needs is exposed: {@link #next} and, for a series entry,
 * {@link #labels}, {@link #timestamp} and {@link #value}.
 *
 * <p>Streaming: Prometheus parses a byte slice of the whole (mmapped) input; this parser reads
 * a channel through a window that holds the current entry and what was read ahead of it.
 * Positions ({@code i}, {@code start}, {@code lstart}, {@code offsets}) are relative to the
 * window and only valid within one entry: the window drops consumed bytes only at the start
 * of {@link #next}. So memory is bounded by the longest entry (a line, or a quoted string
 * spanning lines), never by the input.
 */
final class OpenMetricsParser {
  /** Entry kinds (Go's {@code textparse.Entry}). */
  enum Entry {
    INVALID,
    TYPE,
    HELP,
    SERIES,
    COMMENT,
    UNIT,
    EOF
  }

  /** A parse error with Prometheus' message. */
  static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message) {
      super(message);
    }
  }

  /** The window's first size; it doubles while one entry does not fit. */
  static final int INITIAL_WINDOW = 64 * 1024;

  // Lexer tokens with Go's names.
  private enum Tok {
    INVALID("INVALID"), EOF("EOF"), LINEBREAK("LINEBREAK"), HELP("HELP"), TYPE("TYPE"), UNIT("UNIT"),
    EOFWORD("EOFWORD"), TEXT("TEXT"), COMMENT("COMMENT"), MNAME("MNAME"), QSTRING("QSTRING"),
    BOPEN("BOPEN"), BCLOSE("BCLOSE"), LNAME("LNAME"), LVALUE("LVALUE"), COMMA("COMMA"),
    EQUAL("EQUAL"), TIMESTAMP("TIMESTAMP"), VALUE("VALUE");

    final String goName;

    Tok(String goName) {
      this.goName = goName;
    }
  }

  // Lexer states (start conditions).
  private static final int S_INIT = 0;
  private static final int S_COMMENT = 1;
  private static final int S_META1 = 2;
  private static final int S_META2 = 3;
  private static final int S_LABELS = 4;
  private static final int S_LVALUE = 5;
  private static final int S_VALUE = 6;
  private static final int S_TIMESTAMP = 7;
  private static final int S_EXEMPLAR = 8;
  private static final int S_EVALUE = 9;
  private static final int S_ETIMESTAMP = 10;


  private final ReadableByteChannel in;
  /** The window: input bytes from offset {@code base}; {@code len} of them are valid. */
  private byte[] b;
  private int len;
  private boolean inputEnded;
  private long base;
  /** Newlines in the input before {@code base}: line numbers for errors. */
  private long linesBeforeBase;
  // Lexer.
  private int i;
  private int lstart;
  private int state = S_INIT;
  // Parser.
  private int start;
  private final List<Integer> offsets = new ArrayList<>();
  private String mtype = "";
  private double val;
  private long ts;
  private boolean hasTs;
  private int seriesEnd;

  private final boolean normalizeFloatLabels;

  /** A 3.x parser of {@code input}. */
  OpenMetricsParser(byte[] input) {
    this(input, true);
  }

  /** A parser of {@code input} held in memory. */
  OpenMetricsParser(byte[] input, boolean normalizeFloatLabels) {
    this(Channels.newChannel(new ByteArrayInputStream(input)), normalizeFloatLabels);
  }

  /**
   * A parser reading {@code in} (not closed here) as far as it needs.
   *
   * @param normalizeFloatLabels whether {@code le} and {@code quantile} values are rewritten
   *     in OpenMetrics float form ({@code 1e3} becomes {@code 1000.0}), as 3.0 and later do
   */
  OpenMetricsParser(ReadableByteChannel in, boolean normalizeFloatLabels) {
    this(in, normalizeFloatLabels, INITIAL_WINDOW);
  }

  /** With a first window of {@code window} bytes (tests use tiny ones to move entries across its edges). */
  OpenMetricsParser(ReadableByteChannel in, boolean normalizeFloatLabels, int window) {
    if (window < 1) {
      throw new IllegalArgumentException("window " + window);
    }
    this.in = in;
    this.normalizeFloatLabels = normalizeFloatLabels;
    this.b = new byte[window];
  }

  // ---------------------------------------------------------------- window

  /**
   * Reads until the window holds position {@code p}; false if the input ends before it.
   * Grows the window rather than moving bytes: positions of the current entry stay valid.
   */
  private boolean fill(int p) {
    while (p >= len) {
      if (inputEnded) {
        return false;
      }
      if (len == b.length) {
        b = Arrays.copyOf(b, Math.multiplyExact(b.length, 2));
      }
      int n;
      try {
        n = in.read(ByteBuffer.wrap(b, len, b.length - len));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      if (n < 0) {
        inputEnded = true;
      } else {
        len += n;
      }
    }
    return true;
  }

  /** Drops the consumed bytes before {@code i} once they are half the window (between entries only). */
  private void compact() {
    if (i < b.length / 2) {
      return;
    }
    linesBeforeBase += newlines(0, i);
    System.arraycopy(b, i, b, 0, len - i);
    base += i;
    len -= i;
    i = 0;
  }

  private long newlines(int from, int to) {
    long n = 0;
    for (int k = from; k < to; k++) {
      if (b[k] == '\n') {
        n++;
      }
    }
    return n;
  }

  /** The input offset of the current entry's first byte. */
  long entryOffset() {
    return base + start;
  }

  /** The 1-based line of the current entry's first byte. */
  long entryLine() {
    return linesBeforeBase + newlines(0, start) + 1;
  }

  /** Input bytes consumed so far. */
  long position() {
    return base + i;
  }

  /** The window's size now: bounded by the longest entry, not by the input. */
  int windowSize() {
    return b.length;
  }

  // ---------------------------------------------------------------- lexer

  private static boolean isM(int c) {
    return c == ':' || isL(c);
  }

  private static boolean isL(int c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
  }

  private static boolean isD(int c) {
    return c >= '0' && c <= '9';
  }

  /** The byte at {@code p}, or -1 past the end (Go's lexer sees that as a NUL and stops). */
  private int at(int p) {
    return p < len || fill(p) ? b[p] & 0xFF : -1;
  }

  private boolean skipsNul() {
    return state == S_LVALUE || state == S_META2 || state == S_COMMENT;
  }

  /**
   * Matches a double-quoted string at {@code i} (the opening quote), allowing newlines or not;
   * returns the position after the closing quote or -(failing position) - 1.
   */
  private int quoted(int p, boolean newlines) {
    p++;
    while (true) {
      int c = at(p);
      if (c == '"') {
        return p + 1;
      }
      if (c == '\\') {
        int d = at(p + 1);
        if (d <= 0) {
          return -(p + 1) - 1;
        }
        p += 2;
        continue;
      }
      if (c <= 0 || (!newlines && c == '\n')) {
        return -p - 1;
      }
      p++;
    }
  }

  private Tok lex() {
    if (at(i) < 0) {
      return Tok.EOF;
    }
    lstart = i;
    while (true) {
      int c = at(i);
      switch (state) {
        case S_INIT -> {
          if (c == '#') {
            if (at(i + 1) == ' ') {
              i += 2;
              state = S_COMMENT;
              continue; // No token: the rule only changes state.
            }
            i += 1;
            return Tok.INVALID;
          }
          if (isM(c)) {
            i = name(i, true);
            state = S_VALUE;
            return Tok.MNAME;
          }
          if (c == '{') {
            i++;
            state = S_LABELS;
            return Tok.BOPEN;
          }
          return Tok.INVALID;
        }
        case S_COMMENT -> {
          while (at(i) == 0) {
            i++;
          }
          for (String w : new String[] {"HELP ", "TYPE ", "UNIT "}) {
            if (startsWith(i, w)) {
              i += 5;
              state = S_META1;
              return w.charAt(0) == 'H' ? Tok.HELP : w.charAt(0) == 'T' ? Tok.TYPE : Tok.UNIT;
            }
          }
          if (startsWith(i, "EOF")) {
            i += 3;
            if (at(i) == '\n') {
              i++;
            }
            state = S_INIT;
            return Tok.EOFWORD;
          }
          i = failPrefix(i, new String[] {"HELP ", "TYPE ", "UNIT ", "EOF"});
          return Tok.INVALID;
        }
        case S_META1 -> {
          if (c == '"') {
            int e = quoted(i, true);
            if (e < 0) {
              i = -e - 1;
              return Tok.INVALID;
            }
            i = e;
            state = S_META2;
            return Tok.MNAME;
          }
          if (isM(c)) {
            i = name(i, true);
            state = S_META2;
            return Tok.MNAME;
          }
          return Tok.INVALID;
        }
        case S_META2 -> {
          if (c != ' ') {
            return Tok.INVALID;
          }
          int p = i + 1;
          while (true) {
            int d = at(p);
            if (d == '\n') {
              i = p + 1;
              state = S_INIT;
              return Tok.TEXT;
            }
            if (d < 0) {
              i = p;
              return Tok.INVALID;
            }
            p++; // NUL bytes are skipped by the lexer in this state.
          }
        }
        case S_LABELS, S_EXEMPLAR -> {
          boolean ex = state == S_EXEMPLAR;
          if (isL(c)) {
            i = name(i, false);
            return Tok.LNAME;
          }
          if (c == '"') {
            int e = quoted(i, !ex);
            if (e < 0) {
              i = -e - 1;
              return Tok.INVALID;
            }
            i = e;
            return Tok.QSTRING;
          }
          if (c == '}') {
            i++;
            state = ex ? S_EVALUE : S_VALUE;
            return Tok.BCLOSE;
          }
          if (c == '=') {
            i++;
            state = ex ? S_EVALUE : S_LVALUE;
            return Tok.EQUAL;
          }
          if (c == ',') {
            i++;
            return Tok.COMMA;
          }
          return Tok.INVALID;
        }
        case S_LVALUE, S_EVALUE -> {
          boolean ex = state == S_EVALUE;
          if (c == '"') {
            int e = quoted(i, false);
            if (e < 0) {
              i = -e - 1;
              return Tok.INVALID;
            }
            i = e;
            state = ex ? S_EXEMPLAR : S_LABELS;
            return Tok.LVALUE;
          }
          if (ex && c == ' ') {
            return field(S_ETIMESTAMP, Tok.VALUE);
          }
          return Tok.INVALID;
        }
        case S_VALUE -> {
          if (c == '{') {
            i++;
            state = S_LABELS;
            return Tok.BOPEN;
          }
          if (c == ' ') {
            return field(S_TIMESTAMP, Tok.VALUE);
          }
          return Tok.INVALID;
        }
        case S_TIMESTAMP -> {
          if (c == '\n') {
            i++;
            state = S_INIT;
            return Tok.LINEBREAK;
          }
          if (c == ' ') {
            if (at(i + 1) == '#' && at(i + 2) == ' ' && at(i + 3) == '{') {
              i += 4;
              state = S_EXEMPLAR;
              return Tok.COMMENT;
            }
            return field(state, Tok.TIMESTAMP);
          }
          return Tok.INVALID;
        }
        case S_ETIMESTAMP -> {
          if (c == '\n') {
            i++;
            state = S_INIT;
            return Tok.LINEBREAK;
          }
          if (c == ' ') {
            return field(state, Tok.TIMESTAMP);
          }
          return Tok.INVALID;
        }
        default -> throw new IllegalStateException("invalid start condition " + state);
      }
    }
  }

  /** {@code {S}[^ \n]+}: a space and at least one other byte. */
  private Tok field(int next, Tok tok) {
    int p = i + 1;
    while (true) {
      int d = at(p);
      if (d <= 0 || d == ' ' || d == '\n') {
        break;
      }
      p++;
    }
    if (p == i + 1) {
      i = p;
      return Tok.INVALID;
    }
    i = p;
    state = next;
    return tok;
  }

  private int name(int p, boolean colons) {
    p++;
    while (true) {
      int c = at(p);
      if (isL(c) || isD(c) || (colons && c == ':')) {
        p++;
      } else {
        return p;
      }
    }
  }

  private boolean startsWith(int p, String w) {
    for (int k = 0; k < w.length(); k++) {
      if (at(p + k) != w.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** Where the longest prefix of any of {@code words} matched at {@code p} stops. */
  private int failPrefix(int p, String[] words) {
    int best = 0;
    for (String w : words) {
      int k = 0;
      while (k < w.length() && at(p + k) == w.charAt(k)) {
        k++;
      }
      best = Math.max(best, k);
    }
    return p + best;
  }

  // ---------------------------------------------------------------- parser

  private ParseException parseError(String exp, Tok got) {
    int e = at(i) >= 0 ? i + 1 : len; // Go's min(i+1, len(input))
    return new ParseException(
        exp + ", got " + quote(lstart, e) + " (" + GoQuote.quote(got.goName) + ") while parsing: " + quote(start, e));
  }

  /**
   * The next entry; {@link Entry#EOF} after {@code # EOF}.
   *
   * @throws IOException if reading the input fails (the lexer reads through {@link #fill})
   */
  Entry next() throws ParseException, IOException {
    try {
      return nextEntry();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private Entry nextEntry() throws ParseException {
    compact();
    start = i;
    offsets.clear();
    Tok t = lex();
    switch (t) {
      case EOFWORD -> {
        if (lex() != Tok.EOF) {
          throw new ParseException("unexpected data after # EOF");
        }
        return Entry.EOF;
      }
      case EOF -> throw new ParseException("data does not end with # EOF");
      case HELP, TYPE, UNIT -> {
        Tok t2 = lex();
        int mStart;
        int mEnd;
        if (t2 == Tok.MNAME) {
          mStart = lstart;
          mEnd = i;
          if (b[mStart] == '"' && b[mEnd - 1] == '"') {
            mStart++;
            mEnd--;
          }
        } else {
          throw parseError("expected metric name after " + t.goName, t2);
        }
        if (lex() != Tok.TEXT) {
          throw new ParseException("expected text in " + t.goName);
        }
        String text = i - lstart > 1 ? new String(b, lstart + 1, i - lstart - 2, StandardCharsets.UTF_8) : "";
        byte[] textBytes = i - lstart > 1 ? Arrays.copyOfRange(b, lstart + 1, i - 1) : new byte[0];
        switch (t) {
          case TYPE -> {
            switch (text) {
              case "counter", "gauge", "histogram", "gaugehistogram", "summary", "info", "stateset", "unknown" ->
                  mtype = text;
              default -> throw new ParseException("invalid metric type " + GoQuote.quote(text));
            }
            return Entry.TYPE;
          }
          case HELP -> {
            if (!validUtf8(textBytes)) {
              throw new ParseException("help text " + quote(textBytes) + " is not a valid utf8 string");
            }
            return Entry.HELP;
          }
          default -> {
            String m = new String(b, mStart, mEnd - mStart, StandardCharsets.UTF_8);
            if (!text.isEmpty()) {
              if (!m.endsWith(text) || m.length() < text.length() + 1 || b[mEnd - text.getBytes(StandardCharsets.UTF_8).length - 1] != '_') {
                throw new ParseException("unit " + GoQuote.quote(text) + " not a suffix of metric " + GoQuote.quote(m));
              }
            }
            return Entry.UNIT;
          }
        }
      }
      case BOPEN -> {
        offsets.add(-1);
        offsets.add(-1);
        parseLVals(false);
        seriesEnd = i;
        parseSeriesEndOfLine(lex());
        return Entry.SERIES;
      }
      case MNAME -> {
        offsets.add(start);
        offsets.add(i);
        seriesEnd = i;
        Tok t2 = lex();
        if (t2 == Tok.BOPEN) {
          parseLVals(false);
          seriesEnd = i;
          t2 = lex();
        }
        parseSeriesEndOfLine(t2);
        return Entry.SERIES;
      }
      default -> throw parseError("expected a valid start token", t);
    }
  }

  private void parseLVals(boolean exemplar) throws ParseException {
    Tok t = lex();
    while (true) {
      int curStart = lstart;
      int curI = i;
      switch (t) {
        case BCLOSE -> {
          return;
        }
        case LNAME, QSTRING -> {}
        default -> throw parseError("expected label name", t);
      }
      t = lex();
      // A quoted string followed by a comma or brace is a metric name.
      if (t == Tok.COMMA || t == Tok.BCLOSE) {
        if (exemplar) {
          throw parseError("expected label name", t);
        }
        if (offsets.get(0) != -1 || offsets.get(1) != -1) {
          throw new ParseException("metric name already set while parsing: " + quote(start, i));
        }
        offsets.set(0, curStart + 1);
        offsets.set(1, curI - 1);
        if (t == Tok.BCLOSE) {
          return;
        }
        t = lex();
        continue;
      }
      if (b[curStart] == '"') {
        curStart++;
        curI--;
      }
      if (!exemplar) {
        offsets.add(curStart);
        offsets.add(curI);
      }
      if (t != Tok.EQUAL) {
        throw parseError("expected equal", t);
      }
      Tok v = lex();
      if (v != Tok.LVALUE) {
        throw parseError("expected label value", v);
      }
      if (!validUtf8(b, lstart, i)) {
        throw new ParseException("invalid UTF-8 label value: " + quote(lstart, i));
      }
      if (!exemplar) {
        offsets.add(lstart + 1);
        offsets.add(i - 1);
      }
      t = lex();
      if (t == Tok.COMMA) {
        t = lex();
      } else if (t != Tok.BCLOSE) {
        throw parseError("expected comma or brace close", t);
      }
    }
  }

  private void parseSeriesEndOfLine(Tok t) throws ParseException {
    if (offsets.get(0) == -1) {
      throw new ParseException("metric name not set while parsing: " + quote(start, i));
    }
    val = floatValue(t, "metric");
    hasTs = false;
    Tok t2 = lex();
    switch (t2) {
      case EOF -> throw new ParseException("data does not end with # EOF");
      case LINEBREAK -> {}
      case COMMENT -> parseComment();
      case TIMESTAMP -> {
        hasTs = true;
        double f = parseFloat(lstart + 1, i);
        if (Double.isNaN(f) || Double.isInfinite(f)) {
          throw new ParseException("invalid timestamp " + goF(f));
        }
        ts = (long) (f * 1000);
        Tok t3 = lex();
        switch (t3) {
          case LINEBREAK -> {}
          case COMMENT -> parseComment();
          default -> throw parseError("expected next entry after timestamp", t3);
        }
      }
      default -> {
        // Go has no default case here: anything else ends the entry without a timestamp.
      }
    }
  }

  /** An exemplar: checked as Prometheus checks it, then dropped (promtool ignores them). */
  private void parseComment() throws ParseException {
    parseLVals(true);
    floatValue(lex(), "exemplar labels");
    Tok t2 = lex();
    switch (t2) {
      case EOF -> throw new ParseException("data does not end with # EOF");
      case LINEBREAK -> {}
      case TIMESTAMP -> {
        double f = parseFloat(lstart + 1, i);
        if (Double.isNaN(f) || Double.isInfinite(f)) {
          throw new ParseException("invalid exemplar timestamp " + goF(f));
        }
        Tok t3 = lex();
        if (t3 != Tok.LINEBREAK) {
          throw parseError("expected next entry after exemplar timestamp", t3);
        }
      }
      default -> throw parseError("expected timestamp or comment", t2);
    }
  }

  private double floatValue(Tok t, String after) throws ParseException {
    if (t != Tok.VALUE) {
      throw parseError("expected value after " + after, t);
    }
    return parseFloat(lstart + 1, i);
  }

  /** Go's {@code %f}: six decimals, {@code NaN}, {@code +Inf}, {@code -Inf}. */
  private static String goF(double f) {
    if (Double.isNaN(f)) {
      return "NaN";
    }
    return f > 0 ? "+Inf" : "-Inf";
  }

  private double parseFloat(int from, int to) throws ParseException {
    for (int k = from; k < to; k++) {
      byte c = b[k];
      if (c == 'p' || c == 'P' || c == '_') {
        throw new ParseException("unsupported character in float while parsing: " + quote(start, i));
      }
    }
    try {
      return GoParseFloat.parse(new String(b, from, to - from, StandardCharsets.UTF_8));
    } catch (NumberFormatException e) {
      throw new ParseException(e.getMessage() + " while parsing: " + quote(start, i));
    }
  }

  // ---------------------------------------------------------------- series accessors

  /** The current series' timestamp in milliseconds, or null without one. */
  Long timestamp() {
    return hasTs ? ts : null;
  }

  double value() {
    return val;
  }

  /** The current series' labels (Go's {@code Labels}), sorted, metric name included. */
  Labels labels() {
    List<String> pairs = new ArrayList<>();
    pairs.add(Labels.METRIC_NAME);
    pairs.add(unreplace(offsets.get(0), offsets.get(1)));
    for (int k = 2; k < offsets.size(); k += 4) {
      String name = unreplace(offsets.get(k), offsets.get(k + 1));
      String value = unreplace(offsets.get(k + 2), offsets.get(k + 3));
      pairs.add(name);
      pairs.add(normalizeFloatLabels ? normalize(name, value) : value);
    }
    return Labels.of(pairs.toArray(new String[0]));
  }

  private String normalize(String name, String value) {
    if (("summary".equals(mtype) && "quantile".equals(name)) || ("histogram".equals(mtype) && "le".equals(name))) {
      try {
        double f = GoParseFloat.parseStrconv(value);
        if (f == 1) {
          return "1.0";
        } else if (f == 0) {
          return "0.0";
        } else if (f == -1) {
          return "-1.0";
        } else if (Double.isNaN(f)) {
          return "NaN";
        } else if (Double.isInfinite(f)) {
          return f > 0 ? "+Inf" : "-Inf";
        }
        String g = GoFloat.formatG(f);
        return g.contains("e") || g.contains(".") ? g : g + ".0";
      } catch (NumberFormatException e) {
        return value;
      }
    }
    return value;
  }

  /** Go's {@code lvalReplacer}: {@code \"}, {@code \\} and {@code \n}; other escapes stay. */
  private String unreplace(int from, int to) {
    String s = new String(b, from, to - from, StandardCharsets.UTF_8);
    if (s.indexOf('\\') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int k = 0; k < s.length(); k++) {
      char c = s.charAt(k);
      if (c == '\\' && k + 1 < s.length()) {
        char d = s.charAt(k + 1);
        if (d == '"' || d == '\\') {
          out.append(d);
          k++;
          continue;
        }
        if (d == 'n') {
          out.append('\n');
          k++;
          continue;
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  private String quote(int from, int to) {
    return quote(Arrays.copyOfRange(b, from, Math.max(from, to)));
  }

  /** Go's {@code %q} of a byte slice. */
  static String quote(byte[] bytes) {
    if (validUtf8(bytes)) {
      return GoQuote.quote(new String(bytes, StandardCharsets.UTF_8));
    }
    StringBuilder sb = new StringBuilder("\"");
    for (byte x : bytes) {
      int c = x & 0xFF;
      if (c >= 0x80) {
        sb.append(String.format("\\x%02x", c));
      } else {
        String q = GoQuote.quote(String.valueOf((char) c));
        sb.append(q, 1, q.length() - 1);
      }
    }
    return sb.append('"').toString();
  }

  /** Whether {@code b[from, to)} is valid UTF-8; ASCII (the usual case) without a decoder. */
  private static boolean validUtf8(byte[] b, int from, int to) {
    for (int k = from; k < to; k++) {
      if (b[k] < 0) {
        return validUtf8(Arrays.copyOfRange(b, from, to));
      }
    }
    return true;
  }

  private static boolean validUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  /** The metric type of the current family, as the last {@code # TYPE} set it. */
  String metricType() {
    return mtype;
  }
}
