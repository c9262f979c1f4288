package io.promtsdb.conformance;

/**
 * The conformance suite for chunk codecs of every encoding (XOR, XOR2, integer and float
 * histograms, with and without start timestamps): {@code decode-chunk} and {@code
 * encode-chunk}. Cases of encodings newer than {@link #targets()} are skipped.
 */
public abstract class AbstractChunkConformanceTest extends AbstractConformanceTest {
  protected abstract DecodeChunk decoder();

  /** Null if the implementation only decodes. */
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
}
