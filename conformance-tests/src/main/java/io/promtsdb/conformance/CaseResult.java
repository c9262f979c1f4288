package io.promtsdb.conformance;

/**
 * The outcome of one case (or matrix pair) for one implementation.
 *
 * @param id the case id (matrix pairs: {@code matrix/...})
 * @param capability the capability's wire name
 * @param implementation the implementation's id
 * @param message one line: why it failed or was skipped
 * @param detail more text for reports (a diff, a stack trace), possibly empty
 */
public record CaseResult(
    String id,
    String capability,
    Level level,
    String implementation,
    Outcome outcome,
    String message,
    String detail,
    String description,
    long millis) {

  /** Pass, fail or skip. */
  public enum Outcome {
    PASS,
    FAIL,
    SKIP
  }

  public CaseResult {
    message = message == null ? "" : message;
    detail = detail == null ? "" : detail;
    description = description == null ? "" : description;
  }

  public boolean passed() {
    return outcome == Outcome.PASS;
  }

  public boolean failed() {
    return outcome == Outcome.FAIL;
  }

  public boolean skipped() {
    return outcome == Outcome.SKIP;
  }

  @Override
  public String toString() {
    return outcome + " " + id + " [" + level + "] " + implementation + (message.isEmpty() ? "" : ": " + message);
  }
}
