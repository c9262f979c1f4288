package io.promtsdb.benchmarks.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * The floor under {@link WalLogBenchmark}: appending {@code size} bytes with one {@code
 * write(2)} to a file in the temp directory, a new file every 128 MiB (closed, not synced),
 * nothing else. Beside Go's {@code BenchmarkFileAppend} (benchmarks/go/wal), which does the
 * same with {@code os.File.Write}. 107 bytes is what one {@code Log} of a snappy-compressed
 * 2 KiB zero record writes, 2055 bytes one of an uncompressed record; 32 KiB is Go's write
 * per page in a batch, 1 MiB the Java writer's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FileAppendBenchmark {
  static final long FILE_SIZE = 128L << 20;

  @Param({"107", "2055", "32768", "1048576"})
  public int size;

  private Path dir;
  private FileChannel ch;
  private ByteBuffer buf;
  private long written;
  private int files;

  @Setup(Level.Iteration)
  public void setup() throws IOException {
    dir = Files.createTempDirectory("promtsdb-append-bench");
    buf = ByteBuffer.allocateDirect(size);
    files = 0;
    open();
  }

  private void open() throws IOException {
    ch =
        FileChannel.open(
            dir.resolve(String.format("%08d", files++)),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.APPEND);
    written = 0;
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws IOException {
    ch.close();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  @Benchmark
  public void append() throws IOException {
    if (written + size > FILE_SIZE) {
      ch.close();
      open();
    }
    buf.clear();
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
    written += size;
  }
}
