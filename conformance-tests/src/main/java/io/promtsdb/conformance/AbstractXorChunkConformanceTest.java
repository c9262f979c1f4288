package io.promtsdb.conformance;

import java.util.function.Predicate;

/**
 * The conformance suite for an implementation of the XOR float chunk (encoding 1) alone, e.g.
 * a remote-read client's decoder:
 *
 * <pre>{@code
 * class MyXorConformanceTest extends AbstractXorChunkConformanceTest {
 *   protected DecodeChunk decoder() { return (encoding, bytes) -> new DecodedChunk(MyXor.decode(bytes), null); }
 *   protected EncodeChunk encoder() { return null; } // decode only: encode cases are skipped
 *   protected Map<String, String> optOuts() { return Map.of("decode-chunk/corrupt-xor-empty", "we assume a header"); }
 * }
 * }</pre>
 */
public abstract class AbstractXorChunkConformanceTest extends AbstractConformanceTest {
  /** Decodes XOR chunks; the encoding argument is always 1. */
  protected abstract DecodeChunk decoder();

  /** Encodes XOR chunks, or null if the implementation does not. */
  protected EncodeChunk encoder() {
    return null;
  }

  @Override
  protected final Capability.Family family() {
    return Capability.Family.CHUNKS;
  }

  @Override
  protected void capabilities(JavaImplementation.Builder b) {
    DecodeChunk d = decoder();
    if (d != null) {
      b.decodeChunk(d);
    }
    EncodeChunk e = encoder();
    if (e != null) {
      b.encodeChunk(e);
    }
  }

  /** Only the XOR pairs of the matrix. */
  @Override
  protected Predicate<CaseResult> matrixFilter() {
    return r -> r.id().startsWith("matrix/chunks/xor-");
  }

  /** Only the cases of encoding 1 (the encodings' other cases belong to other suites). */
  @Override
  protected Predicate<ConformanceCase> caseFilter() {
    return c -> c.request().path("encoding").asInt() == 1;
  }
}
