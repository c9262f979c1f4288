/**
 * JMH benchmarks of PromTSDB's hot paths. Run from the shaded {@code benchmarks.jar} on the
 * class path; this descriptor documents the dependencies and exports the benchmark packages
 * (JMH's generated code reflects into them).
 */
module io.promtsdb.benchmarks {
  requires io.promtsdb.core;
  requires io.promtsdb.chunks;
  requires io.promtsdb.wal;
  requires io.promtsdb.index;
  requires io.promtsdb.engine;
  requires jmh.core;
  requires com.fasterxml.jackson.databind;

  exports io.promtsdb.benchmarks;
  exports io.promtsdb.benchmarks.core;
  exports io.promtsdb.benchmarks.chunks;
  exports io.promtsdb.benchmarks.wal;
  exports io.promtsdb.benchmarks.index;
  exports io.promtsdb.benchmarks.engine;
}
