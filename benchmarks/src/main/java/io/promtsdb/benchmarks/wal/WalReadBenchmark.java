package io.promtsdb.benchmarks.wal;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.wal.RecordCodec;
import io.promtsdb.wal.SegmentReader;
import io.promtsdb.wal.WalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading and decoding a real WAL segment written by Prometheus 3.5.3 (testdata fixture
 * p3-none or p3-snappy, crash copy, segment 00000000: series, samples, exemplars and histogram records),
 * held in memory, beside the Go benchmark {@code BenchmarkReadSegment} / {@code
 * BenchmarkDecodeSegment} (promtsdbwal/walbench, 2.42's wlog.Reader and record.Decoder on
 * the same file). One operation = the whole segment; MB/s = file size / time, records/s =
 * records per segment / time (994 records in p3-none, 993 in p3-snappy).
 *
 * <p>The fixture is found through {@code -Dpromtsdb.testdata} or by walking up from the
 * working directory to {@code testdata/}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WalReadBenchmark {
  @Param({"p3-none", "p3-snappy"})
  public String fixture;

  private byte[] segment;

  @Setup
  public void setup() throws IOException {
    segment = Files.readAllBytes(testdata().resolve("fixtures/" + fixture + "/crash/wal/00000000"));
  }

  static Path testdata() {
    String p = System.getProperty("promtsdb.testdata");
    if (p != null) {
      return Paths.get(p);
    }
    for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("testdata/fixtures"))) {
        return d.resolve("testdata");
      }
    }
    throw new IllegalStateException("testdata/ not found; set -Dpromtsdb.testdata");
  }

  /** Framing only: fragments, CRCs, decompression; records handed out, not decoded. */
  @Benchmark
  public long read() throws CorruptFormatException {
    SegmentReader r = new SegmentReader(ByteSource.of("00000000", segment), "wal", 0);
    long n = 0;
    while (r.next()) {
      n += r.recordLength();
    }
    return n;
  }

  /** Framing and decoding of every record into its entries. */
  @Benchmark
  public void readAndDecode(Blackhole bh) throws CorruptFormatException {
    SegmentReader r = new SegmentReader(ByteSource.of("00000000", segment), "wal", 0);
    while (r.next()) {
      WalRecord rec = RecordCodec.decode(r.record());
      bh.consume(rec);
    }
  }
}
