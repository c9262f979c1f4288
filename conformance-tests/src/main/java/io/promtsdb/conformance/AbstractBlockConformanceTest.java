package io.promtsdb.conformance;

/** The conformance suite for whole blocks: {@code read-block}, {@code write-block}. */
public abstract class AbstractBlockConformanceTest extends AbstractConformanceTest {
  protected abstract ReadBlock reader();

  /** Null if the implementation only reads. */
  protected WriteBlock writer() {
    return null;
  }

  @Override
  protected final Capability.Family family() {
    return Capability.Family.BLOCKS;
  }

  @Override
  protected void capabilities(JavaImplementation.Builder b) {
    ReadBlock r = reader();
    if (r != null) {
      b.readBlock(r);
    }
    WriteBlock w = writer();
    if (w != null) {
      b.writeBlock(w);
    }
  }
}
