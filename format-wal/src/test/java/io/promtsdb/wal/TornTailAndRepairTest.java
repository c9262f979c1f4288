package io.promtsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Torn tails and corruption: every truncation and every bit flip of a segment gives either
 * intact records or a {@link WalCorruptionException} naming segment and offset, never
 * another exception; repair then keeps exactly the records before the damage.
 */
class TornTailAndRepairTest {
  static final int PAGE = WalFormat.PAGE_SIZE;

  static List<byte[]> records() {
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      out.add(FramingProperties.record(i == 5 ? PAGE + 100 : 50 + i * 37, i, i % 2 == 0));
    }
    return out;
  }

  static byte[] writeSegment(Path dir, Compression c) throws IOException {
    try (WalWriter w = WalWriter.open(dir, WalWriter.Options.defaults(c))) {
      for (byte[] r : records()) {
        w.log(r);
      }
    }
    return Files.readAllBytes(Segments.path(dir, 0));
  }

  /** Reads all it can; returns the records and the error (or null). */
  static Object[] readAll(byte[] segment) {
    List<byte[]> got = new ArrayList<>();
    SegmentReader r = new SegmentReader(io.promtsdb.core.ByteSource.of("wal/00000003", segment), "wal", 3);
    try {
      while (r.next()) {
        got.add(r.copyRecord());
      }
      return new Object[] {got, null};
    } catch (WalCorruptionException e) {
      return new Object[] {got, e};
    }
  }

  @Test
  void everyTruncationReadsAPrefixOrReportsSegmentAndOffset(@TempDir Path dir) throws IOException {
    for (Compression c : Compression.values()) {
      Path d = dir.resolve(c.name());
      byte[] seg = writeSegment(d, c);
      List<byte[]> all = records();
      for (int cut = seg.length; cut >= 0; cut -= (cut > seg.length - 2 * PAGE ? 1 : 97)) {
        Object[] res = readAll(Arrays.copyOf(seg, cut));
        @SuppressWarnings("unchecked")
        List<byte[]> got = (List<byte[]>) res[0];
        WalCorruptionException err = (WalCorruptionException) res[1];
        for (int i = 0; i < got.size(); i++) {
          assertThat(got.get(i)).as("%s cut at %d record %d", c, cut, i).isEqualTo(all.get(i));
        }
        if (err != null) {
          assertThat(err.segment()).isEqualTo(3);
          assertThat(err.dir()).isEqualTo("wal");
          assertThat(err.offset()).isBetween(0L, (long) cut);
          assertThat(err.recordOffset()).isLessThanOrEqualTo(err.offset());
          assertThat(err.getMessage()).contains("wal/00000003").contains("at offset " + err.offset());
        } else {
          // A clean read of a truncated file may only lose trailing padding or whole records.
          assertThat(got.size()).isLessThanOrEqualTo(all.size());
        }
      }
    }
  }

  @Test
  void everyBitFlipIsDetectedOrHarmless(@TempDir Path dir) throws IOException {
    List<byte[]> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(FramingProperties.record(20 + 40 * i, i, true));
    }
    try (WalWriter w = WalWriter.open(dir, WalWriter.Options.defaults(Compression.NONE))) {
      w.log(all);
    }
    byte[] seg = Files.readAllBytes(Segments.path(dir, 0));
    int dataEnd = 0;
    for (byte[] r : all) {
      dataEnd += r.length + WalFormat.FRAGMENT_HEADER_SIZE;
    }
    int detected = 0;
    int flips = 0;
    // Every bit of the records and of the first 64 bytes of padding.
    for (int i = 0; i < dataEnd + 64; i++) {
      for (int bit = 0; bit < 8; bit++) {
        flips++;
        seg[i] ^= (byte) (1 << bit);
        Object[] res = readAll(seg);
        seg[i] ^= (byte) (1 << bit);
        @SuppressWarnings("unchecked")
        List<byte[]> got = (List<byte[]>) res[0];
        if (res[1] != null) {
          detected++;
        } else if (got.size() != all.size()) {
          // A flipped bit in zero padding can make a header of an empty FULL fragment
          // (length 0, CRC 0 = CRC32C of nothing): the format cannot tell; the record
          // decoder rejects an empty record.
          assertThat(got).as("bit %d of byte %d", bit, i).hasSize(all.size() + 1);
          assertThat(got.get(all.size())).isEmpty();
        }
        // The CRC covers payloads; length and sequence rules cover the rest. Only the
        // compression bits of a type byte are unprotected by the format: such a flip is
        // reported when the "compressed" bytes do not decode, else it changes the record.
        for (int k = 0; k < Math.min(got.size(), all.size()); k++) {
          if (!Arrays.equals(got.get(k), all.get(k))) {
            assertThat(bit).as("silently changed record %d (byte %d)", k, i).isIn(3, 4);
          }
        }
      }
    }
    assertThat(detected).isGreaterThan(flips * 9 / 10);
  }

  @Test
  void repairKeepsTheRecordsBeforeATornTail(@TempDir Path dir) throws IOException {
    List<byte[]> all = records();
    WalWriter.Options opts = WalWriter.Options.defaults(Compression.SNAPPY);
    try (WalWriter w = WalWriter.open(dir, opts)) {
      for (byte[] r : all) {
        w.log(r);
      }
      w.nextSegment();
      w.log(all.get(0));
    }
    // Tear segment 0 in the middle of record 7 (after the 7 first records).
    long cutAt;
    try (SegmentReader r = SegmentReader.open(Segments.path(dir, 0))) {
      for (int i = 0; i < 7; i++) {
        r.next();
      }
      cutAt = r.offset() + 20;
    }
    byte[] seg0 = Files.readAllBytes(Segments.path(dir, 0));
    Files.write(Segments.path(dir, 0), Arrays.copyOf(seg0, (int) cutAt));

    WalCorruptionException err;
    try (WalReader r = WalReader.open(dir)) {
      int n = 0;
      WalCorruptionException caught = null;
      try {
        while (r.next()) {
          n++;
        }
      } catch (WalCorruptionException e) {
        caught = e;
      }
      assertThat(n).isEqualTo(7);
      err = caught;
    }
    assertThat(err).isNotNull();
    assertThat(err.segment()).isZero();

    // As Prometheus: open (starts segment 2), repair, keep writing.
    try (WalWriter w = WalWriter.open(dir, opts)) {
      assertThat(w.segment()).isEqualTo(2);
      w.repair(err);
      assertThat(w.segment()).isEqualTo(1);
      w.log(all.get(11));
    }
    List<byte[]> got = new ArrayList<>();
    try (WalReader r = WalReader.open(dir)) {
      while (r.next()) {
        got.add(r.copyRecord());
      }
    }
    assertThat(got).hasSize(8);
    for (int i = 0; i < 7; i++) {
      assertThat(got.get(i)).isEqualTo(all.get(i));
    }
    assertThat(got.get(7)).isEqualTo(all.get(11));
    assertThat(Files.size(Segments.path(dir, 0)) % PAGE).isZero();
    assertThat(Files.exists(Segments.path(dir, 0).resolveSibling("00000000.repair"))).isFalse();
  }

  @Test
  void repairNeedsASegment() {
    WalCorruptionException noSegment = new WalCorruptionException("x", -1, 5, 5, "bad", null);
    assertThat(noSegment.getMessage()).isEqualTo("x at offset 5: bad");
  }

  @Test
  void faultInjectedWritesFailCleanlyAndTheLogStaysReadable(@TempDir Path dir) throws IOException {
    List<byte[]> all = records();
    for (int failAt = 1; failAt <= 6; failAt++) {
      Path d = dir.resolve("f" + failAt);
      FaultInjectingFileOps files = new FaultInjectingFileOps().tornWrites(100);
      WalWriter.Options opts = WalWriter.Options.defaults(Compression.NONE).withFiles(files);
      int acknowledged = 0;
      WalWriter w = WalWriter.open(d, opts);
      files.failAt(FaultInjectingFileOps.Op.WRITE, failAt);
      try {
        for (byte[] r : all) {
          w.log(r);
          acknowledged++;
        }
      } catch (IOException e) {
        assertThat(e).hasMessageContaining("injected failure of WRITE");
        assertThatThrownBy(() -> w.log(all.get(0))).hasMessageContaining("earlier write failed");
      }
      w.close();
      // Everything acknowledged is there; what follows is a clean end or a reported tear.
      List<byte[]> got = new ArrayList<>();
      try (WalReader r = WalReader.open(d)) {
        while (r.next()) {
          got.add(r.copyRecord());
        }
      } catch (WalCorruptionException e) {
        assertThat(e.segment()).isZero();
      }
      assertThat(got.size()).isGreaterThanOrEqualTo(acknowledged);
      for (int i = 0; i < acknowledged; i++) {
        assertThat(got.get(i)).isEqualTo(all.get(i));
      }
    }
  }

  @Test
  void failedSyncAndRenameSurface(@TempDir Path dir) throws IOException {
    FaultInjectingFileOps files = new FaultInjectingFileOps();
    WalWriter.Options opts =
        WalWriter.Options.defaults(Compression.NONE).withFiles(files).withSyncPolicy(SyncPolicy.EVERY_BATCH);
    try (WalWriter w = WalWriter.open(dir, opts)) {
      files.failAt(FaultInjectingFileOps.Op.SYNC, 2);
      w.log(records().get(0));
      assertThatThrownBy(() -> w.log(records().get(1))).hasMessageContaining("injected failure of SYNC");
      files.heal();
    }
    files.failAt(FaultInjectingFileOps.Op.RENAME, 1);
    assertThatThrownBy(
            () -> Checkpoints.create(dir, 0, 0, ref -> true, 0, false, WalWriter.Options.defaults(Compression.NONE).withFiles(files)))
        .hasMessageContaining("injected failure of RENAME");
    assertThat(Checkpoints.list(dir)).isEmpty();
    assertThat(Files.exists(dir.resolve("checkpoint.00000000.tmp"))).isFalse();
  }
}
