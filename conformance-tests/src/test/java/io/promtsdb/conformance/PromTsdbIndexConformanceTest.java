package io.promtsdb.conformance;

import java.util.List;

class PromTsdbIndexConformanceTest extends AbstractIndexConformanceTest {
  @Override
  protected ReadIndex reader() {
    return PromTsdb::readIndex;
  }

  @Override
  protected WriteIndex writer() {
    return PromTsdb::writeIndex;
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
