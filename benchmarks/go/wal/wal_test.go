// Go side of io.promtsdb.benchmarks.wal.WalReadBenchmark: Prometheus 2.42's wlog.Reader and
// record.Decoder over the same fixture segment, held in memory.
//
// Zstd segments: 2.42's reader predates zstd (2.46+); it takes the low three bits of the
// header byte as the fragment type and only bit 3 as "snappy", so on a zstd segment it does
// all the framing work (headers, CRC32C, joining fragments) and hands out the stored zstd
// frame. The benchmark then decompresses it exactly as Prometheus 3.x's wlog.Reader does
// (util/compression.Decode): one lazily created zstd.NewReader(nil) per reader, DecodeAll into
// a reused buffer. 2.42's reader does not expose the header byte, so a record is taken as
// zstd-compressed when it starts with the zstd frame magic: an uncompressed record starts with
// its type (1 to 13), so for segments Prometheus wrote the two tests agree. The zstd library is Debian's klauspost/compress (1.15.12 on bookworm;
// Prometheus 3.5.3 vendors 1.18).
//
// Run against Prometheus 2.42.0 from Debian's source package (see ../setup.sh):
//
//	source ENV.sh && cd .../promtsdbbench/wal
//	PROMTSDB_TESTDATA=<repo>/testdata go test -run XXX -bench . -benchtime 2s
package wal

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/prometheus/prometheus/tsdb/record"
	"github.com/prometheus/prometheus/tsdb/tombstones"
	"github.com/prometheus/prometheus/tsdb/wlog"
)

var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

var fixtures = []string{"p3-none", "p3-snappy", "p3-zstd"}

func segment(b *testing.B, fixture string) []byte {
	dir := os.Getenv("PROMTSDB_TESTDATA")
	if dir == "" {
		b.Fatal("set PROMTSDB_TESTDATA to the repository's testdata/ directory")
	}
	buf, err := os.ReadFile(filepath.Join(dir, "fixtures", fixture, "crash", "wal", "00000000"))
	if err != nil {
		b.Fatal(err)
	}
	return buf
}

// reader is wlog.Reader plus Prometheus 3.x's zstd step for zstd fixtures.
type reader struct {
	r    *wlog.Reader
	zstd bool
	dec  *zstd.Decoder // created on first use, as compression.NewSyncDecodeBuffer does
	buf  []byte
	rec  []byte
	err  error
}

func newReader(seg []byte, fixture string) *reader {
	return &reader{r: wlog.NewReader(bytes.NewReader(seg)), zstd: fixture == "p3-zstd"}
}

func (r *reader) next() bool {
	if !r.r.Next() {
		return false
	}
	r.rec = r.r.Record()
	if r.zstd && bytes.HasPrefix(r.rec, zstdMagic) {
		if r.dec == nil {
			r.dec, _ = zstd.NewReader(nil)
		}
		r.buf, r.err = r.dec.DecodeAll(r.rec, r.buf[:0])
		r.rec = r.buf
		return r.err == nil
	}
	return true
}

func (r *reader) failed() error {
	if r.err != nil {
		return r.err
	}
	return r.r.Err()
}

// BenchmarkReadSegment: framing, CRCs and decompression; records handed out, not decoded.
func BenchmarkReadSegment(b *testing.B) {
	for _, f := range fixtures {
		b.Run("fixture="+f, func(b *testing.B) {
			seg := segment(b, f)
			b.SetBytes(int64(len(seg)))
			b.ReportAllocs()
			b.ResetTimer()
			records := 0
			for i := 0; i < b.N; i++ {
				r := newReader(seg, f)
				n, recs := 0, 0
				for r.next() {
					n += len(r.rec)
					recs++
				}
				if err := r.failed(); err != nil {
					b.Fatal(err)
				}
				records = recs
			}
			b.ReportMetric(float64(records), "records/op")
		})
	}
}

// BenchmarkDecodeSegment: the above and every record decoded into reused slices.
func BenchmarkDecodeSegment(b *testing.B) {
	for _, f := range fixtures {
		b.Run("fixture="+f, func(b *testing.B) {
			seg := segment(b, f)
			b.SetBytes(int64(len(seg)))
			b.ReportAllocs()
			b.ResetTimer()
			records := 0
			for i := 0; i < b.N; i++ {
				r := newReader(seg, f)
				dec := record.Decoder{}
				var (
					series    []record.RefSeries
					samples   []record.RefSample
					hs        []record.RefHistogramSample
					fhs       []record.RefFloatHistogramSample
					exemplars []record.RefExemplar
					stones    []tombstones.Stone
					markers   []record.RefMmapMarker
					meta      []record.RefMetadata
					err       error
				)
				recs := 0
				for r.next() {
					rec := r.rec
					recs++
					switch dec.Type(rec) {
					case record.Series:
						series, err = dec.Series(rec, series[:0])
					case record.Samples:
						samples, err = dec.Samples(rec, samples[:0])
					case record.HistogramSamples:
						hs, err = dec.HistogramSamples(rec, hs[:0])
					case record.FloatHistogramSamples:
						fhs, err = dec.FloatHistogramSamples(rec, fhs[:0])
					case record.Exemplars:
						exemplars, err = dec.Exemplars(rec, exemplars[:0])
					case record.Tombstones:
						stones, err = dec.Tombstones(rec, stones[:0])
					case record.MmapMarkers:
						markers, err = dec.MmapMarkers(rec, markers[:0])
					case record.Metadata:
						meta, err = dec.Metadata(rec, meta[:0])
					default:
						b.Fatalf("unexpected record type %v", dec.Type(rec))
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				if err := r.failed(); err != nil {
					b.Fatal(err)
				}
				records = recs
			}
			b.ReportMetric(float64(records), "records/op")
		})
	}
}
