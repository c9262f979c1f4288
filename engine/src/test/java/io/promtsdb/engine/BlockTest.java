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

  /**
   * For ranges that leave series out, a block querier reads chunk metas first and labels only
   * for series with chunks in range; the chunk metas it reads itself equal the index reader's,
   * and the selects equal those that read labels first.
   */
  @Test
  void labelsAfterChunkMetasChangeNothing() throws IOException {
    int blocks = 0;
    for (String f : List.of("p3-none", "p3-snappy", "p3-zstd", "p2-snappy")) {
      try (ReadOnlyDb db = ReadOnlyDb.open(TestData.path("fixtures/" + f + "/data"))) {
        for (Block b : db.blocks()) {
          blocks++;
          BlockIndexView view = new BlockIndexView(b.index(), b.meta().minTime(), b.meta().maxTime());
          assertThat(view.labelsLater(b.meta().minTime(), b.meta().maxTime() - 1)).isFalse();
          assertThat(view.labelsLater(b.meta().minTime() + 1, b.meta().maxTime())).isTrue();
          ChunkMetas quick = new ChunkMetas();
          ChunkMetas full = new ChunkMetas();
          io.promtsdb.index.Postings all = b.index().allPostings();
          int series = 0;
          for (long ref = all.next(); ref != io.promtsdb.index.Postings.END; ref = all.next()) {
            assertThat(view.quickChunkMetas(ref, quick)).isTrue();
            assertThat(view.series(ref, full)).isNotNull();
            assertThat(quick.size()).isEqualTo(full.size());
            for (int i = 0; i < full.size(); i++) {
              assertThat(quick.refs[i]).isEqualTo(full.refs[i]);
              assertThat(quick.minTimes[i]).isEqualTo(full.minTimes[i]);
              assertThat(quick.maxTimes[i]).isEqualTo(full.maxTimes[i]);
            }
            series++;
          }
          assertThat(series).isPositive();
          long span = b.meta().maxTime() - b.meta().minTime();
          for (long[] r : new long[][] {
            {b.meta().minTime(), b.meta().minTime()},
            {b.meta().minTime() + span / 3, b.meta().minTime() + span / 2},
            {b.meta().maxTime() - 1, b.meta().maxTime() + 1000},
            {b.meta().minTime() - 5000, b.meta().minTime() + span / 4}}) {
            ChunkView cv = (ref, min, max, att, reuse) -> ChunkSampleIterator.of(b.chunks().chunk(ref), reuse);
            Map<String, String> got = new LinkedHashMap<>();
            Map<String, String> want = new LinkedHashMap<>();
            for (boolean later : new boolean[] {true, false}) {
              io.promtsdb.index.Postings p = b.index().allPostings();
              SeriesSet ss = new BlockQuerier.BlockSeriesSet(view, cv, ref -> b.tombstones().get(ref), p, r[0], r[1], later);
              Map<String, String> out = later ? got : want;
              while (ss.next()) {
                StringBuilder sb = new StringBuilder();
                SampleIterator it = ss.at().iterator(null);
                for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
                  sb.append(it.atT()).append(' ');
                }
                out.put(ss.at().labels().toString(), sb.toString());
              }
            }
            assertThat(got).isEqualTo(want);
          }
        }
      }
    }
    assertThat(blocks).isGreaterThan(3);
  }
}
