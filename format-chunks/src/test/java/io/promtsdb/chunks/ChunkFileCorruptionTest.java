package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.ChecksumMismatchException;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.UnsupportedFormatVersionException;
import io.promtsdb.core.testing.Corruptions;
import io.promtsdb.core.testing.TestData;
import io.promtsdb.core.testing.TrackingByteSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Corruption sweeps over real chunk files (Lucene's TestAllFilesDetectTruncation and
 * TestAllFilesDetectBitFlips): every single-bit flip and every truncation into the data is
 * reported as {@link CorruptFormatException} naming the file, by CRC where the bytes are
 * covered by one. Also: integrity checks read every byte.
 */
class ChunkFileCorruptionTest {

  /** A small block segment (p3-none/crash, 16 XOR chunks). */
  static final String SMALL_SEGMENT = "fixtures/p3-none/crash/01M80DQJJ2FGWBPDJ5FZ57QRW4/chunks/000001";
  /** A small 2.x segment (54 XOR chunks with the 2.x spare byte). */
  static final String SMALL_V2_SEGMENT = "fixtures/p2-snappy/data/01M80DXWCR6N8YW7S368NRMAXG/chunks/000001";
  /** A 2.x segment with XOR and histogram chunks. */
  static final String LARGE_SEGMENT = "fixtures/p2-snappy/crash/01M80DQJ6V6Y3S9PV57VJ10ZGN/chunks/000001";
  /** A head chunk file with 10 out-of-order chunks and a preallocated zero tail. */
  static final String HEAD_FILE = "fixtures/p3-none/data/chunks_head/000004";
  /** A head chunk file with histogram chunks. */
  static final String HEAD_FILE_HIST = "fixtures/p3-none/data/chunks_head/000005";

  private static byte[] read(String rel) throws Exception {
    return Files.readAllBytes(TestData.path(rel));
  }

  private static ChunkSegmentReader segment(String name, byte[] b) throws CorruptFormatException {
    return ChunkSegmentReader.of(List.of(ByteSource.of(name, b)));
  }

  private static HeadChunkReader head(String name, byte[] b) throws CorruptFormatException {
    SortedMap<Long, ByteSource> m = new TreeMap<>();
    m.put(4L, ByteSource.of(name, b));
    return HeadChunkReader.of(m);
  }

  /** Asserts the variant is reported, naming the resource. */
  private static void assertSegmentDetected(Corruptions.Variant v) {
    assertThatThrownBy(() -> segment("seg", v.bytes()).checkIntegrity(false))
        .as(v.description())
        .isInstanceOf(CorruptFormatException.class)
        .satisfies(e -> assertThat(((CorruptFormatException) e).resource()).startsWith("seg"));
  }

  private static void assertHeadDetected(Corruptions.Variant v) {
    assertThatThrownBy(() -> head("head", v.bytes()).checkIntegrity(false))
        .as(v.description())
        .isInstanceOf(CorruptFormatException.class)
        .satisfies(e -> assertThat(((CorruptFormatException) e).resource()).startsWith("head"));
  }

  @Test
  void everyBitFlipOfASegmentIsDetected() throws Exception {
    byte[] b = read(SMALL_SEGMENT);
    segment("seg", b).checkIntegrity(true);
    int crc = 0;
    for (Corruptions.Variant v : Corruptions.allBitFlips(b, 0, b.length)) {
      assertSegmentDetected(v);
      try {
        segment("seg", v.bytes()).checkIntegrity(false);
      } catch (ChecksumMismatchException e) {
        crc++;
      } catch (CorruptFormatException e) {
        // Header or length field: detected above, not by a CRC.
      }
    }
    // Everything but the header and the length fields is covered by a CRC.
    assertThat(crc).isGreaterThan(b.length * 8 * 8 / 10);
  }

  @Test
  void randomBitFlipsOfALargeSegmentAreDetected() throws Exception {
    byte[] b = read(LARGE_SEGMENT);
    segment("seg", b).checkIntegrity(true);
    for (Corruptions.Variant v : Corruptions.randomBitFlips(b, 7, 1500)) {
      assertSegmentDetected(v);
    }
  }

  @Test
  void segmentTruncationsAreDetectedUnlessAtARecordBoundary() throws Exception {
    byte[] b = read(SMALL_V2_SEGMENT);
    ChunkSegmentReader valid = segment("seg", b);
    List<Long> refs = valid.refs();
    long lastRef = refs.get(refs.size() - 1);
    int boundaries = 0;
    for (Corruptions.Variant v : Corruptions.truncations(b, b.length)) {
      int len = v.bytes().length;
      boolean boundary = len == 8 || refs.contains((long) len);
      if (!boundary) {
        assertSegmentDetected(v);
        continue;
      }
      // A cut between records leaves a shorter valid file: only the lost references fail.
      boundaries++;
      ChunkSegmentReader r = segment("seg", v.bytes());
      r.checkIntegrity(false);
      assertThatThrownBy(() -> r.chunk(lastRef)).isInstanceOf(CorruptFormatException.class);
    }
    assertThat(boundaries).isGreaterThan(10);
    // Below the header the file is rejected on open.
    for (int len = 0; len < 8; len++) {
      byte[] t = java.util.Arrays.copyOf(b, len);
      assertThatThrownBy(() -> segment("seg", t)).isInstanceOf(CorruptFormatException.class);
    }
  }

  @Test
  void absurdLengthsAndBadHeadersAreRejected() throws Exception {
    byte[] b = read(SMALL_SEGMENT);
    byte[] huge = b.clone();
    huge[8] = (byte) 0xFF;
    huge[9] = (byte) 0xFF;
    huge[10] = (byte) 0xFF;
    huge[11] = (byte) 0xFF;
    huge[12] = (byte) 0x0F;
    assertThatThrownBy(() -> segment("seg", huge).chunk(8)).isInstanceOf(CorruptFormatException.class)
        .hasMessageContaining("seg at offset 8");
    byte[] longVarint = b.clone();
    for (int i = 8; i < 13; i++) {
      longVarint[i] = (byte) 0x80;
    }
    assertThatThrownBy(() -> segment("seg", longVarint).chunk(8)).isInstanceOf(CorruptFormatException.class)
        .hasMessageContaining("longer than 5 bytes");
    byte[] version = b.clone();
    version[4] = 2;
    assertThatThrownBy(() -> segment("seg", version)).isInstanceOf(UnsupportedFormatVersionException.class);
    assertThat(Corruptions.withBe32(b, 0, 0x0130BC91).bytes()).satisfies(x ->
        assertThatThrownBy(() -> segment("seg", x)).hasMessageContaining("magic"));
    assertThatThrownBy(() -> segment("seg", b).chunk(BlockChunkRef.of(1, 8)))
        .isInstanceOf(CorruptFormatException.class).hasMessageContaining("segment index 1 out of range");
    assertThatThrownBy(() -> segment("seg", b).chunk(BlockChunkRef.of(0, b.length - 3)))
        .isInstanceOf(CorruptFormatException.class);
    assertThatThrownBy(() -> segment("seg", b).chunk(BlockChunkRef.of(0, 2)))
        .isInstanceOf(CorruptFormatException.class);
    // An encoding byte of 0x81 is out-of-order marking, never valid in a block.
    ChunkSegmentReader r = segment("seg", b);
    long ref = r.refs().get(0);
    byte[] ooo = b.clone();
    int encPos = 8 + 1;
    ooo[encPos] = (byte) 0x81;
    fixCrc(ooo, 8);
    assertThatThrownBy(() -> segment("seg", ooo).chunk(ref)).hasMessageContaining("chunk encoding: actual 0x81");
  }

  /** Recomputes the CRC of the one-byte-length record at {@code off}. */
  private static void fixCrc(byte[] b, int off) {
    int len = b[off] & 0x7F;
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(b, off + 1, 1 + len);
    io.promtsdb.core.BigEndian.putInt(b, off + 2 + len, (int) c.getValue());
  }

  @Test
  void segmentIntegrityCheckReadsEveryByte() throws Exception {
    for (String rel : List.of(SMALL_SEGMENT, SMALL_V2_SEGMENT, LARGE_SEGMENT)) {
      byte[] b = read(rel);
      for (boolean decode : new boolean[] {false, true}) {
        TrackingByteSource t = new TrackingByteSource(ByteSource.of(rel, b));
        ChunkSegmentReader.of(List.of(t)).checkIntegrity(decode);
        assertThat(t.unread(b.length).isEmpty()).as("%s, decode=%s: unread %s", rel, decode, t.unread(b.length)).isTrue();
      }
    }
  }

  @Test
  void headIntegrityCheckReadsEveryByte() throws Exception {
    for (String rel : List.of(HEAD_FILE, HEAD_FILE_HIST)) {
      byte[] b = read(rel);
      TrackingByteSource t = new TrackingByteSource(ByteSource.of(rel, b));
      SortedMap<Long, ByteSource> m = new TreeMap<>();
      m.put(5L, t);
      HeadChunkReader.of(m).checkIntegrity(true);
      assertThat(t.unread(b.length).isEmpty()).as("%s unread %s", rel, t.unread(b.length)).isTrue();
    }
  }

  @Test
  void headFileBitFlipsAreDetected() throws Exception {
    for (String rel : List.of(HEAD_FILE, HEAD_FILE_HIST)) {
      byte[] b = read(rel);
      HeadChunkReader valid = head("head", b);
      valid.checkIntegrity(true);
      List<HeadChunkReader.HeadChunkMeta> recs = valid.records();
      HeadChunkReader.HeadChunkMeta last = recs.get(recs.size() - 1);
      int dataEnd = dataEnd(last);
      int end = Math.min(dataEnd + 64, b.length);
      // Flip in place (the files are 128 KiB): every bit of the header and the first records,
      // every bit around the end of the data, and random bits anywhere including the zero tail.
      List<int[]> flips = new ArrayList<>();
      for (int i = 0; i < Math.min(end, 700); i++) {
        for (int bit = 0; bit < 8; bit++) {
          flips.add(new int[] {i, bit});
        }
      }
      for (int i = Math.max(700, dataEnd - 100); i < end; i++) {
        for (int bit = 0; bit < 8; bit++) {
          flips.add(new int[] {i, bit});
        }
      }
      java.util.Random r = new java.util.Random(11);
      for (int k = 0; k < 400; k++) {
        flips.add(new int[] {r.nextInt(b.length), r.nextInt(8)});
      }
      byte[] work = b.clone();
      for (int[] f : flips) {
        work[f[0]] ^= (byte) (1 << f[1]);
        assertHeadDetected(new Corruptions.Variant("bit " + f[1] + " of byte " + f[0] + " flipped", work));
        work[f[0]] ^= (byte) (1 << f[1]);
      }
    }
  }

  @Test
  void headFileTruncationsAreDetectedUnlessAtARecordBoundary() throws Exception {
    byte[] b = read(HEAD_FILE_HIST);
    HeadChunkReader valid = head("head", b);
    List<HeadChunkReader.HeadChunkMeta> recs = valid.records();
    List<Long> starts = new ArrayList<>();
    for (HeadChunkReader.HeadChunkMeta m : recs) {
      starts.add(ChunkDiskMapperRef.offset(m.ref()));
    }
    HeadChunkReader.HeadChunkMeta last = recs.get(recs.size() - 1);
    int dataEnd = dataEnd(last);
    int detected = 0;
    for (int len = dataEnd - 1; len > dataEnd - 3000 && len > 8; len--) {
      byte[] t = java.util.Arrays.copyOf(b, len);
      if (looksLikeEndOfData(t, starts)) {
        HeadChunkReader r = head("head", t);
        r.checkIntegrity(false);
        assertThat(r.records()).hasSizeLessThan(recs.size());
        continue;
      }
      final int l = len;
      assertHeadDetected(new Corruptions.Variant("truncated to " + l, t));
      detected++;
    }
    assertThat(detected).isGreaterThan(2000);
    // Cutting only zeros off the preallocated tail changes nothing.
    HeadChunkReader r = head("head", java.util.Arrays.copyOf(b, dataEnd));
    r.checkIntegrity(true);
    assertThat(r.records()).isEqualTo(recs);
  }

  private static int dataEnd(HeadChunkReader.HeadChunkMeta m) {
    return (int) ChunkDiskMapperRef.offset(m.ref()) + 25 + io.promtsdb.core.Varints.uvarintSize(m.dataLength())
        + m.dataLength() + 4;
  }

  /**
   * Whether Go's end-of-data rule sees the end of the file at the last record start: fewer than
   * 34 bytes from there, all zero (a cut within the zero high bytes of a series ref cannot be
   * told from the preallocated tail).
   */
  private static boolean looksLikeEndOfData(byte[] t, List<Long> starts) {
    long s = 0;
    for (long x : starts) {
      if (x <= t.length) {
        s = Math.max(s, x);
      }
    }
    if (t.length - s >= HeadChunkReader.MAX_META_SIZE) {
      return false;
    }
    for (long i = s; i < t.length; i++) {
      if (t[(int) i] != 0) {
        return false;
      }
    }
    return true;
  }

  @Test
  void headReaderFollowsGoOnOpen(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    byte[] b = read(HEAD_FILE);
    Files.write(dir.resolve("000004"), b);
    Files.write(dir.resolve("000005"), new byte[] {0, 0});
    try (HeadChunkReader r = HeadChunkReader.open(dir)) {
      assertThat(r.fileNumbers()).containsExactly(4L);
      assertThat(r.ignoredFiles()).containsExactly(dir.resolve("000005"));
    }
    // Only the last file is forgiven; an earlier empty one fails its header check.
    Files.write(dir.resolve("000006"), b);
    assertThatThrownBy(() -> HeadChunkReader.open(dir)).hasMessageContaining("000005 at offset 0: invalid head chunk file header");
    Files.delete(dir.resolve("000005"));
    assertThatThrownBy(() -> HeadChunkReader.open(dir)).hasMessageContaining("unsequential");
  }
}
