package io.promtsdb.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Deterministic corruptions of a valid file, for sweeps in the style of Lucene's
 * {@code TestAllFilesDetectTruncation} and {@code TestAllFilesDetectBitFlips}. Every variant
 * carries a description to put in assertion messages; seeds are explicit.
 */
public final class Corruptions {
  private Corruptions() {}

  /** A corrupted copy of some bytes and what was done to them. */
  public record Variant(String description, byte[] bytes) {
    @Override
    public String toString() {
      return description;
    }
  }

  /** The file cut to every length from {@code length-1} down to {@code max(0, length-max)}. */
  public static List<Variant> truncations(byte[] valid, int max) {
    List<Variant> out = new ArrayList<>();
    for (int cut = 1; cut <= Math.min(max, valid.length); cut++) {
      byte[] b = new byte[valid.length - cut];
      System.arraycopy(valid, 0, b, 0, b.length);
      out.add(new Variant("truncated by " + cut + " bytes to " + b.length, b));
    }
    return out;
  }

  /** Every bit of every byte in {@code [from, to)} flipped, one at a time. */
  public static List<Variant> allBitFlips(byte[] valid, int from, int to) {
    List<Variant> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      for (int bit = 0; bit < 8; bit++) {
        out.add(flip(valid, i, bit));
      }
    }
    return out;
  }

  /** {@code n} single-bit flips at positions drawn with {@code seed}. */
  public static List<Variant> randomBitFlips(byte[] valid, long seed, int n) {
    Random r = new Random(seed);
    List<Variant> out = new ArrayList<>();
    for (int k = 0; k < n && valid.length > 0; k++) {
      out.add(flip(valid, r.nextInt(valid.length), r.nextInt(8)));
    }
    return out;
  }

  public static Variant flip(byte[] valid, int offset, int bit) {
    byte[] b = valid.clone();
    b[offset] ^= (byte) (1 << bit);
    return new Variant("bit " + bit + " of byte " + offset + " flipped", b);
  }

  /** A copy with a big-endian 32-bit value written at {@code offset} (absurd lengths). */
  public static Variant withBe32(byte[] valid, int offset, int value) {
    byte[] b = valid.clone();
    b[offset] = (byte) (value >>> 24);
    b[offset + 1] = (byte) (value >>> 16);
    b[offset + 2] = (byte) (value >>> 8);
    b[offset + 3] = (byte) value;
    return new Variant(String.format("BE32 at %d set to 0x%08x", offset, value), b);
  }
}
