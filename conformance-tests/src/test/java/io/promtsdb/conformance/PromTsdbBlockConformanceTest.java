package io.promtsdb.conformance;

import java.util.List;

class PromTsdbBlockConformanceTest extends AbstractBlockConformanceTest {
  @Override
  protected ReadBlock reader() {
    return PromTsdb::readBlock;
  }

  @Override
  protected WriteBlock writer() {
    return PromTsdb::writeBlock;
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
