package io.promtsdb.conformance;

/** The conformance suite for WAL readers and writers: {@code read-wal}, {@code write-wal}. */
public abstract class AbstractWalConformanceTest extends AbstractConformanceTest {
  protected abstract ReadWal reader();

  /** Null if the implementation only reads. */
  protected WriteWal writer() {
    return null;
  }

  @Override
  protected final Capability.Family family() {
    return Capability.Family.WAL;
  }

  @Override
  protected void capabilities(JavaImplementation.Builder b) {
    ReadWal r = reader();
    if (r != null) {
      b.readWal(r);
    }
    WriteWal w = writer();
    if (w != null) {
      b.writeWal(w);
    }
  }
}
