package io.promtsdb.conformance;

import java.io.IOException;

/** Capability {@code decode-chunk}: the samples of one chunk. */
@FunctionalInterface
public interface DecodeChunk {
  /**
   * @param encoding the chunk encoding byte (1 XOR, 2 histogram, 3 float histogram, 4 XOR2,
   *     5 histogram with start timestamps, 6 float histogram with start timestamps)
   * @param chunk the chunk bytes, starting with the sample count
   * @throws IOException (preferably {@link io.promtsdb.core.CorruptFormatException}) for bad bytes
   */
  DecodedChunk decode(int encoding, byte[] chunk) throws IOException;
}
