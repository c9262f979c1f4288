package io.promtsdb.core;

/**
 * What is known about a counter reset at a histogram sample: Go's
 * {@code histogram.CounterResetHint}. {@link #code()} is the byte stored in WAL records;
 * histogram chunk headers use a different 2-bit code (see the chunks module).
 */
public enum CounterResetHint {
  UNKNOWN(0),
  COUNTER_RESET(1),
  NOT_COUNTER_RESET(2),
  GAUGE(3);

  private final int code;

  CounterResetHint(int code) {
    this.code = code;
  }

  /** The WAL record byte for this hint. */
  public int code() {
    return code;
  }

  /** The hint for a WAL byte, or {@code null} for a byte that names none. */
  public static CounterResetHint fromCode(int code) {
    return switch (code) {
      case 0 -> UNKNOWN;
      case 1 -> COUNTER_RESET;
      case 2 -> NOT_COUNTER_RESET;
      case 3 -> GAUGE;
      default -> null;
    };
  }
}
