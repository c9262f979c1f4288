package io.promtsdb.conformance;

/** The conformance suite for block index readers and writers: {@code read-index}, {@code write-index}. */
public abstract class AbstractIndexConformanceTest extends AbstractConformanceTest {
  protected abstract ReadIndex reader();

  /** Null if the implementation only reads. */
  protected WriteIndex writer() {
    return null;
  }

  @Override
  protected final Capability.Family family() {
    return Capability.Family.INDEX;
  }

  @Override
  protected void capabilities(JavaImplementation.Builder b) {
    ReadIndex r = reader();
    if (r != null) {
      b.readIndex(r);
    }
    WriteIndex w = writer();
    if (w != null) {
      b.writeIndex(w);
    }
  }
}
