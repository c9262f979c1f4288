package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.testing.TestData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged data directories (copies of the p3-none fixture): a corrupt block is reported with
 * its ULID, file and offset and the others stay readable when asked; a torn or corrupt WAL
 * ends the replay where Prometheus' repair would cut it, with a warning naming segment and
 * offset; corrupt head chunk files are left out and the WAL fills the gap, so the dump still
 * equals promtool's; failing file access gives a clean error.
 */
class CorruptDataDirTest {
  @TempDir Path tmp;

  private Path copy(String fixture) throws IOException {
    Path src = TestData.path("fixtures/" + fixture + "/data");
    Path dst = tmp.resolve(fixture);
    try (Stream<Path> s = Files.walk(src)) {
      for (Path p : s.toList()) {
        Path t = dst.resolve(src.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return dst;
  }

  private static void flip(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x10);
    }
  }

  private static List<String> dump(ReadOnlyDb db) throws IOException {
    Dump.StringOut b = new Dump.StringOut();
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      Dump.promtool(q.select(false, MetricSelectors.parse("{__name__=~'(?s:.*)'}")), b);
    }
    String s = b.toString();
    return s.isEmpty() ? List.of() : List.of(s.split("\n"));
  }

  private static List<String> expectedDump(String fixture) throws IOException {
    List<String> out = new ArrayList<>();
    Path p = TestData.path("fixtures/" + fixture + "/expected/dump.txt.gz");
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(p)), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        out.add(l);
      }
    }
    return out;
  }

  @Test
  void corruptIndexNamesBlockFileAndOffset() throws IOException {
    Path dir = copy("p3-none");
    String bad = "01M80DQJH0BESSQ6C48W8X23M5";
    Path index = dir.resolve(bad).resolve("index");
    long tocCrc = Files.size(index) - 2;
    flip(index, tocCrc);
    try (ReadOnlyDb db = ReadOnlyDb.open(dir)) {
      assertThatThrownBy(db::blocks)
          .isInstanceOf(ReadOnlyDb.CorruptBlocksException.class)
          .hasMessageContaining("corrupted block " + bad)
          .hasMessageContaining(index.toString())
          .hasMessageContaining("offset")
          .hasMessageContaining("CRC");
    }
    try (ReadOnlyDb db = ReadOnlyDb.open(dir, ReadOnlyDb.Options.DEFAULT.withSkipCorruptBlocks(true))) {
      assertThat(db.blocks()).hasSize(2).noneMatch(b -> b.ulid().toString().equals(bad));
      assertThat(db.corruptBlocks()).singleElement().satisfies(c -> assertThat(c.id()).isEqualTo(bad));
      assertThat(db.warnings()).anyMatch(w -> w.contains(bad));
      List<String> lines = dump(db);
      assertThat(lines).isNotEmpty();
      // The other blocks' and the head's data is still there: only lines of the bad block's
      // time range can be missing.
      List<String> want = expectedDump("p3-none");
      assertThat(want).containsAll(lines.subList(0, Math.min(200, lines.size())));
    }
  }

  @Test
  void corruptChunkIsReportedWhenRead() throws IOException {
    Path dir = copy("p3-none");
    Path chunks = dir.resolve("01M80DT7A5E0KSN4SD4GDWTGQ9").resolve("chunks").resolve("000001");
    flip(chunks, 20); // inside the data of the first chunk: its CRC no longer matches
    try (ReadOnlyDb db = ReadOnlyDb.open(dir)) {
      assertThatThrownBy(() -> dump(db))
          .isInstanceOf(CorruptFormatException.class)
          .hasMessageContaining(chunks.toString())
          .hasMessageContaining("offset");
    }
  }

  @Test
  void tornWalTailKeepsWhatCameBeforeAndSaysWhere() throws IOException {
    Path dir = copy("p3-none");
    Path seg = dir.resolve("wal").resolve("00000002");
    byte[] bytes = Files.readAllBytes(seg);
    int last = bytes.length - 1;
    while (bytes[last] == 0) {
      last--; // skip the zero padding of the closed page
    }
    // Cut inside the last record, as a crash during a write would.
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      f.setLength(last - 5);
    }
    try (ReadOnlyDb db = ReadOnlyDb.open(dir, ReadOnlyDb.Options.DEFAULT.withWalReplayConcurrency(3))) {
      List<String> lines = dump(db);
      ReplayReport r = db.head().replayReport();
      assertThat(r.warnings()).singleElement().satisfies(w -> assertThat(w).contains(seg.toString()).contains("offset"));
      assertThat(db.warnings()).isNotEmpty();
      assertThat(r.lastSegment()).isEqualTo(2);
      // Everything that was replayed is promtool's data; only the torn records' samples are missing.
      List<String> want = expectedDump("p3-none");
      assertThat(lines.size()).isLessThanOrEqualTo(want.size()).isGreaterThan(want.size() - 20_000);
    }
  }

  @Test
  void memorySnapshotGivesTheSameHead() throws IOException {
    // p3-none holds chunk_snapshot.000002.0000229376: with it, the head is its series and
    // head chunks plus the WAL from segment 2, offset 229376, on.
    Path dir = TestData.path("fixtures/p3-none/data");
    List<String> want = expectedDump("p3-none");
    try (ReadOnlyDb db = ReadOnlyDb.open(dir, ReadOnlyDb.Options.DEFAULT.withChunkSnapshot(true).withWalReplayConcurrency(3))) {
      assertThat(dump(db)).isEqualTo(want);
      ReplayReport r = db.head().replayReport();
      assertThat(r.warnings()).isEmpty();
      assertThat(r.firstSegment()).isEqualTo(2);
      try (ReadOnlyDb full = ReadOnlyDb.open(dir)) {
        full.head();
        assertThat(r.records()).isLessThan(full.head().replayReport().records());
      }
    }
  }

  @Test
  void unusableMemorySnapshotFallsBackToTheWholeWal() throws IOException {
    Path dir = copy("p3-none");
    Path snap = dir.resolve("chunk_snapshot.000002.0000229376").resolve("00000000");
    flip(snap, 100);
    try (ReadOnlyDb db = ReadOnlyDb.open(dir, ReadOnlyDb.Options.DEFAULT.withChunkSnapshot(true))) {
      assertThat(dump(db)).isEqualTo(expectedDump("p3-none"));
      assertThat(db.head().replayReport().warnings())
          .singleElement()
          .satisfies(w -> assertThat(w).contains("chunk_snapshot.000002.0000229376").contains("replaying the whole WAL"));
      assertThat(db.head().replayReport().firstSegment()).isEqualTo(0);
    }
    // A snapshot beyond the end of the WAL is not used either.
    Path dir2 = copy("p3-snappy");
    Files.createDirectories(dir2.resolve("chunk_snapshot.000009.0000000000"));
    try (ReadOnlyDb db = ReadOnlyDb.open(dir2, ReadOnlyDb.Options.DEFAULT.withChunkSnapshot(true))) {
      assertThat(dump(db)).isEqualTo(expectedDump("p3-snappy"));
      assertThat(db.head().replayReport().warnings()).singleElement().satisfies(w -> assertThat(w).contains("before the snapshot"));
    }
  }

  @Test
  void corruptCheckpointIsAnError() throws IOException {
    // The checkpoint is decoded in the same stream as the WAL after it, while the head chunks
    // load; its corruption must still fail the replay (as "backfill checkpoint" in Prometheus).
    Path dir = copy("p3-snappy");
    Path cp = dir.resolve("wal").resolve("checkpoint.00000003").resolve("00000000");
    flip(cp, 40);
    try (ReadOnlyDb db = ReadOnlyDb.open(dir)) {
      assertThatThrownBy(db::head)
          .isInstanceOf(CorruptFormatException.class)
          .hasMessageContaining("backfill checkpoint")
          .hasMessageContaining(cp.toString());
    }
  }

  @Test
  void corruptHeadChunkFileIsLeftOutAndTheWalFillsTheGap() throws IOException {
    Path dir = copy("p3-none");
    Path file = dir.resolve("chunks_head").resolve("000004");
    flip(file, 40); // inside the first record
    try (ReadOnlyDb db = ReadOnlyDb.open(dir)) {
      List<String> lines = dump(db);
      assertThat(db.head().replayReport().warnings())
          .singleElement()
          .satisfies(w -> assertThat(w).contains("000004").contains("000005"));
      assertThat(lines).isEqualTo(expectedDump("p3-none"));
    }
  }

  @Test
  void failingFileAccessGivesACleanError() throws IOException {
    Path dir = copy("p3-none");
    for (int failAt = 1; failAt <= 12; failAt++) {
      AtomicInteger opens = new AtomicInteger();
      int n = failAt;
      FileAccess faulty =
          new FileAccess() {
            @Override
            public ByteSource open(Path file) throws IOException {
              if (opens.incrementAndGet() == n) {
                throw new IOException("injected failure opening " + file);
              }
              return FileAccess.DEFAULT.open(file);
            }

            @Override
            public List<Path> list(Path d) throws IOException {
              return FileAccess.DEFAULT.list(d);
            }

            @Override
            public boolean isDirectory(Path p) {
              return FileAccess.DEFAULT.isDirectory(p);
            }

            @Override
            public boolean exists(Path p) {
              return FileAccess.DEFAULT.exists(p);
            }

            @Override
            public long size(Path file) throws IOException {
              return FileAccess.DEFAULT.size(file);
            }
          };
      try (ReadOnlyDb db = ReadOnlyDb.open(dir, ReadOnlyDb.Options.DEFAULT.withFileAccess(faulty))) {
        assertThatThrownBy(() -> dump(db)).isInstanceOf(IOException.class).hasMessageContaining("injected failure");
      }
    }
  }
}
