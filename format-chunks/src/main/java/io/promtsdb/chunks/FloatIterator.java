package io.promtsdb.chunks;

/** An iterator over float samples (XOR and XOR2 chunks). */
public sealed interface FloatIterator extends ChunkIterator permits XorIterator, Xor2Iterator {

  /** The current value. */
  double atValue();

  /** The current value's IEEE-754 bits, exactly as stored (NaN payloads, stale markers). */
  long atValueBits();

  /**
   * Decodes up to {@code max} further samples into {@code ts[off..]} and the values' bits into
   * {@code valueBits[off..]}; returns how many (0 once the chunk is exhausted). Afterwards the
   * iterator points at the last sample decoded. The fast way to decode a whole chunk.
   *
   * <p>If a sample is corrupt after some samples of the batch were decoded, those are returned
   * and the next call ({@code readBatch} or {@link #next()}) throws the error.
   */
  int readBatch(long[] ts, long[] valueBits, int off, int max) throws io.promtsdb.core.CorruptFormatException;
}
