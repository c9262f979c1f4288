package io.promtsdb.chunks;

import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Span;

/**
 * The chunk layout written once, before the first sample of a histogram chunk (Go's
 * {@code histogram_meta.go}):
 *
 * <pre>
 * zero threshold   1 byte: 0 = 0.0, 1..254 = 2^(b-244), 255 = followed by 64 raw bits
 * schema           &lt;varbit_int&gt;
 * positive spans   &lt;varbit_uint&gt; count, then per span &lt;varbit_uint&gt; length, &lt;varbit_int&gt; offset
 * negative spans   the same
 * custom bounds    schema -53 only: &lt;varbit_uint&gt; count, then per bound either
 *                  &lt;varbit_uint&gt; round(bound*1000)+1, or a 0 bit and 64 raw bits
 * </pre>
 */
final class HistogramLayout {
  private HistogramLayout() {}

  /** Bytes before the bit stream in every histogram encoding. */
  static final int HEADER_BYTES = 3;

  /** Low 14 bits of the count word of the ST histogram encodings. */
  static final int ST_SAMPLE_COUNT_MASK = 0x3FFF;

  static final Span[] NO_SPANS = new Span[0];
  static final double[] NO_VALUES = new double[0];

  /** A decoded layout. */
  record Layout(int schema, double zeroThreshold, Span[] positive, Span[] negative, double[] customValues) {}

  static void write(
      BitWriter w, int schema, double zeroThreshold, Span[] pos, Span[] neg, double[] custom) {
    putZeroThreshold(w, zeroThreshold);
    Varbit.putInt(w, schema);
    putSpans(w, pos);
    putSpans(w, neg);
    if (schema == Histogram.CUSTOM_BUCKETS_SCHEMA) {
      Varbit.putUint(w, custom.length);
      for (double bound : custom) {
        putCustomBound(w, bound);
      }
    }
  }

  private static void putSpans(BitWriter w, Span[] spans) {
    Varbit.putUint(w, spans.length);
    for (Span s : spans) {
      Varbit.putUint(w, s.length() & 0xFFFFFFFFL);
      Varbit.putInt(w, s.offset());
    }
  }

  /**
   * Go's {@code putZeroThreshold}: powers of two from 2^-243 to 2^10 take one byte (the
   * {@code math.Frexp} exponent plus 243), zero takes a zero byte, anything else 255 and the
   * 64 bits.
   */
  static void putZeroThreshold(BitWriter w, double threshold) {
    if (threshold == 0) {
      w.writeByte(0);
      return;
    }
    long bits = Double.doubleToRawLongBits(threshold);
    int exp = Math.getExponent(threshold) + 1; // Frexp's exponent for a normal number.
    boolean powerOfTwo =
        threshold > 0 && (bits & 0x000FFFFFFFFFFFFFL) == 0 && Math.getExponent(threshold) >= Double.MIN_EXPONENT;
    if (!powerOfTwo || exp < -242 || exp > 11) {
      w.writeByte(255);
      w.writeBits(bits, 64);
      return;
    }
    w.writeByte(exp + 243);
  }

  static double readZeroThreshold(BitReader r) {
    int b = r.readByte();
    return switch (b) {
      case 0 -> 0.0;
      case 255 -> Double.longBitsToDouble(r.readBits(64));
      default -> Math.scalb(0.5, b - 243);
    };
  }

  /**
   * Go's {@code putCustomBound}: bounds that are non-negative multiples of 0.001 up to
   * 33554.430 as {@code <varbit_uint>(round(bound*1000)+1)}, others as a 0 bit and 64 bits.
   */
  static void putCustomBound(BitWriter w, double f) {
    double tf = f * 1000;
    if (tf < 0 || tf > 33554430 || !isWholeWhenMultiplied(f)) {
      w.writeZero();
      w.writeBits(Double.doubleToRawLongBits(f), 64);
      return;
    }
    Varbit.putUint(w, Math.round(tf) + 1);
  }

  /** Go's {@code isWholeWhenMultiplied}; only called for 0 <= f*1000 <= 33554430. */
  private static boolean isWholeWhenMultiplied(double in) {
    long i = Math.round(in * 1000);
    return in == i / 1000.0;
  }

  static double readCustomBound(BitReader r) {
    long u = r.readVarbitUint();
    if (u == 0) {
      return Double.longBitsToDouble(r.readBits(64));
    }
    return unsignedToDouble(u - 1) / 1000;
  }

  /** Go's {@code float64(u)} for a uint64. */
  static double unsignedToDouble(long u) {
    if (u >= 0) {
      return (double) u;
    }
    return ((double) ((u >>> 1) | (u & 1))) * 2.0;
  }

  /** Reads and checks a layout; nothing is allocated before its size is checked. */
  static Layout read(BitReader r) throws CorruptFormatException {
    long start = r.position();
    double zeroThreshold = readZeroThreshold(r);
    long schemaValue = r.readVarbitInt();
    if (r.overrun()) {
      throw r.corruptAt(start, "histogram chunk layout runs past the end of the chunk");
    }
    if (schemaValue != (int) schemaValue || !Histogram.isKnownSchema((int) schemaValue)) {
      throw r.corruptAt(start, "histogram schema: actual " + schemaValue
          + " vs expected -53 or -9 to 52");
    }
    int schema = (int) schemaValue;
    Span[] pos = readSpans(r, "positive");
    Span[] neg = readSpans(r, "negative");
    double[] custom = NO_VALUES;
    if (schema == Histogram.CUSTOM_BUCKETS_SCHEMA) {
      long at = r.position();
      long n = r.readVarbitUint();
      // Each bound takes at least 5 bits.
      if (n < 0 || n > Math.max(0, r.remainingBits()) / 5) {
        throw r.corruptAt(at, "custom bounds: count " + Long.toUnsignedString(n)
            + " exceeds what the remaining " + Math.max(0, r.remainingBits()) + " bits can hold");
      }
      custom = new double[(int) n];
      for (int i = 0; i < n; i++) {
        custom[i] = readCustomBound(r);
      }
    }
    if (r.overrun()) {
      throw r.corruptAt(start, "histogram chunk layout runs past the end of the chunk");
    }
    return new Layout(schema, zeroThreshold, pos, neg, custom);
  }

  private static Span[] readSpans(BitReader r, String side) throws CorruptFormatException {
    long at = r.position();
    long n = r.readVarbitUint();
    // Each span takes at least 2 bits.
    if (n < 0 || n > Math.max(0, r.remainingBits()) / 2) {
      throw r.corruptAt(at, side + " spans: count " + Long.toUnsignedString(n)
          + " exceeds what the remaining " + Math.max(0, r.remainingBits()) + " bits can hold");
    }
    if (n == 0) {
      return NO_SPANS;
    }
    Span[] spans = new Span[(int) n];
    for (int i = 0; i < n; i++) {
      long spanAt = r.position();
      long length = r.readVarbitUint();
      long offset = r.readVarbitInt();
      if (length < 0 || length > Integer.MAX_VALUE) {
        throw r.corruptAt(spanAt, side + " span " + i + ": length " + Long.toUnsignedString(length)
            + " out of range");
      }
      if (offset != (int) offset) {
        throw r.corruptAt(spanAt, side + " span " + i + ": offset " + offset + " exceeds int32");
      }
      spans[i] = new Span((int) offset, (int) length);
    }
    return spans;
  }

  /** Total buckets described by {@code spans}. */
  static long countBuckets(Span[] spans) {
    long n = 0;
    for (Span s : spans) {
      n += s.length();
    }
    return n;
  }
}
