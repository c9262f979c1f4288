package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;

/**
 * An implementation under test, seen through the adapter contract: {@code describe}, then one
 * request per case. Requests and outputs are the contract's JSON with absolute paths.
 *
 * <p>Built in: {@link JavaImplementation} (typed Java capabilities in this process, e.g.
 * {@link PromTsdb#implementation()}), {@link CommandImplementation} (any program that follows
 * the contract) and {@link PromtoolImplementation} (real Prometheus).
 */
public interface Implementation extends Closeable {

  /** A short name for reports, e.g. {@code promtsdb} or {@code promtool-3.5.3}. */
  String id();

  Description describe() throws IOException;

  /**
   * Runs one request. Failures of the implementation are {@link Response.Error}s (a crash
   * included); an {@link IOException} means the suite itself could not talk to it.
   */
  Response invoke(Capability capability, ObjectNode request) throws IOException;

  @Override
  default void close() throws IOException {}
}
