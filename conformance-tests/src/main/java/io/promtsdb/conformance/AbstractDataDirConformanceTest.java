package io.promtsdb.conformance;

/**
 * The conformance suite for whole data directories: {@code dump-dir} (blocks, head, WAL,
 * out-of-order data, as {@code promtool tsdb dump}), {@code write-blocks} (backfill from
 * OpenMetrics) and {@code list-blocks}.
 */
public abstract class AbstractDataDirConformanceTest extends AbstractConformanceTest {
  /** Null if the implementation cannot dump a data directory. */
  protected abstract DumpDir dumper();

  /** Null if the implementation cannot create blocks from OpenMetrics. */
  protected WriteBlocks backfiller() {
    return null;
  }

  /** Null if the implementation cannot list blocks. */
  protected ListBlocks lister() {
    return null;
  }

  @Override
  protected final Capability.Family family() {
    return Capability.Family.DATA_DIRS;
  }

  @Override
  protected void capabilities(JavaImplementation.Builder b) {
    DumpDir d = dumper();
    if (d != null) {
      b.dumpDir(d);
    }
    WriteBlocks w = backfiller();
    if (w != null) {
      b.writeBlocks(w);
    }
    ListBlocks l = lister();
    if (l != null) {
      b.listBlocks(l);
    }
  }
}
