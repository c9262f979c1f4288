package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BlockTest {

  static Map<String, String> query(Querier q, List<Matcher> ms) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    SeriesSet ss = q.select(true, ms);
    while (ss.next()) {
      StringBuilder b = new StringBuilder();
      SampleIterator it = ss.at().iterator(null);
      for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
        b.append('(').append(it.atT()).append(',').append(it.atValue()).append(')');
      }
      out.put(ss.at().labels().toString(), b.toString());
    }
    return out;
  }

  /** Prometheus' TestReadIndexFormatV1 (tsdb/block_test.go) on the block it reads. */
  @Test
  void readsIndexFormatV1LikePrometheus() throws IOException {
    try (Block b = Block.open(TestData.path("prometheus-2.42.0/index_format_v1"))) {
      assertThat(b.index().version()).isEqualTo(1);
      try (Querier q = b.querier(0, 1000)) {
        assertThat(query(q, List.of(Matcher.equal("foo", "bar")))).isEqualTo(Map.of("{foo=\"bar\"}", "(1,2.0)"));
        assertThat(query(q, List.of(Matcher.notRegex("foo", "^.?$"))))
            .isEqualTo(Map.of("{foo=\"bar\"}", "(1,2.0)", "{foo=\"baz\"}", "(3,4.0)"));
      }
    }
  }

  @Test
  void trimsToTheQueriedRange() throws IOException {
    try (ReadOnlyDb db = ReadOnlyDb.open(TestData.path("fixtures/p3-none/data"))) {
      Block b = db.blocks().get(1);
      long mint = b.meta().minTime() + 30_000;
      long maxt = mint + 10_000;
      try (Querier q = b.querier(mint, maxt)) {
        SeriesSet ss = q.select(false, MetricSelectors.parse("{job=\"prometheus\"}"));
        int series = 0;
        while (ss.next()) {
          SampleIterator it = ss.at().iterator(null);
          for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
            assertThat(it.atT()).isBetween(mint, maxt);
          }
          series++;
        }
        assertThat(series).isGreaterThan(100);
      }
      // seek, as PromQL uses it
      try (Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        SeriesSet ss = q.select(true, MetricSelectors.parse("up"));
        assertThat(ss.next()).isTrue();
        SampleIterator it = ss.at().iterator(null);
        assertThat(it.seek(mint)).isEqualTo(ValueType.FLOAT);
        assertThat(it.atT()).isGreaterThanOrEqualTo(mint);
        long t = it.atT();
        assertThat(it.seek(mint - 100_000)).isEqualTo(ValueType.FLOAT); // never backwards
        assertThat(it.atT()).isEqualTo(t);
      }
    }
  }
}
