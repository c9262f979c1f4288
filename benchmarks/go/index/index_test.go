// Go side of the index benchmarks of PromTSDB for Java (io.promtsdb.benchmarks.index):
// writing and opening an index of the same 1M series (SyntheticSeries in the Java tests:
// metric_%03d × host-%03d × pod-%03d-%03d, job = h % 10, zone = k % 3, 1 + k % 3 chunk
// metas each), with Prometheus 2.42.0's tsdb/index.
//
// Also BenchmarkMerge, the postings merge benchmark of Prometheus 3.x's tsdb/index (absent
// from 2.42), through 2.42's public API (index.Merge over index.NewListPostings).
//
//	benchmarks/go/setup.sh ~/.cache/promtsdb/go && source ~/.cache/promtsdb/go/env.sh
//	cd ~/.cache/promtsdb/go/gopath/src/promtsdbbench/index
//	go test -run XXX -bench 'BenchmarkIndex' -benchtime 5x
//	go test -run XXX -bench 'BenchmarkMerge' -benchtime 2s
package indexbench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/storage"
	"github.com/prometheus/prometheus/tsdb/chunks"
	"github.com/prometheus/prometheus/tsdb/index"
)

type synth struct {
	metrics, instances, pods int
	series                   []labels.Labels
	chunks                   [][]chunks.Meta
	symbols                  []string
}

func newSynth(metrics, instances, pods int) *synth {
	s := &synth{metrics: metrics, instances: instances, pods: pods}
	names := make([]string, metrics)
	for m := range names {
		names[m] = fmt.Sprintf("metric_%03d", m)
	}
	hosts := make([]string, instances)
	jobs := make([]string, instances)
	podNames := make([]string, instances*pods)
	for h := 0; h < instances; h++ {
		hosts[h] = fmt.Sprintf("host-%03d", h)
		jobs[h] = fmt.Sprintf("job-%d", h%10)
		for k := 0; k < pods; k++ {
			podNames[h*pods+k] = fmt.Sprintf("pod-%03d-%03d", h, k)
		}
	}
	zones := []string{"zone-0", "zone-1", "zone-2"}
	n := metrics * instances * pods
	s.series = make([]labels.Labels, n)
	s.chunks = make([][]chunks.Meta, n)
	ref := uint64(8)
	for i := 0; i < n; i++ {
		k := i % pods
		h := (i / pods) % instances
		m := i / (pods * instances)
		s.series[i] = labels.FromStrings("__name__", names[m], "instance", hosts[h], "job", jobs[h],
			"pod", podNames[h*pods+k], "zone", zones[k%3])
		for j := 0; j < 1+k%3; j++ {
			mint := int64(7200000 * j)
			s.chunks[i] = append(s.chunks[i], chunks.Meta{Ref: chunks.ChunkRef(ref), MinTime: mint, MaxTime: mint + 7199999})
			ref += 137
		}
	}
	set := map[string]struct{}{}
	for _, l := range s.series[:instances*pods] { // every value but __name__'s appears here
		for _, x := range l {
			set[x.Name] = struct{}{}
			set[x.Value] = struct{}{}
		}
	}
	for _, x := range names {
		set[x] = struct{}{}
	}
	for x := range set {
		s.symbols = append(s.symbols, x)
	}
	sort.Strings(s.symbols)
	return s
}

func (s *synth) write(fn string) error {
	w, err := index.NewWriter(context.Background(), fn)
	if err != nil {
		return err
	}
	for _, sym := range s.symbols {
		if err := w.AddSymbol(sym); err != nil {
			return err
		}
	}
	for i, l := range s.series {
		if err := w.AddSeries(storage.SeriesRef(i), l, s.chunks[i]...); err != nil {
			return err
		}
	}
	return w.Close()
}

var oneMillion *synth

func data() *synth {
	if oneMillion == nil {
		oneMillion = newSynth(100, 100, 100)
	}
	return oneMillion
}

// BenchmarkIndexWrite1M: symbols, 1M series with chunk metas, postings, tables, TOC, fsync.
func BenchmarkIndexWrite1M(b *testing.B) {
	s := data()
	dir := b.TempDir()
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		fn := filepath.Join(dir, "index")
		if err := s.write(fn); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexOpen1M: open the 1M-series index (TOC, symbol table, sampled postings
// offset table) and close it.
func BenchmarkIndexOpen1M(b *testing.B) {
	s := data()
	fn := filepath.Join(b.TempDir(), "index")
	if err := s.write(fn); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r, err := index.NewFileReader(fn)
		if err != nil {
			b.Fatal(err)
		}
		if err := r.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIndexSelect1M: {__name__="metric_042", job="job-3", zone=~"zone-1|zone-2"} on the
// 1M-series index: postings lookups, intersect, merge, and the series' labels and chunk metas.
func BenchmarkIndexSelect1M(b *testing.B) {
	s := data()
	fn := filepath.Join(b.TempDir(), "index")
	if err := s.write(fn); err != nil {
		b.Fatal(err)
	}
	r, err := index.NewFileReader(fn)
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	var builder labels.ScratchBuilder
	var chks []chunks.Meta
	b.ResetTimer()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		p1, _ := r.Postings("__name__", "metric_042")
		p2, _ := r.Postings("job", "job-3")
		p3, _ := r.Postings("zone", "zone-1", "zone-2")
		p := index.Intersect(p1, p2, p3)
		n := 0
		for p.Next() {
			if err := r.Series(p.At(), &builder, &chks); err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 660 {
			b.Fatalf("got %d series", n)
		}
	}
}

func consumePostings(p index.Postings) error {
	for p.Next() {
		p.At()
	}
	return p.Err()
}

// BenchmarkMerge is Prometheus 3.x's tsdb/index BenchmarkMerge: the first 1, 10, 10000 or
// 100000 of 100000 lists of 99 refs i + j*100000, merged and consumed. 3.x resets its
// unexported ListPostings in place; through 2.42's public API each list is re-created per
// iteration (one small allocation per list).
func BenchmarkMerge(t *testing.B) {
	var refs [][]storage.SeriesRef
	for i := 0; i < 100000; i++ {
		var temp []storage.SeriesRef
		for j := 1; j < 100; j++ {
			temp = append(temp, storage.SeriesRef(i+j*100000))
		}
		refs = append(refs, temp)
	}
	its := make([]index.Postings, len(refs))
	for _, nSeries := range []int{1, 10, 10000, 100000} {
		t.Run(strconv.Itoa(nSeries), func(bench *testing.B) {
			for i := 0; i < bench.N; i++ {
				for j := range refs[:nSeries] {
					its[j] = index.NewListPostings(refs[j])
				}
				if err := consumePostings(index.Merge(its[:nSeries]...)); err != nil {
					bench.Fatal(err)
				}
			}
		})
	}
}

func TestMain(m *testing.M) {
	os.Exit(m.Run())
}

// TestWrite1M writes the 1M-series index to $INDEX_OUT (to compare with the Java writer).
func TestWrite1M(t *testing.T) {
	out := os.Getenv("INDEX_OUT")
	if out == "" {
		t.Skip("INDEX_OUT not set")
	}
	if err := data().write(out); err != nil {
		t.Fatal(err)
	}
}
