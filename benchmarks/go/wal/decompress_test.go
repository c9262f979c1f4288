package wal

import (
	"encoding/binary"
	"testing"

	"github.com/golang/snappy"
	"github.com/klauspost/compress/zstd"
)

// storedRecords joins the fragments of every compressed record of a segment: the stored
// bytes a reader hands to the decompressor (set-up only, not timed).
func storedRecords(seg []byte) [][]byte {
	const pageSize = 32 * 1024
	var recs [][]byte
	var cur []byte
	compressed := false
	for off := 0; off < len(seg); {
		typ := seg[off]
		if typ == 0 {
			off = (off/pageSize + 1) * pageSize
			continue
		}
		length := int(binary.BigEndian.Uint16(seg[off+1:]))
		frag := typ & 7
		if frag == 1 || frag == 2 {
			cur = nil
			compressed = typ&0x18 != 0
		}
		cur = append(cur, seg[off+7:off+7+length]...)
		if (frag == 1 || frag == 4) && compressed {
			recs = append(recs, cur)
		}
		off += 7 + length
	}
	return recs
}

// BenchmarkDecompress: the decompressors alone on every compressed record of the segment,
// into one reused buffer, as Prometheus 3.x's compression.Decode calls them. Beside
// io.promtsdb.benchmarks.wal.WalDecompressBenchmark.
func BenchmarkDecompress(b *testing.B) {
	for _, f := range []string{"p3-snappy", "p3-zstd"} {
		b.Run("fixture="+f, func(b *testing.B) {
			recs := storedRecords(segment(b, f))
			var buf []byte
			var err error
			var dec *zstd.Decoder
			if f == "p3-zstd" {
				dec, _ = zstd.NewReader(nil)
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				for _, r := range recs {
					if dec == nil {
						buf, err = snappy.Decode(buf[:cap(buf)], r)
					} else {
						buf, err = dec.DecodeAll(r, buf[:0])
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(len(recs)), "records/op")
		})
	}
}
