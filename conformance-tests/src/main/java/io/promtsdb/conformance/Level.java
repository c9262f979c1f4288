package io.promtsdb.conformance;

/**
 * How binding a case is, in RFC 2119 terms: a MUST case that fails means the implementation
 * does not conform; SHOULD cases are what Prometheus does where a reader or writer may still
 * interoperate without it (byte-identical output, exact error offsets); MAY cases cover
 * optional behaviour.
 */
public enum Level {
  MUST,
  SHOULD,
  MAY;

  public static Level parse(String s) {
    return switch (s) {
      case "MUST" -> MUST;
      case "SHOULD" -> SHOULD;
      case "MAY" -> MAY;
      default -> throw new Canonical.MalformedJsonException("level", "expected MUST, SHOULD or MAY, got " + s);
    };
  }
}
