package io.promtsdb.benchmarks.core;

import io.promtsdb.benchmarks.SplitMix64;
import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Crc32c;
import io.promtsdb.core.MappedFileSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CRC32C over slices of a memory-mapped 64 MiB file, at the sizes the formats checksum: a
 * chunk (128 B), a series entry or postings list (1 KiB), a WAL page (32 KiB), a large
 * section (1 MiB). Slices start at varying offsets so no two are cache-identical, and the
 * mapping uses 16 MiB chunks so some slices straddle a mapping boundary. Reported per slice.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Crc32cMappedBenchmark {
  static final long FILE_SIZE = 64L << 20;

  @Param({"128", "1024", "32768", "1048576"})
  public int sliceSize;

  private Path file;
  private MappedFileSource mapped;
  private long[] offsets;
  private int next;

  @Setup(Level.Trial)
  public void setup() throws IOException {
    file = Files.createTempFile("promtsdb-crc", ".bin");
    SplitMix64 r = new SplitMix64(42);
    byte[] block = new byte[1 << 20];
    try (var out = Files.newOutputStream(file)) {
      for (long done = 0; done < FILE_SIZE; done += block.length) {
        for (int i = 0; i < block.length; i += 8) {
          long v = r.next();
          for (int k = 0; k < 8; k++) {
            block[i + k] = (byte) (v >>> (8 * k));
          }
        }
        out.write(block);
      }
    }
    mapped = MappedFileSource.open(file, 24);
    offsets = new long[1024];
    for (int i = 0; i < offsets.length; i++) {
      offsets[i] = r.nextBelow(FILE_SIZE - sliceSize);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    mapped.close();
    Files.deleteIfExists(file);
  }

  @Benchmark
  public int crc32cOfSlice() throws CorruptFormatException {
    long off = offsets[next++ & (offsets.length - 1)];
    ByteSource slice = mapped.slice("bench", off, sliceSize);
    return Crc32c.compute(slice, 0, sliceSize);
  }
}
