// Go side of io.promtsdb.benchmarks.chunks for Prometheus 2.42.0 (XOR, integer and float
// histograms; 2.42 has no XOR2 and no ST chunks). ns per sample (b.N counts samples), over the
// data of data_test.go (the same file as in the upstream-main variant). In 2.42 the histogram
// appender checks nothing itself: the head calls Appendable first, so the encode benchmarks do too.
//
//	source ENV.sh && cd $GOPATH/src/promtsdbbench/chunks && go test -run XXX -bench . -benchtime 2s
package chunks

import (
	"testing"

	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

func encodeXOR(f floats) chunkenc.Chunk {
	c := chunkenc.NewXORChunk()
	a, _ := c.Appender()
	for i := range f.t {
		a.Append(f.t[i], f.v[i])
	}
	return c
}

func BenchmarkXOR(b *testing.B) {
	for _, data := range []string{"go", "counter", "gauge"} {
		fs := floatData(data)
		var chunks []chunkenc.Chunk
		for _, f := range fs {
			chunks = append(chunks, encodeXOR(f))
		}
		b.Run("decode/data="+data, func(b *testing.B) {
			b.ReportAllocs()
			var it chunkenc.Iterator
			var sum float64
			for i := 0; i < b.N; {
				for _, c := range chunks {
					it = c.Iterator(it)
					for it.Next() == chunkenc.ValFloat {
						_, v := it.At()
						sum += v
					}
				}
				i += samples
			}
			_ = sum
		})
		b.Run("encode/data="+data, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; {
				for _, f := range fs {
					encodeXOR(f)
				}
				i += samples
			}
		})
	}
}

func BenchmarkHistogram(b *testing.B) {
	ts := histogramTimestamps()
	hs := histograms()
	fhs := make([][]*histogram.FloatHistogram, len(hs))
	for s := range hs {
		for _, h := range hs[s] {
			fhs[s] = append(fhs[s], h.ToFloat())
		}
	}
	encodeInt := func(s int) chunkenc.Chunk {
		c := chunkenc.NewHistogramChunk()
		app, _ := c.Appender()
		a := app.(*chunkenc.HistogramAppender)
		for i, h := range hs[s] {
			if i > 0 {
				if _, _, ok, _ := a.Appendable(h); !ok {
					panic("not appendable")
				}
			}
			a.AppendHistogram(ts[s][i], h)
		}
		return c
	}
	encodeFloat := func(s int) chunkenc.Chunk {
		c := chunkenc.NewFloatHistogramChunk()
		app, _ := c.Appender()
		a := app.(*chunkenc.FloatHistogramAppender)
		for i, h := range fhs[s] {
			if i > 0 {
				if _, _, ok, _ := a.Appendable(h); !ok {
					panic("not appendable")
				}
			}
			a.AppendFloatHistogram(ts[s][i], h)
		}
		return c
	}
	for _, name := range []string{"histogram", "floathistogram"} {
		isFloat := name == "floathistogram"
		var chunks []chunkenc.Chunk
		for s := range hs {
			if isFloat {
				chunks = append(chunks, encodeFloat(s))
			} else {
				chunks = append(chunks, encodeInt(s))
			}
		}
		b.Run("decode/encoding="+name, func(b *testing.B) {
			b.ReportAllocs()
			var it chunkenc.Iterator
			var acc uint64
			for i := 0; i < b.N; {
				for _, c := range chunks {
					it = c.Iterator(it)
					for vt := it.Next(); vt != chunkenc.ValNone; vt = it.Next() {
						if isFloat {
							_, fh := it.AtFloatHistogram()
							acc += uint64(len(fh.PositiveBuckets))
						} else {
							_, h := it.AtHistogram()
							acc += h.Count + uint64(len(h.PositiveBuckets))
						}
					}
				}
				i += samples
			}
			_ = acc
		})
		b.Run("encode/encoding="+name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; {
				for s := range hs {
					if isFloat {
						encodeFloat(s)
					} else {
						encodeInt(s)
					}
				}
				i += samples
			}
		})
	}
}
