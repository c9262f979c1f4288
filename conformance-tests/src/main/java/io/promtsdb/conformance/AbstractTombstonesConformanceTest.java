package io.promtsdb.conformance;

/** The conformance suite for the tombstones file: {@code read-tombstones}, {@code write-tombstones}. */
public abstract class AbstractTombstonesConformanceTest extends AbstractConformanceTest {
  protected abstract ReadTombstones reader();

  /** Null if the implementation only reads. */
  protected WriteTombstones writer() {
    return null;
  }

  @Override
  protected final Capability.Family family() {
    return Capability.Family.TOMBSTONES;
  }

  @Override
  protected void capabilities(JavaImplementation.Builder b) {
    ReadTombstones r = reader();
    if (r != null) {
      b.readTombstones(r);
    }
    WriteTombstones w = writer();
    if (w != null) {
      b.writeTombstones(w);
    }
  }
}
