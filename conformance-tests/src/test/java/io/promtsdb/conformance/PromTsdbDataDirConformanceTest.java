package io.promtsdb.conformance;

import java.util.List;

/**
 * Data directories: {@code list-blocks} now; {@code dump-dir} and {@code write-blocks} need
 * the engine (issues 6 and 7) and show as skipped until it provides them.
 */
class PromTsdbDataDirConformanceTest extends AbstractDataDirConformanceTest {
  @Override
  protected DumpDir dumper() {
    return null;
  }

  @Override
  protected ListBlocks lister() {
    return PromTsdb::listBlocks;
  }

  @Override
  protected List<String> targets() {
    return PromTsdb.TARGETS;
  }

  @Override
  protected boolean realPrometheus() {
    return false;
  }
}
