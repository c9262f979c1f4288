package io.promtsdb.engine;

/** The four label matching operators of PromQL (Go's {@code labels.MatchType}). */
public enum MatchType {
  /** {@code =}: the value equals the string. */
  EQUAL("="),
  /** {@code !=}: the value differs from the string. */
  NOT_EQUAL("!="),
  /** {@code =~}: the value matches the fully anchored RE2 expression. */
  REGEX("=~"),
  /** {@code !~}: the value does not match the fully anchored RE2 expression. */
  NOT_REGEX("!~");

  private final String symbol;

  MatchType(String symbol) {
    this.symbol = symbol;
  }

  /** The operator as PromQL writes it. */
  public String symbol() {
    return symbol;
  }

  /** Whether this is {@code !=} or {@code !~}. */
  public boolean isNegative() {
    return this == NOT_EQUAL || this == NOT_REGEX;
  }

  /** The operator with the opposite result. */
  public MatchType inverse() {
    return switch (this) {
      case EQUAL -> NOT_EQUAL;
      case NOT_EQUAL -> EQUAL;
      case REGEX -> NOT_REGEX;
      case NOT_REGEX -> REGEX;
    };
  }

  @Override
  public String toString() {
    return symbol;
  }
}
