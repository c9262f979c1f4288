package io.promtsdb.benchmarks.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.Crc32c;
import io.promtsdb.core.Histogram;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The chunk benchmarks run on the same samples on both sides: checksums printed by the Go
 * side ({@code go test -run TestChecksums -v} in benchmarks/go/chunks, or its upstream-main variant).
 */
class SameChunkDataAsGoTest {

  @ParameterizedTest
  @CsvSource({"go, d8a27f52", "counter, 750836a8", "gauge, 22f42b5b"})
  void floatDataMatchesTheGoGenerator(String data, String crcHex) {
    ChunkData.Floats[] fs = ChunkData.floats(data);
    ByteBuffer b = ByteBuffer.allocate(ChunkData.SAMPLES * 16).order(ByteOrder.LITTLE_ENDIAN);
    int n = 0;
    for (ChunkData.Floats f : fs) {
      for (int i = 0; i < f.t().length; i++) {
        b.putLong(f.t()[i]).putLong(Double.doubleToRawLongBits(f.v()[i]));
        n++;
      }
    }
    assertThat(n).isEqualTo(ChunkData.SAMPLES);
    assertThat(Crc32c.compute(b.array(), 0, b.position())).isEqualTo(Integer.parseUnsignedInt(crcHex, 16));
  }

  @Test
  void histogramDataMatchesTheGoGenerator() {
    long[][] ts = ChunkData.histogramTimestamps();
    Histogram[][] hs = ChunkData.histograms();
    ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    for (int s = 0; s < hs.length; s++) {
      for (int i = 0; i < hs[s].length; i++) {
        Histogram h = hs[s][i];
        b.putLong(ts[s][i]).putLong(h.count()).putLong(h.zeroCount()).putLong(Double.doubleToRawLongBits(h.sum()));
        for (long d : h.positiveBuckets()) {
          b.putLong(d);
        }
      }
    }
    assertThat(Crc32c.compute(b.array(), 0, b.position())).isEqualTo(Integer.parseUnsignedInt("f490d48f", 16));
  }
}
