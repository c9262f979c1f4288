package io.promtsdb.conformance;

import java.util.List;
import java.util.Map;

/**
 * Data directories: {@code dump-dir} (the engine's read-only database), {@code list-blocks}
 * and {@code write-blocks} (the engine's OpenMetrics backfill).
 */
class PromTsdbDataDirConformanceTest extends AbstractDataDirConformanceTest {
  @Override
  protected DumpDir dumper() {
    return PromTsdb::dumpDir;
  }

  @Override
  protected ListBlocks lister() {
    return PromTsdb::listBlocks;
  }

  @Override
  protected WriteBlocks backfiller() {
    return PromTsdb::writeBlocks;
  }

  @Override
  protected Map<Capability, String> missingReasons() {
    return PromTsdb.MISSING;
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
