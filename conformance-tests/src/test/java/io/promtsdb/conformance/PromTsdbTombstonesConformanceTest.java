package io.promtsdb.conformance;

import io.promtsdb.tombstones.TombstonesFile;
import java.nio.file.Files;
import java.util.List;

class PromTsdbTombstonesConformanceTest extends AbstractTombstonesConformanceTest {
  @Override
  protected ReadTombstones reader() {
    return PromTsdb::readTombstones;
  }

  @Override
  protected WriteTombstones writer() {
    return (file, entries) -> Files.write(file, TombstonesFile.encode(entries));
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
