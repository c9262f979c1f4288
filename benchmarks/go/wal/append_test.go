package wal

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkFileAppend is the floor under BenchmarkWAL_Log: one os.File.Write of size bytes
// per operation to a file in the temp directory, a new file every 128 MiB (closed, not
// synced), nothing else. Beside io.promtsdb.benchmarks.wal.FileAppendBenchmark.
func BenchmarkFileAppend(b *testing.B) {
	const fileSize = 128 << 20
	for _, size := range []int{107, 2055, 32768, 1048576} {
		b.Run(fmt.Sprintf("size=%d", size), func(b *testing.B) {
			dir := b.TempDir()
			buf := make([]byte, size)
			files := 0
			open := func() *os.File {
				f, err := os.OpenFile(filepath.Join(dir, fmt.Sprintf("%08d", files)), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o666)
				if err != nil {
					b.Fatal(err)
				}
				files++
				return f
			}
			f := open()
			written := 0
			b.SetBytes(int64(size))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if written+size > fileSize {
					f.Close()
					f = open()
					written = 0
				}
				if _, err := f.Write(buf); err != nil {
					b.Fatal(err)
				}
				written += size
			}
			b.StopTimer()
			f.Close()
		})
	}
}
