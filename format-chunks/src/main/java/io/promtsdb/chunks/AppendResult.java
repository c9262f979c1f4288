package io.promtsdb.chunks;

/**
 * What a histogram append did (Go's {@code (Chunk, isRecoded, Appender, error)} result of
 * {@code AppendHistogram}). {@link #appender()} is always the appender to use next; after
 * {@link Outcome#RECODED} and {@link Outcome#NEW_CHUNK} it writes a different chunk than the
 * appender that was called.
 */
public record AppendResult<A>(Outcome outcome, A appender, String rejection) {

  /** The kinds of outcome. */
  public enum Outcome {
    /** The sample was appended to the current chunk. */
    APPENDED,
    /**
     * New buckets appeared: the current chunk was re-encoded with the wider layout into a new
     * chunk (which replaces it) and the sample appended to that.
     */
    RECODED,
    /** The sample could not go into the current chunk and starts a new one (a cut). */
    NEW_CHUNK,
    /** {@code appendOnly} was set and the sample needed a recode or a new chunk. */
    REJECTED
  }

  static <A> AppendResult<A> appended(A appender) {
    return new AppendResult<>(Outcome.APPENDED, appender, null);
  }

  static <A> AppendResult<A> recoded(A appender) {
    return new AppendResult<>(Outcome.RECODED, appender, null);
  }

  static <A> AppendResult<A> newChunk(A appender) {
    return new AppendResult<>(Outcome.NEW_CHUNK, appender, null);
  }

  static <A> AppendResult<A> rejected(A appender, String reason) {
    return new AppendResult<>(Outcome.REJECTED, appender, reason);
  }
}
