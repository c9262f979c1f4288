package io.promtsdb.engine;

/**
 * A sample, histogram, exemplar or series rejected by an {@link Appender}, with the kind of
 * error Prometheus returns for it (its {@code storage.Err...} and {@code tsdb.ErrInvalidSample}
 * values) and Prometheus' message. The appender stays usable: the rejected value is simply
 * not part of the transaction.
 */
public final class AppendException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Prometheus' error values; {@link #message()} is the text of the Go error. */
  public enum Kind {
    /** {@code storage.ErrOutOfBounds}: before the head's minimum valid time (a block covers it). */
    OUT_OF_BOUNDS("out of bounds"),
    /** {@code storage.ErrOutOfOrderSample}: not after the series' newest sample, no OOO window. */
    OUT_OF_ORDER_SAMPLE("out of order sample"),
    /** {@code storage.ErrTooOldSample}: older than the out-of-order time window allows. */
    TOO_OLD_SAMPLE("too old sample"),
    /** {@code storage.ErrDuplicateSampleForTimestamp}: same time as the newest, another value. */
    DUPLICATE_SAMPLE_FOR_TIMESTAMP("duplicate sample for timestamp"),
    /** {@code tsdb.ErrInvalidSample}: empty label set, duplicate label names, invalid names or UTF-8. */
    INVALID_SAMPLE("invalid sample"),
    /** A histogram that fails Prometheus' {@code Validate}. */
    INVALID_HISTOGRAM("invalid histogram"),
    /** {@code storage.ErrNativeHistogramsDisabled}. */
    NATIVE_HISTOGRAMS_DISABLED("native histograms are disabled"),
    /** {@code storage.ErrExemplarsDisabled}. */
    EXEMPLARS_DISABLED("exemplar storage is disabled or max exemplars is less than or equal to 0"),
    /** {@code storage.ErrOutOfOrderExemplar}. */
    OUT_OF_ORDER_EXEMPLAR("out of order exemplar"),
    /** {@code storage.ErrDuplicateExemplar}. */
    DUPLICATE_EXEMPLAR("duplicate exemplar"),
    /** {@code storage.ErrExemplarLabelLength}: exemplar labels longer than 128 UTF-8 characters. */
    EXEMPLAR_LABEL_LENGTH("label length for exemplar exceeds maximum of 128 UTF-8 characters"),
    /** {@code storage.ErrNotFound}: a series reference the head does not know. */
    NOT_FOUND("not found");

    private final String message;

    Kind(String message) {
      this.message = message;
    }

    public String message() {
      return message;
    }
  }

  private final Kind kind;

  AppendException(Kind kind) {
    super(kind.message);
    this.kind = kind;
  }

  /** Prometheus wraps the kind: {@code "<detail>: <kind message>"} or a message of its own. */
  AppendException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
