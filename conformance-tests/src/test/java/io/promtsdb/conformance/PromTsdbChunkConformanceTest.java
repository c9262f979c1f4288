package io.promtsdb.conformance;

import java.util.List;

/** PromTSDB's chunk codecs through the abstract chunk suite (every encoding, 2.x and 3.x bytes). */
class PromTsdbChunkConformanceTest extends AbstractChunkConformanceTest {
  @Override
  protected DecodeChunk decoder() {
    return PromTsdb::decodeChunk;
  }

  @Override
  protected EncodeChunk encoder() {
    return PromTsdb::encodeChunk;
  }

  @Override
  protected List<String> targets() {
    return PromTsdb.TARGETS;
  }

  @Override
  protected boolean realPrometheus() {
    return false; // the real-prometheus profile runs those pairs (RealPrometheusTest)
  }
}
