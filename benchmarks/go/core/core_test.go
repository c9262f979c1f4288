// Go side of io.promtsdb.benchmarks.core: the same data, generated with the same
// SplitMix64 seed, decoded with Prometheus' own tsdb/encoding.Decbuf and hashed with
// hash/crc32's Castagnoli table (what Prometheus uses everywhere).
//
// Run against Prometheus 2.42.0 from Debian's source package (see README.md):
//   source ENV.sh && cd benchmarks/go/core && go test -run XXX -bench . -benchtime 1s
package core

import (
	"encoding/binary"
	"hash/crc32"
	"testing"

	"github.com/prometheus/prometheus/tsdb/encoding"
)

type splitMix64 struct{ state uint64 }

func (s *splitMix64) next() uint64 {
	s.state += 0x9E3779B97F4A7C15
	z := s.state
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

func (s *splitMix64) below(n uint64) uint64 { return s.next() % n }

const n = 4096

func varintData(dist string) []byte {
	r := &splitMix64{42}
	var e encoding.Encbuf
	for i := 0; i < n; i++ {
		var v uint64
		switch dist {
		case "small":
			v = r.below(1 << 14)
		case "mixed":
			v = r.next() & (1<<(7*(1+r.below(5))) - 1)
		default:
			v = r.next() >> r.below(64)
		}
		e.PutUvarint64(v)
	}
	return e.Get()
}

func BenchmarkUvarint(b *testing.B) {
	for _, dist := range []string{"small", "mixed", "wide"} {
		data := varintData(dist)
		b.Run("distribution="+dist, func(b *testing.B) {
			var sum uint64
			for i := 0; i < b.N; i++ {
				d := encoding.Decbuf{B: data}
				for k := 0; k < n; k++ {
					sum += d.Uvarint64()
				}
			}
			_ = sum
		})
	}
}

func BenchmarkCRC32C(b *testing.B) {
	const fileSize = 64 << 20
	r := &splitMix64{42}
	file := make([]byte, fileSize)
	for i := 0; i < fileSize; i += 8 {
		binary.LittleEndian.PutUint64(file[i:], r.next())
	}
	table := crc32.MakeTable(crc32.Castagnoli)
	for _, size := range []int{128, 1024, 32768, 1048576} {
		offsets := make([]uint64, 1024)
		r2 := &splitMix64{42}
		// Skip the values the Java side used for the file contents.
		for i := 0; i < fileSize/8; i++ {
			r2.next()
		}
		for i := range offsets {
			offsets[i] = r2.below(uint64(fileSize - size))
		}
		b.Run("sliceSize="+itoa(size), func(b *testing.B) {
			var sum uint32
			for i := 0; i < b.N; i++ {
				off := offsets[i&1023]
				sum += crc32.Checksum(file[off:off+uint64(size)], table)
			}
			_ = sum
		})
	}
}

func itoa(v int) string {
	s := ""
	for v > 0 {
		s = string(rune('0'+v%10)) + s
		v /= 10
	}
	return s
}
