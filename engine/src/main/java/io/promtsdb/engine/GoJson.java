package io.promtsdb.engine;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes JSON exactly as Go's {@code json.MarshalIndent(v, "", "\t")}: one member or element
 * per line, tab indentation, {@code ": "} after names, {@code {}} and {@code []} for empty
 * containers, strings escaped as {@code encoding/json} does (HTML-safe: {@code <}, {@code >},
 * {@code &} as \\u escapes, U+2028 and U+2029 escaped, other control characters as
 * a \\u00XX escape except {@code \n}, {@code \r}, {@code \t}), and no trailing newline.
 */
final class GoJson {
  private final StringBuilder out = new StringBuilder(256);
  // For each open container: whether it has had an element yet.
  private final Deque<boolean[]> open = new ArrayDeque<>();
  private boolean afterName;

  GoJson beginObject() {
    value();
    out.append('{');
    open.push(new boolean[1]);
    return this;
  }

  GoJson endObject() {
    return close('}');
  }

  GoJson beginArray() {
    value();
    out.append('[');
    open.push(new boolean[1]);
    return this;
  }

  GoJson endArray() {
    return close(']');
  }

  private GoJson close(char c) {
    boolean[] hadElements = open.pop();
    if (hadElements[0]) {
      newline(open.size());
    }
    out.append(c);
    return this;
  }

  GoJson name(String name) {
    element();
    string(name);
    out.append(": ");
    afterName = true;
    return this;
  }

  GoJson value(String s) {
    value();
    string(s);
    return this;
  }

  GoJson value(long v) {
    value();
    out.append(v);
    return this;
  }

  GoJson unsignedValue(long v) {
    value();
    out.append(Long.toUnsignedString(v));
    return this;
  }

  GoJson value(boolean v) {
    value();
    out.append(v);
    return this;
  }

  private void value() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (!open.isEmpty()) {
      element();
    }
  }

  private void element() {
    boolean[] top = open.peek();
    if (top[0]) {
      out.append(',');
    }
    top[0] = true;
    newline(open.size());
  }

  private void newline(int depth) {
    out.append('\n');
    for (int i = 0; i < depth; i++) {
      out.append('\t');
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '<', '>', '&', '\u2028', '\u2029' -> out.append(String.format("\\u%04x", (int) c));
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else if (Character.isSurrogate(c)
              && !(Character.isHighSurrogate(c)
                  && i + 1 < s.length()
                  && Character.isLowSurrogate(s.charAt(i + 1)))
              && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
            out.append("\\ufffd"); // Go replaces invalid UTF-8; a lone surrogate is its Java twin
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    if (!open.isEmpty()) {
      throw new IllegalStateException("unclosed JSON container");
    }
    return out.toString();
  }
}
