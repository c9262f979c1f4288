package io.promtsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Crc32c;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The snappy codec: Go's encoder byte for byte (vectors below; the fixtures' snappy segments
 * in {@link FixtureTest}), round trips with aircompressor both ways, Go's decoder's rejections,
 * and arbitrary or damaged input giving a {@link CorruptFormatException} only.
 */
class SnappyTest {
  /** SplitMix64, as in the Go program below. */
  static long next(long[] s) {
    s[0] += 0x9E3779B97F4A7C15L;
    long z = s[0];
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** Inputs: 0 zeros, 1 random, 2 four letters, 3 short-range repeats. */
  static byte[] gen(int kind, int n) {
    long[] r = {kind * 1000003L + n};
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      switch (kind) {
        case 0 -> b[i] = 0;
        case 1 -> b[i] = (byte) next(r);
        case 2 -> b[i] = (byte) ('a' + Long.remainderUnsigned(next(r), 4));
        default -> {
          if (i >= 8 && Long.remainderUnsigned(next(r), 8) != 0) {
            b[i] = b[i - 1 - (int) Long.remainderUnsigned(next(r), 8)];
          } else {
            b[i] = (byte) Long.remainderUnsigned(next(r), 200);
          }
        }
      }
    }
    return b;
  }

  /**
   * {kind, input length, encoded length, CRC32C of the encoding} from github.com/golang/snappy
   * (Debian's 0.0.2; the encoder is unchanged through 1.0.0, which Prometheus 3.5.3 uses):
   *
   * <pre>
   * for kind := 0; kind &lt; 4; kind++ {
   *   for _, n := range []int{1, 15, 16, 17, 18, 100, 4096, 65535, 65536, 65537, 200000} {
   *     e := snappy.Encode(nil, gen(kind, n))
   *     fmt.Printf("{%d, %d, %d, 0x%08x},\n", kind, n, len(e), crc32.Checksum(e, castagnoli))
   * </pre>
   *
   * with {@code gen} and SplitMix64 as in this class.
   */
  static final long[][] GO_VECTORS = {
    {0, 1, 3, 0xc5253104L}, {0, 15, 17, 0x07ce9979L}, {0, 16, 18, 0x80e828bdL},
    {0, 17, 6, 0x13b2f196L}, {0, 18, 6, 0xd702a6d4L}, {0, 100, 9, 0xd7de1dd6L},
    {0, 4096, 196, 0x08b278ffL}, {0, 65535, 3077, 0xe02aeb61L}, {0, 65536, 3077, 0x50deb733L},
    {0, 65537, 3079, 0x48645161L}, {0, 200000, 9386, 0xdeb701bcL},
    {1, 1, 3, 0x970edf4cL}, {1, 15, 17, 0x87a47edeL}, {1, 16, 18, 0xbdbe59a3L},
    {1, 17, 19, 0x5f757d91L}, {1, 18, 20, 0x477a6895L}, {1, 100, 103, 0x6a571d92L},
    {1, 4096, 4101, 0x7a63e434L}, {1, 65535, 65541, 0x262c102dL}, {1, 65536, 65542, 0xed27b7a5L},
    {1, 65537, 65544, 0x88eafb2aL}, {1, 200000, 200015, 0xd6a52960L},
    {2, 1, 3, 0x45d8d291L}, {2, 15, 17, 0xf2445bdeL}, {2, 16, 18, 0x99ea5097L},
    {2, 17, 19, 0xae0c6dbcL}, {2, 18, 20, 0x273cf53eL}, {2, 100, 94, 0x6edda835L},
    {2, 4096, 2318, 0x4b21aa8cL}, {2, 65535, 32878, 0x74787f71L}, {2, 65536, 32650, 0x87da2697L},
    {2, 65537, 32921, 0x59fa9ef1L}, {2, 200000, 100568, 0xc18fff37L},
    {3, 1, 3, 0xd846c871L}, {3, 15, 17, 0x722ae64eL}, {3, 16, 18, 0xe864ddfeL},
    {3, 17, 19, 0x11e81b19L}, {3, 18, 20, 0x5678f1adL}, {3, 100, 103, 0xd600fe15L},
    {3, 4096, 3281, 0xd9bec3f4L}, {3, 65535, 49811, 0x766133e1L}, {3, 65536, 49536, 0x1689dbcaL},
    {3, 65537, 49825, 0xf0d8cf5aL}, {3, 200000, 153198, 0x12f4e7afL},
  };

  static byte[] encode(Snappy s, byte[] src) {
    byte[] out = new byte[(int) Snappy.maxEncodedLength(src.length) + 3];
    int n = s.encode(src, 0, src.length, out, 3);
    assertThat((long) n).isLessThanOrEqualTo(Snappy.maxEncodedLength(src.length));
    return Arrays.copyOfRange(out, 3, 3 + n);
  }

  static byte[] decode(byte[] block) throws CorruptFormatException {
    long n = Snappy.decodedLength(block, 0, block.length);
    byte[] out = new byte[(int) n + Snappy.DECODE_SLACK];
    int m = Snappy.decode(block, 0, block.length, out);
    return Arrays.copyOf(out, m);
  }

  @Test
  void encodesAsGoDoes() throws Exception {
    // One encoder for all: its table carries entries from earlier calls, which must not
    // change the output.
    Snappy s = new Snappy();
    for (long[] v : GO_VECTORS) {
      byte[] src = gen((int) v[0], (int) v[1]);
      byte[] e = encode(s, src);
      assertThat(e.length).as("kind %d n %d", v[0], v[1]).isEqualTo(v[2]);
      assertThat(Crc32c.compute(e) & 0xFFFFFFFFL).as("kind %d n %d", v[0], v[1]).isEqualTo(v[3]);
      assertThat(decode(e)).isEqualTo(src);
    }
  }

  @Test
  void aFreshEncoderAndAUsedOneAgree() {
    Snappy used = new Snappy();
    for (int i = 0; i < 50; i++) {
      encode(used, gen(3, 70000 + i));
    }
    byte[] src = gen(2, 5000);
    assertThat(encode(used, src)).isEqualTo(encode(new Snappy(), src));
  }

  @Provide
  Arbitrary<byte[]> inputs() {
    Arbitrary<Integer> sizes =
        Arbitraries.oneOf(
            Arbitraries.integers().between(0, 40),
            Arbitraries.integers().between(0, 5000),
            Arbitraries.of(65535, 65536, 65537, 131072 + 17));
    return Arbitraries.integers()
        .between(0, 3)
        .flatMap(kind -> sizes.map(n -> gen(kind, n)))
        .edgeCases(c -> c.add(new byte[0]));
  }

  @Property(tries = 200)
  void roundTripsAndAircompressorAgrees(@ForAll("inputs") byte[] src) throws Exception {
    byte[] e = encode(new Snappy(), src);
    assertThat(decode(e)).isEqualTo(src);
    byte[] viaAir = new byte[src.length];
    int n = new SnappyDecompressor().decompress(e, 0, e.length, viaAir, 0, viaAir.length);
    assertThat(n).isEqualTo(src.length);
    assertThat(viaAir).isEqualTo(src);
    // And the other way: aircompressor's blocks (other choices, same format) decode here.
    SnappyCompressor air = new SnappyCompressor();
    byte[] ae = new byte[air.maxCompressedLength(src.length)];
    int an = air.compress(src, 0, src.length, ae, 0, ae.length);
    assertThat(decode(Arrays.copyOf(ae, an))).isEqualTo(src);
  }

  @Test
  void copiesOfEveryOffsetAndLength() throws Exception {
    // Hand-built blocks: a literal, then copies with offsets 1..20 and lengths 1..64,
    // checked against a byte-by-byte reference.
    for (int offset = 1; offset <= 20; offset++) {
      for (int length = 1; length <= 64; length++) {
        byte[] lit = gen(1, 20);
        byte[] want = Arrays.copyOf(lit, 20 + length);
        for (int i = 20; i < want.length; i++) {
          want[i] = want[i - offset];
        }
        byte[] block = {
          (byte) (20 + length), (byte) (19 << 2), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
          0, 0, 0, 0, (byte) ((length - 1) << 2 | 2), (byte) offset, 0
        };
        System.arraycopy(lit, 0, block, 2, 20);
        assertThat(decode(block)).as("offset %d length %d", offset, length).isEqualTo(want);
      }
    }
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  /** Blocks Go's {@code snappy.Decode} rejects with ErrCorrupt, rejected here too. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "", // no header
        "80", // truncated header
        "ffffffff7f", // length above 32 bits
        "ffffffffffffffffff02", // uvarint overflow
        "05 0c 61 62 63 64", // literal of 4, header says 5
        "03 0c 61 62 63 64", // literal of 4 runs past the output of 3
        "04 0c 61 62 63", // literal runs past the input
        "06 f0", // 1-byte literal length missing
        "08 04 61 62 06 00 00", // copy offset 0
        "08 04 61 62 06 03 00", // copy offset 3 before the output start (2 bytes so far)
        "04 04 61 62 06 01 00", // control: "ab" + copy(offset 1, length 2) = "abbb" is valid
        "03 04 61 62 06 01 00", // the same copy runs past an output of 3
        "08 04 61 62 0e 01", // truncated 2-byte-offset copy
        "08 04 61 62 01", // truncated 1-byte-offset copy
        "08 04 61 62 03 01 00 00", // truncated 4-byte-offset copy
        "08 04 61 62 07 ff ff ff ff", // 4-byte offset beyond the output
        "02 04 61 62 00", // trailing element after the output is complete
      })
  void rejectsWhatGoRejects(String block) {
    byte[] b = hex(block);
    if (block.startsWith("04 04 61 62 06 01 00")) {
      // "ab" + copy(offset 1, length 2) = "abbb": valid, the control case.
      assertThat(decodeUnchecked(b)).isEqualTo("abbb".getBytes());
      return;
    }
    assertThatThrownBy(() -> decode(b))
        .isInstanceOf(CorruptFormatException.class)
        .hasMessageStartingWith("snappy block at offset ");
  }

  static byte[] decodeUnchecked(byte[] b) {
    try {
      return decode(b);
    } catch (CorruptFormatException e) {
      throw new AssertionError(e);
    }
  }

  /** Arbitrary bytes: decoded, or rejected with the codec's exception; never anything else. */
  @Property(tries = 2000)
  void arbitraryBytesDecodeOrAreRejected(@ForAll byte[] junk) {
    RecordDecompressor d = new RecordDecompressor();
    try {
      d.decompress(Compression.SNAPPY, junk, 0, junk.length);
    } catch (RecordDecompressor.DecompressionException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  /** Every truncation and bit flip of a valid block: decoded (to something) or rejected. */
  @Property(tries = 30)
  void damagedBlocksDecodeOrAreRejected(
      @ForAll @IntRange(min = 0, max = 3) int kind, @ForAll @IntRange(min = 1, max = 3000) int n) {
    byte[] e = encode(new Snappy(), gen(kind, n));
    RecordDecompressor d = new RecordDecompressor();
    for (int cut = 0; cut < e.length; cut++) {
      try {
        int m = d.decompress(Compression.SNAPPY, e, 0, cut);
        assertThat(m).isLessThanOrEqualTo(n);
      } catch (RecordDecompressor.DecompressionException expected) {
        // fine
      }
    }
    for (int bit = 0; bit < Math.min(8 * e.length, 4000); bit++) {
      byte[] f = e.clone();
      f[bit / 8] ^= (byte) (1 << (bit % 8));
      try {
        d.decompress(Compression.SNAPPY, f, 0, f.length);
      } catch (RecordDecompressor.DecompressionException expected) {
        // fine
      }
    }
  }
}
