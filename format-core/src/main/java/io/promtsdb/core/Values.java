package io.promtsdb.core;

/**
 * Special float values. Prometheus marks the end of a series with a staleness marker, a
 * signalling NaN with a specific payload; ordinary NaN values are a different pattern.
 * Compare with {@link Double#doubleToRawLongBits}, never with {@code ==} or
 * {@link Double#doubleToLongBits} (which folds every NaN into one).
 */
public final class Values {
  /** The staleness marker's bits: {@code 0x7ff0000000000002}. */
  public static final long STALE_NAN_BITS = 0x7ff0000000000002L;

  /** The NaN Prometheus writes for an ordinary NaN sample: {@code 0x7ff8000000000001}. */
  public static final long NORMAL_NAN_BITS = 0x7ff8000000000001L;

  public static final double STALE_NAN = Double.longBitsToDouble(STALE_NAN_BITS);

  private Values() {}

  public static boolean isStaleNaN(double v) {
    return Double.doubleToRawLongBits(v) == STALE_NAN_BITS;
  }

  public static boolean isStaleNaN(long bits) {
    return bits == STALE_NAN_BITS;
  }
}
