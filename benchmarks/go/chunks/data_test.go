// Data of the chunk benchmarks, identical to io.promtsdb.benchmarks.chunks.ChunkData: the same
// formulas and SplitMix64 seeds. TestChecksums prints the checksums SameChunkDataAsGoTest
// holds. This file is shared word for word by benchmarks/go/chunks (Prometheus 2.42) and
// its variant compiled inside an upstream checkout (upstream main).
package chunks

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math"
	"testing"

	"github.com/prometheus/prometheus/model/histogram"
)

const (
	samples = 1000
	series  = 8
	scrapes = 125
	start   = int64(1_700_000_000_000)
)

type splitMix64 struct{ state uint64 }

func (s *splitMix64) next() uint64 {
	s.state += 0x9E3779B97F4A7C15
	z := s.state
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

func (s *splitMix64) below(n uint64) int64 { return int64(s.next() % n) }

type floats struct {
	t []int64
	v []float64
}

func floatData(name string) []floats {
	switch name {
	case "go":
		var out []floats
		t, v := int64(1234123324), 1243535.123
		for c := 0; c < 4; c++ {
			f := floats{}
			for i := 0; i < 250; i++ {
				t += 1000
				v += 100
				f.t = append(f.t, t)
				f.v = append(f.v, v)
			}
			out = append(out, f)
		}
		return out
	case "counter":
		return scrapeData(1, true)
	case "gauge":
		return scrapeData(2, false)
	}
	panic(name)
}

func scrapeData(seed uint64, counter bool) []floats {
	r := &splitMix64{seed}
	var out []floats
	for s := 0; s < series; s++ {
		f := floats{}
		t := start
		v := 500.0
		if counter {
			v = 0
		}
		for i := 0; i < scrapes; i++ {
			t += 15000 + (r.below(101) - 50)
			if counter {
				v += float64(r.below(100))
			} else if r.below(3) != 0 {
				v += float64(r.below(2001)-1000) / 10.0
			}
			f.t = append(f.t, t)
			f.v = append(f.v, v)
		}
		out = append(out, f)
	}
	return out
}

func histogramTimestamps() [][]int64 {
	r := &splitMix64{4}
	out := make([][]int64, series)
	for s := range out {
		t := start
		for i := 0; i < scrapes; i++ {
			t += 15000 + (r.below(101) - 50)
			out[s] = append(out[s], t)
		}
	}
	return out
}

func histograms() [][]*histogram.Histogram {
	r := &splitMix64{3}
	out := make([][]*histogram.Histogram, series)
	for s := range out {
		buckets := 10 + int(r.below(31))
		first := int(r.below(uint64(buckets-1))) + 1
		spans := []histogram.Span{{Offset: -5, Length: uint32(first)}, {Offset: 3, Length: uint32(buckets - first)}}
		counts := make([]int64, buckets)
		var zero uint64
		sum := 0.0
		for i := 0; i < scrapes; i++ {
			deltas := make([]int64, buckets)
			var prev int64
			var total uint64
			for b := range counts {
				counts[b] += r.below(8)
				deltas[b] = counts[b] - prev
				prev = counts[b]
				total += uint64(counts[b])
			}
			zero += uint64(r.below(2))
			sum += float64(r.below(1000)) / 10.0
			hint := histogram.NotCounterReset
			if i == 0 {
				hint = histogram.UnknownCounterReset
			}
			out[s] = append(out[s], &histogram.Histogram{
				CounterResetHint: hint,
				Schema:           3,
				ZeroThreshold:    math.Ldexp(1, -128),
				ZeroCount:        zero,
				Count:            total + zero,
				Sum:              sum,
				PositiveSpans:    spans,
				PositiveBuckets:  deltas,
			})
		}
	}
	return out
}

// floatChecksum: CRC32C of every t and value's bits, little endian.
func floatChecksum(fs []floats) uint32 {
	var b []byte
	for _, f := range fs {
		for i := range f.t {
			b = binary.LittleEndian.AppendUint64(b, uint64(f.t[i]))
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(f.v[i]))
		}
	}
	return crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli))
}

// histogramChecksum: CRC32C of t, count, zero count, sum bits and bucket deltas, little endian.
func histogramChecksum(ts [][]int64, hs [][]*histogram.Histogram) uint32 {
	var b []byte
	for s := range hs {
		for i, h := range hs[s] {
			b = binary.LittleEndian.AppendUint64(b, uint64(ts[s][i]))
			b = binary.LittleEndian.AppendUint64(b, h.Count)
			b = binary.LittleEndian.AppendUint64(b, h.ZeroCount)
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(h.Sum))
			for _, d := range h.PositiveBuckets {
				b = binary.LittleEndian.AppendUint64(b, uint64(d))
			}
		}
	}
	return crc32.Checksum(b, crc32.MakeTable(crc32.Castagnoli))
}

func TestChecksums(t *testing.T) {
	for _, d := range []string{"go", "counter", "gauge"} {
		fmt.Printf("%s %08x\n", d, floatChecksum(floatData(d)))
	}
	fmt.Printf("histograms %08x\n", histogramChecksum(histogramTimestamps(), histograms()))
}
