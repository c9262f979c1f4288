package io.promtsdb.core;

import java.util.Comparator;

/**
 * Orders strings by their UTF-8 bytes, compared unsigned: Go's string order, which
 * Prometheus uses for symbols, label names and values, series and postings.
 *
 * <p>{@link String#compareTo} compares UTF-16 code units, which differs from UTF-8 byte
 * order exactly when a surrogate (a character outside the BMP) meets a character in
 * U+E000..U+FFFF. This comparator fixes those up without encoding the strings, the trick of
 * ICU's {@code compareUTF16InUTF8Order}.
 */
public final class Utf8Order {
  /** The comparator form of {@link #compare(String, String)}. */
  public static final Comparator<String> COMPARATOR = Utf8Order::compare;

  private Utf8Order() {}

  public static int compare(String a, String b) {
    if (a == b) {
      return 0;
    }
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char ca = a.charAt(i);
      char cb = b.charAt(i);
      if (ca != cb) {
        if (ca >= 0xD800 && cb >= 0xD800) {
          return fixup(ca) - fixup(cb);
        }
        return ca - cb;
      }
    }
    return a.length() - b.length();
  }

  /** Maps U+D800..U+DFFF above U+E000..U+FFFF, as their UTF-8 lead bytes sort. */
  private static int fixup(char c) {
    return c >= 0xE000 ? c - 0x800 : c + 0x2000;
  }

  /** Unsigned lexicographic comparison of byte arrays (Go's {@code bytes.Compare}). */
  public static int compare(byte[] a, byte[] b) {
    return java.util.Arrays.compareUnsigned(a, b);
  }
}
