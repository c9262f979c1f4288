package io.promtsdb.engine;

import java.security.SecureRandom;

/**
 * A ULID (github.com/oklog/ulid), the identity of a block: 48 bits of milliseconds since the
 * epoch followed by 80 random bits, written as 26 characters of Crockford's base32 ({@code
 * 01J7M3...}). Ordered like Go's {@code ulid.Compare} (by bytes, so by time first).
 *
 * @param hi the first 64 bits: timestamp (48) and the top 16 random bits
 * @param lo the last 64 random bits
 */
public record Ulid(long hi, long lo) implements Comparable<Ulid> {
  /** The 26-character length of the text form. */
  public static final int TEXT_LENGTH = 26;

  /** {@code 00000000000000000000000000}, Go's zero value (seen in some {@code parents}). */
  public static final Ulid ZERO = new Ulid(0, 0);

  private static final char[] ENCODING = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final byte[] DECODING = new byte[128];
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    java.util.Arrays.fill(DECODING, (byte) -1);
    for (int i = 0; i < ENCODING.length; i++) {
      DECODING[ENCODING[i]] = (byte) i;
      DECODING[Character.toLowerCase(ENCODING[i])] = (byte) i;
    }
  }

  /** A new ULID for {@code timeMillis} with cryptographically random entropy, as Prometheus makes them. */
  public static Ulid generate(long timeMillis) {
    if (timeMillis < 0 || timeMillis >= (1L << 48)) {
      throw new IllegalArgumentException("ULID time out of range: " + timeMillis);
    }
    byte[] r = new byte[10];
    RANDOM.nextBytes(r);
    long hi = (timeMillis << 16) | ((r[0] & 0xFFL) << 8) | (r[1] & 0xFFL);
    long lo = 0;
    for (int i = 2; i < 10; i++) {
      lo = (lo << 8) | (r[i] & 0xFFL);
    }
    return new Ulid(hi, lo);
  }

  /**
   * Parses the 26-character text form (either case), rejecting characters outside Crockford's
   * alphabet and values above 2^128-1 (a first character above {@code 7}), like {@code
   * ulid.ParseStrict}.
   */
  public static Ulid parse(String s) {
    if (s.length() != TEXT_LENGTH) {
      throw new IllegalArgumentException(
          "invalid ULID " + quote(s) + ": length " + s.length() + " vs expected " + TEXT_LENGTH);
    }
    // 26 characters x 5 bits = 130 bits; the first character holds the top 3 bits.
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < TEXT_LENGTH; i++) {
      char c = s.charAt(i);
      int v = c < 128 ? DECODING[c] : -1;
      if (v < 0) {
        throw new IllegalArgumentException("invalid ULID " + quote(s) + ": bad character " + quote(String.valueOf(c)) + " at " + i);
      }
      if (i == 0 && v > 7) {
        throw new IllegalArgumentException("invalid ULID " + quote(s) + ": value overflows 128 bits");
      }
      hi = (hi << 5) | (lo >>> 59);
      lo = (lo << 5) | v;
    }
    return new Ulid(hi, lo);
  }

  /** Whether {@code s} is a valid ULID text (used to tell block directories apart). */
  public static boolean isValid(String s) {
    if (s.length() != TEXT_LENGTH) {
      return false;
    }
    for (int i = 0; i < TEXT_LENGTH; i++) {
      char c = s.charAt(i);
      int v = c < 128 ? DECODING[c] : -1;
      if (v < 0 || (i == 0 && v > 7)) {
        return false;
      }
    }
    return true;
  }

  /** Milliseconds since the epoch. */
  public long timestamp() {
    return hi >>> 16;
  }

  @Override
  public int compareTo(Ulid o) {
    int c = Long.compareUnsigned(hi, o.hi);
    return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
  }

  @Override
  public String toString() {
    char[] out = new char[TEXT_LENGTH];
    long h = hi;
    long l = lo;
    for (int i = TEXT_LENGTH - 1; i >= 0; i--) {
      out[i] = ENCODING[(int) (l & 31)];
      l = (l >>> 5) | (h << 59);
      h >>>= 5;
    }
    return new String(out);
  }

  private static String quote(String s) {
    return io.promtsdb.core.GoQuote.quote(s);
  }
}
