package io.promtsdb.engine;

import io.promtsdb.core.GoQuote;
import io.promtsdb.core.Labels;
import java.util.List;
import java.util.Objects;

/**
 * A label matcher: {@code name op value}, Prometheus' {@code labels.Matcher}.
 *
 * <p>Regular expressions use RE2 syntax (RE2/J), are fully anchored and match newlines with
 * {@code .}: {@code job=~"api|web"} matches exactly "api" and "web". A series without the
 * label is matched as if the label's value were {@code ""}: {@code env=""} selects series
 * that have no {@code env}, {@code env!=""} those that have one, {@code env=~".*"} every
 * series.
 *
 * <pre>{@code
 * Matcher job = Matcher.regex("job", "api|web");
 * job.matches("api");   // true
 * job.setMatches();     // [api, web]: looked up in the postings directly
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class Matcher {
  private final MatchType type;
  private final String name;
  private final String value;
  private final FastRegex regex;
  private final boolean matchesEmpty;

  private Matcher(MatchType type, String name, String value) {
    this.type = Objects.requireNonNull(type, "type");
    this.name = Objects.requireNonNull(name, "name");
    this.value = Objects.requireNonNull(value, "value");
    this.regex =
        type == MatchType.REGEX || type == MatchType.NOT_REGEX ? FastRegex.compile(value) : null;
    this.matchesEmpty = matches("");
  }

  /**
   * A matcher of any type.
   *
   * @throws IllegalArgumentException if a regex does not compile (the message is RE2's, e.g.
   *     {@code error parsing regexp: missing closing ): `(`})
   */
  public static Matcher of(MatchType type, String name, String value) {
    return new Matcher(type, name, value);
  }

  /** {@code name="value"}. */
  public static Matcher equal(String name, String value) {
    return new Matcher(MatchType.EQUAL, name, value);
  }

  /** {@code name!="value"}. */
  public static Matcher notEqual(String name, String value) {
    return new Matcher(MatchType.NOT_EQUAL, name, value);
  }

  /** {@code name=~"regex"}. */
  public static Matcher regex(String name, String regex) {
    return new Matcher(MatchType.REGEX, name, regex);
  }

  /** {@code name!~"regex"}. */
  public static Matcher notRegex(String name, String regex) {
    return new Matcher(MatchType.NOT_REGEX, name, regex);
  }

  public MatchType type() {
    return type;
  }

  public String name() {
    return name;
  }

  /** The string compared against, or the regular expression. */
  public String value() {
    return value;
  }

  /** Whether a label value (or {@code ""} for a missing label) satisfies this matcher. */
  public boolean matches(String s) {
    return switch (type) {
      case EQUAL -> value.equals(s);
      case NOT_EQUAL -> !value.equals(s);
      case REGEX -> regex.matches(s);
      case NOT_REGEX -> !regex.matches(s);
    };
  }

  /** Whether this matcher accepts series that do not carry the label at all. */
  public boolean matchesEmpty() {
    return matchesEmpty;
  }

  /** Whether every labels set satisfies this matcher. */
  public boolean matches(Labels labels) {
    return matches(labels.get(name));
  }

  /** The matcher selecting exactly the values this one rejects. */
  public Matcher inverse() {
    return new Matcher(type.inverse(), name, value);
  }

  /**
   * For a regex matcher whose expression matches a small finite set of non-empty strings
   * ({@code a|b|c}, {@code api_(v1|v2)}), those strings; otherwise an empty list. Prometheus
   * looks these up in the postings instead of scanning every value of the label.
   */
  public List<String> setMatches() {
    return regex == null ? List.of() : regex.setMatches();
  }

  /** For a regex matcher, a literal every matched value starts with (possibly {@code ""}). */
  public String prefix() {
    return regex == null ? "" : regex.prefix();
  }

  /** Whether a regex matcher is answered, at least in part, without running RE2/J. */
  public boolean isRegexOptimized() {
    return regex != null && regex.isOptimized();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Matcher m && m.type == type && m.name.equals(name) && m.value.equals(value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, name, value);
  }

  /**
   * Prometheus' {@code Matcher.String()}: {@code job=~"api|web"}, the name quoted when it is
   * not a legacy identifier, the value always quoted Go-style.
   */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(name.length() + value.length() + 6);
    if (Labels.isLegacyName(name)) {
      b.append(name);
    } else {
      GoQuote.appendQuoted(b, name);
    }
    b.append(type.symbol());
    GoQuote.appendQuoted(b, value);
    return b.toString();
  }
}
