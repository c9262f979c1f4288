// Go side of io.promtsdb.benchmarks.engine.QuerierSelectBenchmark: the shape of Prometheus'
// BenchmarkQuerierSelect (tsdb/querier_bench_test.go), on a block, with 1 to 3 matchers.
// One million series {foo="bar", i="<n>aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd"}, one
// sample each at t = n; a querier over [0, span-1]; each op is one Select (unsorted) and a
// walk over the series it returns. The Java side builds the same block.
//
//	source ENV.sh && cd <gopath>/src/promtsdbbench/engine && go test -run XXX -bench . -benchtime 2s
package engine

import (
	"fmt"
	"os"

	"github.com/go-kit/log"
	"testing"

	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
	"github.com/prometheus/prometheus/tsdb/tsdbutil"
)

const (
	numSeries = 1000000
	suffix    = "aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd"
)

type sample struct{ t int64 }

func (s sample) T() int64                      { return s.t }
func (s sample) V() float64                    { return 0 }
func (s sample) H() *histogram.Histogram       { return nil }
func (s sample) FH() *histogram.FloatHistogram { return nil }
func (s sample) Type() chunkenc.ValueType      { return chunkenc.ValFloat }

var matcherSets = map[int][]*labels.Matcher{
	1: {labels.MustNewMatcher(labels.MatchEqual, "foo", "bar")},
	2: {labels.MustNewMatcher(labels.MatchEqual, "foo", "bar"), labels.MustNewMatcher(labels.MatchRegexp, "i", "1.*")},
	3: {labels.MustNewMatcher(labels.MatchEqual, "foo", "bar"), labels.MustNewMatcher(labels.MatchRegexp, "i", "1.*"),
		labels.MustNewMatcher(labels.MatchNotRegexp, "i", "12.*")},
}

func BenchmarkBlockSelect(b *testing.B) {
	dir := b.TempDir()
	series := make([]storage.Series, 0, numSeries)
	for i := 0; i < numSeries; i++ {
		series = append(series, storage.NewListSeries(
			labels.FromStrings("foo", "bar", "i", fmt.Sprintf("%d%s", i, suffix)),
			[]tsdbutil.Sample{sample{int64(i)}}))
	}
	blockDir, err := tsdb.CreateBlock(series, dir, 0, log.NewNopLogger())
	if err != nil {
		b.Fatal(err)
	}
	block, err := tsdb.OpenBlock(nil, blockDir, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer block.Close()
	defer os.RemoveAll(dir)
	for _, m := range []int{1, 2, 3} {
		for _, span := range []int{1, 100, 10000, 1000000} {
			b.Run(fmt.Sprintf("matchers=%d/span=%d", m, span), func(b *testing.B) {
				q, err := tsdb.NewBlockQuerier(block, 0, int64(span-1))
				if err != nil {
					b.Fatal(err)
				}
				defer q.Close()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					ss := q.Select(false, nil, matcherSets[m]...)
					n := 0
					for ss.Next() {
						n++
					}
					if ss.Err() != nil {
						b.Fatal(ss.Err())
					}
				}
			})
		}
	}
}
