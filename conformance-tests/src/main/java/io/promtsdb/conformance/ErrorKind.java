package io.promtsdb.conformance;

/**
 * The kinds of error an adapter reports (the {@code kind} member of an error response).
 *
 * <p>{@link #CHECKSUM_MISMATCH} and {@link #UNSUPPORTED_VERSION} are special cases of {@link
 * #CORRUPT}: a case expecting {@code corrupt} accepts all three, a case expecting one of the two
 * requires exactly that one. {@link #UNSUPPORTED} says the implementation does not do what was
 * asked (a capability, an option, a target version). {@link #CRASH} is never reported by an
 * adapter: the suite assigns it to a process that died, printed no JSON, or, in process, to an
 * unchecked exception.
 */
public enum ErrorKind {
  CORRUPT("corrupt"),
  CHECKSUM_MISMATCH("checksum-mismatch"),
  UNSUPPORTED_VERSION("unsupported-version"),
  UNSUPPORTED("unsupported"),
  CRASH("crash");

  private final String wireName;

  ErrorKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether an error of this kind satisfies a case expecting {@code expected}. */
  public boolean satisfies(ErrorKind expected) {
    if (this == expected) {
      return true;
    }
    return expected == CORRUPT && (this == CHECKSUM_MISMATCH || this == UNSUPPORTED_VERSION);
  }

  /** The kind for a wire name, or {@code null}. */
  public static ErrorKind forName(String name) {
    for (ErrorKind k : values()) {
      if (k.wireName.equals(name)) {
        return k;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
