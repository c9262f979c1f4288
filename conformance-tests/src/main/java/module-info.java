/**
 * The PromTSDB conformance suite: a language-neutral case corpus, the adapter contract, built-in
 * adapters (PromTSDB in process and as a command, real Prometheus through promtool), a cross
 * matrix of writers and readers, the {@code conformance.jar} runner, and abstract JUnit 5
 * suites for Java implementations.
 */
module io.promtsdb.conformance {
  requires io.promtsdb.core;
  requires io.promtsdb.chunks;
  requires io.promtsdb.index;
  requires io.promtsdb.wal;
  requires io.promtsdb.tombstones;
  requires io.promtsdb.engine;
  requires com.fasterxml.jackson.databind;
  requires static org.junit.jupiter.api;

  exports io.promtsdb.conformance;
}
