package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The bit writer and reader, the varbit encodings and the 2.x spare byte. */
class BitStreamTest {

  record Write(int kind, long value, int bits) {}

  @Provide
  Arbitrary<List<Write>> writes() {
    return Arbitraries.integers().between(0, 3).flatMap(kind -> switch (kind) {
      case 0 -> Arbitraries.of(0L, 1L).map(v -> new Write(0, v, 1));
      case 1 -> Arbitraries.integers().between(1, 64).flatMap(n ->
          Arbitraries.longs().map(v -> new Write(1, v, n)));
      case 2 -> Arbitraries.longs().map(v -> new Write(2, v, 0));
      default -> Arbitraries.longs().map(v -> new Write(3, v >> (v & 63), 0));
    }).list().ofMaxSize(200);
  }

  @Property(tries = 500)
  void writtenBitsReadBack(@ForAll("writes") List<Write> ws) {
    BitWriter w = new BitWriter(0, 16, WriterFlavor.PROMETHEUS_3);
    for (Write x : ws) {
      switch (x.kind()) {
        case 0 -> w.writeBit(x.value() == 1);
        case 1 -> w.writeBits(x.value(), x.bits());
        case 2 -> Varbit.putInt(w, x.value());
        default -> Varbit.putUint(w, x.value());
      }
    }
    byte[] b = w.toByteArray();
    assertThat(b).hasSize((int) ((w.bitPosition() + 7) / 8));
    BitReader r = new BitReader();
    r.reset(b, 0, 0, b.length, "t", 0);
    for (Write x : ws) {
      switch (x.kind()) {
        case 0 -> assertThat(r.readBit()).isEqualTo(x.value() == 1);
        case 1 -> assertThat(r.readBits(x.bits())).isEqualTo(x.bits() == 64 ? x.value() : x.value() & ((1L << x.bits()) - 1));
        case 2 -> assertThat(r.readVarbitInt()).isEqualTo(x.value());
        default -> assertThat(r.readVarbitUint()).isEqualTo(x.value());
      }
    }
    assertThat(r.overrun()).isFalse();
    assertThat(r.remainingBits()).isBetween(0L, 7L);
  }

  /** Go's varbit_test boundaries: each value takes the bucket of the spec's table. */
  @Test
  void varbitIntBuckets() {
    long[][] cases = {
      {0, 1}, {1, 5}, {-3, 5}, {4, 5}, {-4, 9}, {5, 9}, {-31, 9}, {32, 9}, {-32, 13}, {33, 13},
      {-255, 13}, {256, 13}, {-256, 17}, {257, 17}, {-2047, 17}, {2048, 17}, {-2048, 24}, {2049, 24},
      {-131071, 24}, {131072, 24}, {-131072, 32}, {131073, 32}, {-16777215, 32}, {16777216, 32},
      {-16777216, 64}, {16777217, 64}, {-(1L << 55) + 1, 64}, {1L << 55, 64}, {-(1L << 55), 72},
      {(1L << 55) + 1, 72}, {Long.MIN_VALUE, 72}, {Long.MAX_VALUE, 72},
    };
    for (long[] c : cases) {
      BitWriter w = new BitWriter(0, 16, WriterFlavor.PROMETHEUS_3);
      Varbit.putInt(w, c[0]);
      assertThat(w.bitPosition()).as("bits for %d", c[0]).isEqualTo(c[1]);
      BitReader r = new BitReader();
      byte[] b = w.toByteArray();
      r.reset(b, 0, 0, b.length, "t", 0);
      assertThat(r.readVarbitInt()).isEqualTo(c[0]);
    }
    long[][] ucases = {{0, 1}, {7, 5}, {8, 9}, {63, 9}, {64, 13}, {4095, 17}, {4096, 24}, {262143, 24},
      {262144, 32}, {33554431, 32}, {33554432, 64}, {(1L << 56) - 1, 64}, {1L << 56, 72}, {-1, 72}};
    for (long[] c : ucases) {
      BitWriter w = new BitWriter(0, 16, WriterFlavor.PROMETHEUS_3);
      Varbit.putUint(w, c[0]);
      assertThat(w.bitPosition()).as("bits for %s", Long.toUnsignedString(c[0])).isEqualTo(c[1]);
    }
  }

  /**
   * 2.x keeps a spare zero byte after a byte write that ends aligned: after 8-bit multiples
   * written with writeBits or writeByte, not after bit writes or other widths.
   */
  @Test
  void prometheus2SpareByte() {
    BitWriter w = new BitWriter(2, 16, WriterFlavor.PROMETHEUS_2);
    BitWriter w3 = new BitWriter(2, 16, WriterFlavor.PROMETHEUS_3);
    w.writeBits(0xAB, 8);
    w3.writeBits(0xAB, 8);
    assertThat(w.byteLength()).isEqualTo(4);
    assertThat(w3.byteLength()).isEqualTo(3);
    w.writeBit(true);
    assertThat(w.byteLength()).isEqualTo(4);
    for (int i = 0; i < 7; i++) {
      w.writeBit(false);
    }
    // Aligned by bit writes: no spare byte.
    assertThat(w.byteLength()).isEqualTo(4);
    w.writeBits(0x3, 12);
    assertThat(w.byteLength()).isEqualTo(6);
    w.writeBits(0x5, 4);
    // Aligned, but Go's last primitive was a bit write.
    assertThat(w.byteLength()).isEqualTo(6);
    w.writeByte(0x11);
    assertThat(w.byteLength()).isEqualTo(8);
    assertThat(w.toByteArray()[7]).isZero();
    // Prefix and payload: only the payload write counts.
    w.writePrefixed(0b10, 2, 0x3F, 6);
    assertThat(w.byteLength()).isEqualTo(8);
    w.writePrefixed(0b1, 1, 0x7F, 7);
    assertThat(w.byteLength()).isEqualTo(9);
  }

  @Test
  void peekNearTheEndPadsWithZeros() {
    byte[] b = {(byte) 0xFF, (byte) 0x80};
    BitReader r = new BitReader();
    r.reset(b, 0, 0, 2, "t", 0);
    r.skip(3);
    assertThat(r.peek()).isEqualTo(0xFCL << 56);
    assertThat(r.readBits(10)).isEqualTo(0b1111110000L);
    assertThat(r.overrun()).isFalse();
    assertThat(r.readBits(4)).isZero();
    assertThat(r.overrun()).isTrue();
    List<Long> sink = new ArrayList<>();
    sink.add(r.readBits(64));
    assertThat(sink).containsExactly(0L);
  }
}
