package io.promtsdb.chunks;

import io.promtsdb.core.CounterResetHint;

/**
 * The two counter-reset bits of a histogram chunk header (Go's {@code CounterResetHeader}).
 * They sit in bits 7-6 of byte 2 for encodings 2 and 3, and of byte 0 for the ST encodings 5
 * and 6. The codes differ from the WAL's {@link CounterResetHint} bytes.
 */
public enum CounterResetHeader {
  /** {@code 0b00}: not known whether a counter reset started this chunk. */
  UNKNOWN(0b00),
  /** {@code 0b01}: definitely no counter reset when this chunk was cut. */
  NOT_COUNTER_RESET(0b01),
  /** {@code 0b10}: a counter reset started this chunk. */
  COUNTER_RESET(0b10),
  /** {@code 0b11}: the chunk holds gauge histograms. */
  GAUGE(0b11);

  private final int code;

  CounterResetHeader(int code) {
    this.code = code;
  }

  /** The two-bit code. */
  public int code() {
    return code;
  }

  /** The header byte bits: {@code code << 6}. */
  public int bits() {
    return code << 6;
  }

  /** The header in bits 7-6 of {@code headerByte}. */
  public static CounterResetHeader fromByte(int headerByte) {
    return switch ((headerByte >>> 6) & 0b11) {
      case 0b00 -> UNKNOWN;
      case 0b01 -> NOT_COUNTER_RESET;
      case 0b10 -> COUNTER_RESET;
      default -> GAUGE;
    };
  }

  /** Go's {@code CounterResetHintToHeader}. */
  public static CounterResetHeader fromHint(CounterResetHint hint) {
    return switch (hint) {
      case COUNTER_RESET -> COUNTER_RESET;
      case NOT_COUNTER_RESET -> NOT_COUNTER_RESET;
      case GAUGE -> GAUGE;
      case UNKNOWN -> UNKNOWN;
    };
  }

  /**
   * Go's {@code counterResetHint(crh, numRead)}: the hint reported for the sample at
   * 1-based position {@code numRead} of a chunk with this header. Only gauge chunks and
   * samples after the first carry a definite hint.
   */
  CounterResetHint hintAt(int numRead) {
    if (this == GAUGE) {
      return CounterResetHint.GAUGE;
    }
    return numRead > 1 ? CounterResetHint.NOT_COUNTER_RESET : CounterResetHint.UNKNOWN;
  }
}
