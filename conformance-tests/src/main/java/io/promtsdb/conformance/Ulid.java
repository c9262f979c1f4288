package io.promtsdb.conformance;

import java.security.SecureRandom;

/**
 * Block ULIDs as Prometheus makes them: 48 bits of milliseconds and 80 random bits in
 * Crockford base32, 26 characters.
 */
final class Ulid {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ulid() {}

  static String generate(long millis) {
    byte[] rnd = new byte[10];
    RANDOM.nextBytes(rnd);
    // 128 bits: time (48) | random (80), written as 26 base32 digits (130 bits, 2 leading zeros).
    long hi = (millis << 16) | ((rnd[0] & 0xFFL) << 8) | (rnd[1] & 0xFFL);
    long lo = 0;
    for (int i = 2; i < 10; i++) {
      lo = (lo << 8) | (rnd[i] & 0xFFL);
    }
    char[] out = new char[26];
    for (int i = 25; i >= 0; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo = (lo >>> 5) | ((hi & 31) << 59);
      hi >>>= 5;
    }
    return new String(out);
  }

  static boolean isValid(String s) {
    if (s.length() != 26 || s.charAt(0) > '7') {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (new String(ALPHABET).indexOf(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}
