package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.CorruptFormatException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Arbitrary bytes either decode or throw {@link CorruptFormatException}: never another
 * exception, never a hang or an outsized allocation. Fed with random bytes, and with valid Go
 * chunks that had bytes flipped, replaced or cut.
 */
class CorruptChunkProperties {

  private static List<GoVectors.Vector> valid;

  @BeforeContainer
  static void load() throws Exception {
    valid = new ArrayList<>();
    valid.addAll(GoVectors.load("upstream-main.json"));
    valid.addAll(GoVectors.load("histogram-go2.42.json"));
  }

  @Provide
  Arbitrary<ChunkEncoding> encodings() {
    return Arbitraries.of(ChunkEncoding.class);
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(400);
  }

  @Property(tries = 2000)
  void randomBytesDecodeOrFailCleanly(@ForAll("encodings") ChunkEncoding e, @ForAll("bytes") byte[] b) {
    decodeAll(e, b);
  }

  @Property(tries = 2000)
  void damagedGoChunksDecodeOrFailCleanly(
      @ForAll @IntRange(min = 0, max = 100000) int which,
      @ForAll @IntRange(min = 0, max = 100000) int where,
      @ForAll @IntRange(min = 0, max = 3) int how,
      @ForAll byte value) {
    GoVectors.Vector v = valid.get(which % valid.size());
    byte[] b = v.chunk().clone();
    int i = where % b.length;
    switch (how) {
      case 0 -> b[i] ^= (byte) (1 << (value & 7));
      case 1 -> b[i] = value;
      case 2 -> b = java.util.Arrays.copyOf(b, i);
      default -> {
        // A huge sample count over valid data.
        b[0] = (byte) 0xFF;
        b[1] = value;
      }
    }
    decodeAll(v.encoding(), b);
  }

  /**
   * Decodes and materialises every sample; only CorruptFormatException may escape. Float
   * chunks are also decoded with readBatch, which must see the same samples and the same fate.
   */
  static int decodeAll(ChunkEncoding e, byte[] b) {
    if (e.valueType() == ValueType.FLOAT) {
      List<Long> viaNext = new ArrayList<>();
      List<Long> viaBatch = new ArrayList<>();
      String failNext = null;
      String failBatch = null;
      try {
        FloatIterator it = Chunk.wrap(e, b, 0, b.length, "fuzz", 0).floatIterator(null);
        while (it.next() != ValueType.NONE) {
          viaNext.add(it.atT());
          viaNext.add(it.atValueBits());
        }
      } catch (CorruptFormatException ex) {
        failNext = ex.getMessage();
      }
      try {
        FloatIterator it = Chunk.wrap(e, b, 0, b.length, "fuzz", 0).floatIterator(null);
        long[] ts = new long[7];
        long[] vs = new long[7];
        int k;
        while ((k = it.readBatch(ts, vs, 0, 7)) > 0) {
          for (int i = 0; i < k; i++) {
            viaBatch.add(ts[i]);
            viaBatch.add(vs[i]);
          }
        }
      } catch (CorruptFormatException ex) {
        failBatch = ex.getMessage();
      }
      assertThat(failBatch).isEqualTo(failNext);
      assertThat(viaBatch).isEqualTo(viaNext);
    }
    int n = 0;
    try {
      Chunk c = Chunk.wrap(e, b, 0, b.length, "fuzz", 0);
      ChunkIterator it = c.iterator();
      while (it.next() != ValueType.NONE) {
        it.at();
        n++;
      }
      assertThat(it.next()).isEqualTo(ValueType.NONE);
      assertThat(n).isEqualTo(c.numSamples());
    } catch (CorruptFormatException ex) {
      assertThat(ex.resource()).startsWith("fuzz");
      assertThat(ex.offset()).isBetween(0L, (long) b.length);
    }
    return n;
  }
}
