package io.promtsdb.chunks;

/** An appender of float samples (XOR and XOR2 chunks). */
public sealed interface FloatAppender permits XorAppender, Xor2Appender {

  ChunkEncoding encoding();

  int numSamples();

  /** Appends a sample; {@code st} is the start timestamp (ignored by XOR, 0 = none). */
  void append(long st, long t, double v);

  /** The chunk written so far (a copy). */
  Chunk chunk();

  /** Current size of the chunk in bytes. */
  int sizeBytes();
}
