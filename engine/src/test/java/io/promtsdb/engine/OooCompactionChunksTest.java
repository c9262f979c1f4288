package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.chunks.XorAppender;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@link OooCompactionChunks} on hand-made chunks (the byte comparison with a real
 * Prometheus is {@code PrometheusCompactionTest} in cli): chunks inside the range and not
 * overlapping are the same objects; overlapping ones become one chunk however many samples they
 * hold; a chunk reaching outside the range keeps only its samples inside.
 */
class OooCompactionChunksTest {
  /** A float chunk with samples at {@code ts}, value {@code t / 1000 + tag}. */
  private static BlockChunk chunk(double tag, long... ts) {
    XorAppender a = XorAppender.create();
    for (long t : ts) {
      a.append(t, t / 1000.0 + tag);
    }
    return new BlockChunk(ts[0], ts[ts.length - 1], a.chunk());
  }

  private static long[] range(long from, int n, long step) {
    long[] out = new long[n];
    for (int i = 0; i < n; i++) {
      out[i] = from + i * step;
    }
    return out;
  }

  private static Map<Long, Double> samples(List<BlockChunk> cs) throws IOException {
    Map<Long, Double> out = new TreeMap<>();
    for (BlockChunk c : cs) {
      SampleIterator it = ChunkSampleIterator.of(c.chunk(), null);
      for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
        assertThat(out.put(it.atT(), it.atValue())).as("one sample per timestamp").isNull();
        assertThat(it.atT()).isBetween(c.minTime(), c.maxTime());
      }
    }
    return out;
  }

  @Test
  void chunksThatDoNotOverlapKeepTheirBoundaries() throws IOException {
    List<BlockChunk> in = List.of(chunk(0, range(0, 32, 1000)), chunk(0, range(32_000, 32, 1000)),
        chunk(0, range(64_000, 10, 1000)));
    List<BlockChunk> out = OooCompactionChunks.inRange(in, 0, 7_199_999);
    assertThat(out).containsExactlyElementsOf(in);
  }

  @Test
  void overlappingChunksBecomeOneChunkWithoutTheSampleCut() throws IOException {
    // 100 chunks of 32 samples, each overlapping the next: 3200 samples in one merged chunk.
    List<BlockChunk> in = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      in.add(chunk(i % 2, range(i * 1000L, 32, 100_000)));
    }
    List<BlockChunk> out = OooCompactionChunks.inRange(in, 0, 7_199_999);
    assertThat(out).hasSize(1);
    Map<Long, Double> want = new TreeMap<>();
    for (BlockChunk c : in) {
      // The chained merge keeps one sample per timestamp; these chunks share none.
      want.putAll(samples(List.of(c)));
    }
    assertThat(samples(out)).isEqualTo(want);
    assertThat(out.get(0).chunk().numSamples()).isEqualTo(3200);
  }

  @Test
  void aChunkReachingOutsideTheRangeIsTrimmed() throws IOException {
    BlockChunk straddling = chunk(0, range(7_190_000, 20, 1000));
    BlockChunk after = chunk(0, range(7_300_000, 5, 1000));
    List<BlockChunk> out = OooCompactionChunks.inRange(List.of(straddling, after), 0, 7_199_999);
    assertThat(out).hasSize(1);
    assertThat(samples(out).keySet()).containsExactly(7_190_000L, 7_191_000L, 7_192_000L,
        7_193_000L, 7_194_000L, 7_195_000L, 7_196_000L, 7_197_000L, 7_198_000L, 7_199_000L);
    assertThat(out.get(0).maxTime()).isEqualTo(7_199_000L);
  }

  @Test
  void theNextRangeGetsTheRest() throws IOException {
    BlockChunk straddling = chunk(0, range(7_190_000, 20, 1000));
    List<BlockChunk> out = OooCompactionChunks.inRange(List.of(straddling), 7_200_000, 14_399_999);
    assertThat(out).hasSize(1);
    assertThat(out.get(0).minTime()).isEqualTo(7_200_000L);
    assertThat(samples(out)).hasSize(10);
  }
}
