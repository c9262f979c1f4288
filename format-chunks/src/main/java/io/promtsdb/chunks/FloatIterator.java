package io.promtsdb.chunks;

/** An iterator over float samples (XOR and XOR2 chunks). */
public sealed interface FloatIterator extends ChunkIterator permits XorIterator, Xor2Iterator {

  /** The current value. */
  double atValue();

  /** The current value's IEEE-754 bits, exactly as stored (NaN payloads, stale markers). */
  long atValueBits();
}
