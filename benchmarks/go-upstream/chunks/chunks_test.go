// Go side of io.promtsdb.benchmarks.chunks for upstream Prometheus main (3.14+, XOR2 and the
// ST histogram chunks). Every benchmark reports ns per sample (b.N counts samples), over the
// data of data_test.go. To run: copy this folder into an upstream checkout (a module rooted at
// github.com/prometheus/prometheus), e.g. as bench/chunks, then
//
//	go test -run XXX -bench . -benchtime 2s ./bench/chunks/
package chunks

import (
	"testing"

	"github.com/prometheus/prometheus/model/histogram"
	"github.com/prometheus/prometheus/tsdb/chunkenc"
)

func encodeFloats(newChunk func() chunkenc.Chunk, f floats, st int64) chunkenc.Chunk {
	c := newChunk()
	a, _ := c.Appender()
	for i := range f.t {
		a.Append(st, f.t[i], f.v[i])
	}
	return c
}

func benchFloats(b *testing.B, newChunk func() chunkenc.Chunk, withST bool) {
	for _, data := range []string{"go", "counter", "gauge"} {
		fs := floatData(data)
		sts := make([]int64, len(fs))
		for s := range fs {
			if withST {
				sts[s] = fs[s].t[0] - 60000
			}
		}
		var chunks []chunkenc.Chunk
		for s, f := range fs {
			chunks = append(chunks, encodeFloats(newChunk, f, sts[s]))
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
				for s, f := range fs {
					encodeFloats(newChunk, f, sts[s])
				}
				i += samples
			}
		})
	}
}

func BenchmarkMainXOR(b *testing.B) {
	benchFloats(b, func() chunkenc.Chunk { return chunkenc.NewXORChunk() }, false)
}

func BenchmarkMainXOR2(b *testing.B) {
	b.Run("st=none", func(b *testing.B) {
		benchFloats(b, func() chunkenc.Chunk { return chunkenc.NewXOR2Chunk() }, false)
	})
	b.Run("st=constant", func(b *testing.B) {
		benchFloats(b, func() chunkenc.Chunk { return chunkenc.NewXOR2Chunk() }, true)
	})
}

func encodeHistograms(enc chunkenc.Encoding, ts []int64, hs []*histogram.Histogram, fhs []*histogram.FloatHistogram, st int64) chunkenc.Chunk {
	c, _ := chunkenc.NewEmptyChunk(enc)
	a, _ := c.Appender()
	for i := range ts {
		var err error
		if fhs != nil {
			_, _, a, err = a.AppendFloatHistogram(nil, st, ts[i], fhs[i], true)
		} else {
			_, _, a, err = a.AppendHistogram(nil, st, ts[i], hs[i], true)
		}
		if err != nil {
			panic(err)
		}
	}
	return c
}

func BenchmarkMainHistogram(b *testing.B) {
	ts := histogramTimestamps()
	hs := histograms()
	fhs := make([][]*histogram.FloatHistogram, len(hs))
	for s := range hs {
		for _, h := range hs[s] {
			fhs[s] = append(fhs[s], h.ToFloat(nil))
		}
	}
	for _, k := range []struct {
		name string
		enc  chunkenc.Encoding
	}{
		{"histogram", chunkenc.EncHistogram},
		{"floathistogram", chunkenc.EncFloatHistogram},
		{"histogramST", chunkenc.EncHistogramST},
		{"floathistogramST", chunkenc.EncFloatHistogramST},
	} {
		isFloat := k.enc == chunkenc.EncFloatHistogram || k.enc == chunkenc.EncFloatHistogramST
		withST := k.enc == chunkenc.EncHistogramST || k.enc == chunkenc.EncFloatHistogramST
		st := func(s int) int64 {
			if withST {
				return ts[s][0] - 60000
			}
			return 0
		}
		var chunks []chunkenc.Chunk
		for s := range hs {
			var f []*histogram.FloatHistogram
			if isFloat {
				f = fhs[s]
			}
			chunks = append(chunks, encodeHistograms(k.enc, ts[s], hs[s], f, st(s)))
		}
		b.Run("decode/encoding="+k.name, func(b *testing.B) {
			b.ReportAllocs()
			var it chunkenc.Iterator
			var h histogram.Histogram
			var fh histogram.FloatHistogram
			var acc uint64
			for i := 0; i < b.N; {
				for _, c := range chunks {
					it = c.Iterator(it)
					for vt := it.Next(); vt != chunkenc.ValNone; vt = it.Next() {
						if isFloat {
							it.AtFloatHistogram(&fh)
							acc += uint64(len(fh.PositiveBuckets)) + uint64(it.AtST())
						} else {
							it.AtHistogram(&h)
							acc += h.Count + uint64(len(h.PositiveBuckets)) + uint64(it.AtST())
						}
					}
				}
				i += samples
			}
			_ = acc
		})
		b.Run("encode/encoding="+k.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; {
				for s := range hs {
					var f []*histogram.FloatHistogram
					if isFloat {
						f = fhs[s]
					}
					encodeHistograms(k.enc, ts[s], hs[s], f, st(s))
				}
				i += samples
			}
		})
	}
}
