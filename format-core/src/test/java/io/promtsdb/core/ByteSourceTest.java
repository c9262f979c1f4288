package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.CRC32C;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Array and memory-mapped sources agree on every read, including reads that straddle mapped
 * chunk boundaries (exercised with chunks of 8 and 16 bytes).
 */
class ByteSourceTest {
  @TempDir Path dir;

  private static byte[] data(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void mappedReadsStraddlingChunkBoundariesMatchTheArray() throws Exception {
    byte[] b = data(1000, 1);
    Path f = dir.resolve("f");
    Files.write(f, b);
    ByteSource array = ByteSource.of("f", b);
    for (int shift : new int[] {3, 4, 10, 30}) {
      try (MappedFileSource mapped = MappedFileSource.open(f, shift)) {
        assertThat(mapped.length()).isEqualTo(1000);
        assertThat(mapped.chunkCount()).isEqualTo((int) ((1000 + (1L << shift) - 1) >> shift));
        for (int pos = 0; pos < 1000; pos++) {
          assertThat(mapped.get(pos)).isEqualTo(array.get(pos));
          if (pos <= 998) {
            assertThat(mapped.be16(pos)).isEqualTo(array.be16(pos));
          }
          if (pos <= 996) {
            assertThat(mapped.be32(pos)).as("be32 at %d shift %d", pos, shift).isEqualTo(array.be32(pos));
          }
          if (pos <= 992) {
            assertThat(mapped.be64(pos)).as("be64 at %d shift %d", pos, shift).isEqualTo(array.be64(pos));
          }
        }
        assertThat(mapped.toByteArray()).isEqualTo(b);
        assertThat(Crc32c.compute(mapped, 3, 990)).isEqualTo(Crc32c.compute(b, 3, 990));
      }
    }
  }

  @Property(tries = 200)
  void slicesOfMappedFilesMatchSlicesOfArrays(
      @ForAll @IntRange(min = 0, max = 300) int off,
      @ForAll @IntRange(min = 0, max = 300) int len,
      @ForAll @IntRange(min = 0, max = 40) int inner) throws Exception {
    byte[] b = data(600, 7);
    Path f = Files.createTempFile("bs", null);
    try {
      Files.write(f, b);
      try (MappedFileSource mapped = MappedFileSource.open(f, 3)) {
        ByteSource ms = mapped.slice("s", off, len);
        ByteSource as = ByteSource.of("f", b).slice("s", off, len);
        assertThat(ms.origin()).isEqualTo(off);
        assertThat(ms.description()).isEqualTo(f + " [s]");
        assertThat(ms.toByteArray()).isEqualTo(as.toByteArray());
        if (inner <= len) {
          ByteSource m2 = ms.slice(null, inner, len - inner);
          assertThat(m2.origin()).isEqualTo(off + inner);
          assertThat(m2.description()).isEqualTo(f + " [s]");
          CRC32C c1 = new CRC32C();
          m2.updateChecksum(c1, 0, m2.length());
          assertThat((int) c1.getValue()).isEqualTo(Crc32c.compute(b, off + inner, len - inner));
        }
      }
    } finally {
      Files.delete(f);
    }
  }

  @Test
  void readsOutsideTheSourceAreCorruptionWithAbsoluteOffsets() throws Exception {
    byte[] b = data(64, 3);
    Path f = dir.resolve("g");
    Files.write(f, b);
    try (MappedFileSource mapped = MappedFileSource.open(f, 4)) {
      for (ByteSource s : new ByteSource[] {mapped, ByteSource.of(f.toString(), b)}) {
        ByteSource slice = s.slice("sec", 10, 20);
        assertThatThrownBy(() -> slice.get(20))
            .isInstanceOf(CorruptFormatException.class)
            .hasMessage(f + " [sec] at offset 30: read of 1 bytes at position 20 exceeds the available 0 bytes");
        assertThatThrownBy(() -> slice.be32(18)).hasMessageContaining("read of 4 bytes at position 18");
        assertThatThrownBy(() -> slice.be64(-1)).isInstanceOf(CorruptFormatException.class);
        assertThatThrownBy(() -> slice.slice("x", 5, 16)).hasMessageContaining("read of 16 bytes at position 5");
        assertThatThrownBy(() -> slice.slice("x", Long.MAX_VALUE, 1)).isInstanceOf(CorruptFormatException.class);
        assertThatThrownBy(() -> slice.copyTo(19, new byte[2], 0, 2)).isInstanceOf(CorruptFormatException.class);
        assertThatThrownBy(() -> slice.updateChecksum(new CRC32C(), 0, 21)).isInstanceOf(CorruptFormatException.class);
      }
    }
  }

  @Test
  void filesLargerThanTwoGibibytesAreMappedInChunks() throws Exception {
    // A sparse file: only the written pages take disk space.
    Path f = dir.resolve("large");
    long size = (3L << 30) + 16;
    long[] marks = {(1L << 30) - 3, (2L << 30) - 5, (3L << 30) - 2, size - 8};
    try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
      raf.setLength(size);
      for (long m : marks) {
        raf.seek(m);
        raf.writeLong(m);
      }
    }
    try (MappedFileSource mapped = MappedFileSource.open(f)) {
      assertThat(mapped.length()).isEqualTo(size);
      assertThat(mapped.chunkCount()).isEqualTo(4);
      for (long m : marks) {
        assertThat(mapped.be64(m)).as("be64 at %d", m).isEqualTo(m);
        assertThat(mapped.be32(m + 4)).isEqualTo((int) m);
        byte[] copy = new byte[8];
        mapped.copyTo(m, copy, 0, 8);
        assertThat(ByteSource.of(copy).be64(0)).isEqualTo(m);
        ByteSource slice = mapped.slice("tail", m, 8);
        assertThat(slice.origin()).isEqualTo(m);
        assertThat(slice.be64(0)).isEqualTo(m);
      }
      assertThatThrownBy(() -> mapped.be64(size - 7)).isInstanceOf(CorruptFormatException.class);
    }
  }

  @Test
  void emptyFilesMap() throws Exception {
    Path f = dir.resolve("empty");
    Files.write(f, new byte[0]);
    try (MappedFileSource mapped = MappedFileSource.open(f)) {
      assertThat(mapped.length()).isZero();
      assertThatThrownBy(() -> mapped.get(0)).isInstanceOf(CorruptFormatException.class);
    }
  }

  @Test
  void invalidChunkShiftIsRejected() {
    assertThatThrownBy(() -> MappedFileSource.open(dir.resolve("x"), 2))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MappedFileSource.open(dir.resolve("x"), 31))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
