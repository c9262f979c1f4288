package io.promtsdb.conformance;

import java.util.List;

class PromTsdbWalConformanceTest extends AbstractWalConformanceTest {
  @Override
  protected ReadWal reader() {
    return PromTsdb::readWal;
  }

  @Override
  protected WriteWal writer() {
    return PromTsdb::writeWal;
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
