package io.promtsdb.engine;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

/**
 * Answers queries over a closed time range {@code [mint, maxt]} (Go's {@code
 * storage.Querier}).
 *
 * <pre>{@code
 * try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
 *   SeriesSet ss = q.select(true, MetricSelectors.parse("up{job=\"api\"}"));
 *   while (ss.next()) { ... }
 * }
 * }</pre>
 */
public interface Querier extends Closeable {

  /**
   * The series selected by {@code matchers} (all must match), with their samples in the
   * range. With {@code sortSeries} the series come in label order; without it a single block
   * or head may return them in reference order (a querier over several always sorts, since
   * merging needs it). No matchers select nothing.
   */
  SeriesSet select(boolean sortSeries, List<Matcher> matchers) throws IOException;

  /** The values of label {@code name} among the series {@code matchers} select, sorted. */
  List<String> labelValues(String name, List<Matcher> matchers) throws IOException;

  /** The label names of the series {@code matchers} select (all names if none), sorted. */
  List<String> labelNames(List<Matcher> matchers) throws IOException;

  @Override
  void close() throws IOException;
}
