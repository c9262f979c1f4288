package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The accumulating {@link BitWriter} against a plain model that keeps one bit per position
 * (differential): any mix of bit, zero, field, byte and prefixed writes, header byte updates,
 * snapshots in the middle ({@code toByteArray}, which stores the accumulator), resuming from a
 * snapshot at any bit and resetting gives exactly the model's bytes. Operations come from a
 * {@link SplittableRandom} seeded by jqwik's reported seed.
 */
class BitWriterProperties {

  /** One bit per position; the header bytes are positions 0 .. 8 * header - 1. */
  static final class Model {
    final BitSet bits = new BitSet();
    long pos;

    void put(long v, int n) {
      for (int i = n - 1; i >= 0; i--) {
        bits.set((int) pos++, ((v >>> i) & 1) != 0);
      }
    }

    byte[] bytes(int length) {
      byte[] out = new byte[length];
      for (int i = 0; i < length * 8; i++) {
        if (bits.get(i)) {
          out[i >>> 3] |= (byte) (0x80 >>> (i & 7));
        }
      }
      return out;
    }
  }

  @Property(tries = 600)
  void accumulatorWritesWhatThePlainModelWrites(@ForAll long seed,
      @ForAll @IntRange(min = 0, max = 3) int header, @ForAll @IntRange(min = 0, max = 400) int ops) {
    SplittableRandom r = new SplittableRandom(seed);
    BitWriter w = new BitWriter(header, 1 + r.nextInt(64), WriterFlavor.PROMETHEUS_3);
    Model m = new Model();
    m.pos = header * 8L;
    for (int k = 0; k < ops; k++) {
      long v = r.nextLong();
      switch (r.nextInt(9)) {
        case 0 -> {
          w.writeZero();
          m.put(0, 1);
        }
        case 1 -> {
          int n = r.nextInt(65);
          w.writeZeros(n);
          m.put(0, n);
        }
        case 2 -> {
          boolean b = r.nextBoolean();
          w.writeBit(b);
          m.put(b ? 1 : 0, 1);
        }
        case 3 -> {
          int n = 1 + r.nextInt(64);
          w.writeBits(v, n);
          m.put(v, n);
        }
        case 4 -> {
          w.writeByte((int) v & 0xFF);
          m.put(v, 8);
        }
        case 5 -> {
          int pn = 1 + r.nextInt(16);
          int n = 1 + r.nextInt(64);
          long payload = r.nextLong();
          w.writePrefixed(v, pn, payload, n);
          m.put(v, pn);
          m.put(payload, n);
        }
        case 6 -> {
          if (header > 1 && r.nextBoolean()) {
            int i = r.nextInt(header - 1);
            int v16 = r.nextInt(1 << 16);
            w.setShort(i, v16);
            for (int j = 0; j < 2; j++) {
              int b = j == 0 ? v16 >>> 8 : v16 & 0xFF;
              m.bits.clear((i + j) * 8, (i + j) * 8 + 8);
              m.bits.or(shifted(b, i + j));
            }
            assertThat(w.getShort(i)).isEqualTo(v16);
          } else if (header > 0) {
            int i = r.nextInt(header);
            int b = r.nextInt(256);
            w.setByte(i, b);
            m.bits.clear(i * 8, i * 8 + 8);
            m.bits.or(shifted(b, i));
            assertThat(w.getByte(i)).isEqualTo(b);
          }
        }
        case 7 -> {
          int len = (int) ((m.pos + 7) >>> 3);
          assertThat(w.toByteArray()).isEqualTo(m.bytes(len));
        }
        default -> {
          // Resume from a snapshot cut at any bit at or after the header.
          byte[] snap = w.toByteArray();
          long cut = header * 8L + (m.pos == header * 8L ? 0 : r.nextLong(m.pos - header * 8L + 1));
          BitWriter resumed = new BitWriter(header, 16, WriterFlavor.PROMETHEUS_3);
          resumed.resumeAt(snap, snap.length, cut);
          w = resumed;
          m.bits.clear((int) cut, Integer.MAX_VALUE);
          m.pos = cut;
        }
      }
      assertThat(w.bitPosition()).isEqualTo(m.pos);
      assertThat(w.byteLength()).isEqualTo((int) ((m.pos + 7) >>> 3));
    }
    int len = (int) ((m.pos + 7) >>> 3);
    assertThat(w.toByteArray()).isEqualTo(m.bytes(len));
    for (int i = 0; i < len; i++) {
      assertThat(w.getByte(i)).isEqualTo(m.bytes(len)[i] & 0xFF);
    }
    // A reset writer is a fresh one.
    w.reset(header);
    assertThat(w.toByteArray()).isEqualTo(new byte[header]);
    w.writeBits(0b101, 3);
    Model fresh = new Model();
    fresh.pos = header * 8L;
    fresh.put(0b101, 3);
    assertThat(w.toByteArray()).isEqualTo(fresh.bytes(header + 1));
  }

  /**
   * {@link Varbit#putInt} writes the prefix of the first bucket whose {@code bitRange} holds the
   * value and the value's low bits, for values around every bucket boundary and anywhere else.
   */
  @Property(tries = 1000)
  void varbitIntBucketsEqualTheRangeChain(@ForAll long any, @ForAll @IntRange(min = 0, max = 8) int k,
      @ForAll @IntRange(min = -3, max = 3) int nudge) {
    int[] payload = {3, 6, 9, 12, 18, 25, 56, 64};
    long edge = k == 8 ? any : (1L << (payload[k] - 1)) * (nudge < 0 ? -1 : 1) + nudge;
    for (long val : new long[] {any, edge, -edge, edge + 1, edge - 1}) {
      BitWriter w = new BitWriter(0, 16, WriterFlavor.PROMETHEUS_3);
      Varbit.putInt(w, val);
      Model m = new Model();
      if (val == 0) {
        m.put(0, 1);
      } else {
        int b = 0;
        while (b < 7 && !Varbit.bitRange(val, payload[b])) {
          b++;
        }
        // b + 1 ones and a zero, or eight ones for the 64-bit bucket; then the payload.
        if (b < 7) {
          m.put(((1L << (b + 1)) - 1) << 1, b + 2);
        } else {
          m.put(0xFF, 8);
        }
        m.put(val, payload[b]);
      }
      assertThat(w.bitPosition()).isEqualTo(m.pos);
      assertThat(w.toByteArray()).isEqualTo(m.bytes((int) ((m.pos + 7) >>> 3)));
    }
  }

  private static BitSet shifted(int b, int byteIndex) {
    BitSet s = new BitSet();
    for (int j = 0; j < 8; j++) {
      if ((b & (0x80 >>> j)) != 0) {
        s.set(byteIndex * 8 + j);
      }
    }
    return s;
  }
}
