package io.promtsdb.benchmarks.wal;

import io.airlift.compress.zstd.ZstdDecompressor;
import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.wal.Compression;
import io.promtsdb.wal.SegmentReader;
import io.promtsdb.wal.Snappy;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
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

/**
 * The decompressors alone, beside Go's {@code BenchmarkDecompress} (benchmarks/go/wal): every
 * compressed record of the fixture segment {@code fixtures/<fixture>/crash/wal/00000000}
 * (992 snappy blocks, or 994 zstd frames), joined from its fragments beforehand and
 * decompressed into one reused buffer per operation. Snappy: this module's decoder (Go:
 * golang/snappy's amd64 assembly); zstd: aircompressor's (Go: klauspost/compress's {@code
 * DecodeAll}). The framing and CRC work of {@link WalReadBenchmark#read} is left out, so this
 * shows how much of a compressed read is the decompressor's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WalDecompressBenchmark {
  @Param({"p3-snappy", "p3-zstd"})
  public String fixture;

  private final List<byte[]> records = new ArrayList<>();
  private byte[] out;
  private SegmentReader reader;

  @Setup
  public void setup() throws IOException {
    byte[] segment =
        Files.readAllBytes(WalReadBenchmark.testdata().resolve("fixtures/" + fixture + "/crash/wal/00000000"));
    SegmentReader r = new SegmentReader(ByteSource.of("00000000", segment), "wal", 0);
    int max = 0;
    while (r.next()) {
      if (r.recordCompression() != Compression.NONE) {
        records.add(r.copyStoredRecord());
        max = Math.max(max, r.recordLength());
      }
    }
    out = new byte[max + Snappy.DECODE_SLACK];
  }

  @Benchmark
  public long decompress() throws CorruptFormatException {
    return fixture.equals("p3-snappy") ? snappy() : zstd();
  }

  private long snappy() throws CorruptFormatException {
    long n = 0;
    for (byte[] rec : records) {
      n += Snappy.decode(rec, 0, rec.length, out);
    }
    return n;
  }

  private final ZstdDecompressor zstd = new ZstdDecompressor();

  private long zstd() {
    long n = 0;
    for (byte[] rec : records) {
      n += zstd.decompress(rec, 0, rec.length, out, 0, out.length);
    }
    return n;
  }
}
