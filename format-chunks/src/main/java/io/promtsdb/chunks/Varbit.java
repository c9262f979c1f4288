package io.promtsdb.chunks;

/**
 * The variable-width integer encodings of histogram chunks and the Gorilla XOR value encoding
 * (Go's {@code varbit.go} and {@code xorWrite}), encoder side. Decoders are in
 * {@link BitReader}.
 *
 * <p>{@code <varbit_int>}: a prefix of k one-bits and a zero (or eight one-bits) picks the
 * payload width: 0, 3, 6, 9, 12, 18, 25, 56 or 64 bits. A payload of n < 64 bits holds values
 * in the asymmetric range {@code -(2^(n-1)-1) .. 2^(n-1)} ({@link #bitRange}) as the low n bits
 * of their two's complement.
 */
final class Varbit {
  private Varbit() {}

  /** Payload bits by number of leading one-bits in the prefix (1..7); 8 ones mean 64 bits. */
  static final int[] PAYLOAD_BITS = {0, 3, 6, 9, 12, 18, 25, 56};

  /** Leading/trailing window of an XOR encoder that has not written a value yet. */
  static final int WINDOW_UNSET = 0xFF << 8;

  /** Go's {@code bitRange}: {@code -(2^(n-1)-1) <= x <= 2^(n-1)}. */
  static boolean bitRange(long x, int nbits) {
    long half = 1L << (nbits - 1);
    return -(half - 1) <= x && x <= half;
  }

  /**
   * Go's {@code putVarbitInt} (and {@code putVarbitIntFast}, which writes the same bits). A chain
   * of range checks: histogram bucket deltas are nearly always 0 or in the first bucket, where
   * it is cheaper than a table lookup by bit length (measured).
   */
  static void putInt(BitWriter w, long val) {
    if (val == 0) {
      w.writeZero();
    } else if (bitRange(val, 3)) {
      w.writePrefixed(0b10, 2, val, 3);
    } else if (bitRange(val, 6)) {
      w.writePrefixed(0b110, 3, val, 6);
    } else if (bitRange(val, 9)) {
      w.writePrefixed(0b1110, 4, val, 9);
    } else if (bitRange(val, 12)) {
      w.writePrefixed(0b11110, 5, val, 12);
    } else if (bitRange(val, 18)) {
      w.writePrefixed(0b111110, 6, val, 18);
    } else if (bitRange(val, 25)) {
      w.writePrefixed(0b1111110, 7, val, 25);
    } else if (bitRange(val, 56)) {
      w.writePrefixed(0b11111110, 8, val, 56);
    } else {
      w.writePrefixed(0b11111111, 8, val, 64);
    }
  }

  /** Go's {@code bitRangeUint}: {@code x < 2^n}. */
  private static boolean fitsUnsigned(long x, int nbits) {
    return Long.numberOfLeadingZeros(x) >= 64 - nbits;
  }

  /** Go's {@code putVarbitUint}: the buckets of {@link #putInt} for a uint64. */
  static void putUint(BitWriter w, long val) {
    if (val == 0) {
      w.writeZero();
    } else if (fitsUnsigned(val, 3)) {
      w.writePrefixed(0b10, 2, val, 3);
    } else if (fitsUnsigned(val, 6)) {
      w.writePrefixed(0b110, 3, val, 6);
    } else if (fitsUnsigned(val, 9)) {
      w.writePrefixed(0b1110, 4, val, 9);
    } else if (fitsUnsigned(val, 12)) {
      w.writePrefixed(0b11110, 5, val, 12);
    } else if (fitsUnsigned(val, 18)) {
      w.writePrefixed(0b111110, 6, val, 18);
    } else if (fitsUnsigned(val, 25)) {
      w.writePrefixed(0b1111110, 7, val, 25);
    } else if (fitsUnsigned(val, 56)) {
      w.writePrefixed(0b11111110, 8, val, 56);
    } else {
      w.writePrefixed(0b11111111, 8, val, 64);
    }
  }

  /**
   * Go's {@code xorWrite}: the Gorilla encoding of {@code newBits} against {@code prevBits}.
   * {@code window} packs leading (bits 15-8, 0xFF before the first value) and trailing zeros
   * (bits 7-0); the new window is returned.
   *
   * <pre>
   * 0                                  value unchanged
   * 10 bits(64-leading-trailing)       XOR fits the current window
   * 11 leading(5) sigbits(6) bits      new window; leading clamped to 31, sigbits 64 written as 0
   * </pre>
   */
  static int putXor(BitWriter w, long newBits, long prevBits, int window) {
    long delta = newBits ^ prevBits;
    if (delta == 0) {
      w.writeZero();
      return window;
    }
    int leading = window >>> 8;
    int trailing = window & 0xFF;
    int newLeading = Math.min(Long.numberOfLeadingZeros(delta), 31);
    int newTrailing = Long.numberOfTrailingZeros(delta);
    if (leading != 0xFF && newLeading >= leading && newTrailing >= trailing) {
      w.writePrefixed(0b10, 2, delta >>> trailing, 64 - leading - trailing);
      return window;
    }
    int sig = 64 - newLeading - newTrailing;
    long prefix = (0b11L << 11) | ((long) newLeading << 6) | (sig & 63);
    w.writePrefixed(prefix, 13, delta >>> newTrailing, sig);
    return (newLeading << 8) | newTrailing;
  }
}
