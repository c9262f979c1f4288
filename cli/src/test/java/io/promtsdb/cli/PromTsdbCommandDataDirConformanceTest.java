package io.promtsdb.cli;

import io.promtsdb.conformance.AbstractDataDirConformanceTest;
import io.promtsdb.conformance.DumpDir;
import io.promtsdb.conformance.ListBlocks;
import io.promtsdb.conformance.PromTsdb;
import io.promtsdb.conformance.WriteBlocks;
import java.util.List;

/**
 * The data-directory conformance suite for the command's capabilities ({@code promtsdb
 * adapter} offers {@link PromTsdb}'s), write-blocks ({@code tsdb create-blocks-from
 * openmetrics}) among them: the corpus cases, and the cross matrix with real promtool 3.5.3 and
 * 2.53.3 when installed (PROMTSDB_PROMETHEUS_HOME; otherwise those pairs are left out with a
 * message), so blocks we write are dumped by promtool and blocks promtool writes are read by
 * us. (The in-process suite in conformance-tests leaves real Prometheus out.)
 */
class PromTsdbCommandDataDirConformanceTest extends AbstractDataDirConformanceTest {
  @Override
  protected DumpDir dumper() {
    return PromTsdb::dumpDir;
  }

  @Override
  protected WriteBlocks backfiller() {
    return PromTsdb::writeBlocks;
  }

  @Override
  protected ListBlocks lister() {
    return PromTsdb::listBlocks;
  }

  @Override
  protected List<String> targets() {
    return PromTsdb.TARGETS;
  }
}
