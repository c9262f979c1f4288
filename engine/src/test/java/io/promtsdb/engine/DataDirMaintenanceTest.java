package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirMaintenanceTest {
  @TempDir Path dir;

  private static final long H = CompactionScenarios.H;

  private DataDirMaintenance maintenance(long retention, long maxBytes) {
    return new DataDirMaintenance(dir, new DataDirMaintenance.Options(Compactor.Options.defaults(), retention, maxBytes));
  }

  /** Every sample of every block, as text per series (blocks merged as a querier merges them). */
  static Map<String, String> samples(Path dataDir) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (ReadOnlyDb db = ReadOnlyDb.open(dataDir); Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      out.putAll(BlockTest.query(q, List.of(Matcher.regex("__name__", ".+"))));
    }
    return out;
  }

  @Test
  void deleteWritesWhatPrometheusWrites() throws IOException {
    Path block = CompactionScenarios.write("leveled", dir).get(0);
    long n = maintenance(0, 0).delete(1_000_000, 2_000_000, List.of(Matcher.equal("i", "0003")));
    assertThat(n).isEqualTo(1);
    Path want = TestData.path("compaction/delete");
    assertThat(Files.readAllBytes(block.resolve("tombstones"))).isEqualTo(Files.readAllBytes(want.resolve("tombstones")));
    assertThat(Files.readString(block.resolve("meta.json"))).isEqualTo(Files.readString(want.resolve("meta.json")));
    assertThat(BlockWriterTest.listNames(block)).doesNotContain("tombstones.tmp", "meta.json.tmp");
  }

  @Test
  void deletedSamplesAreGoneAfterCleanTombstones() throws IOException {
    CompactionScenarios.write("leveled", dir);
    Map<String, String> before = samples(dir);
    DataDirMaintenance m = maintenance(0, 0);
    // Delete [1.5h, 2.5h] of job="a" across two blocks; series of job="b" keep everything.
    long deleted = m.delete(90 * 60_000L, 150 * 60_000L, List.of(Matcher.equal("job", "a")));
    assertThat(deleted).isGreaterThan(5);
    Map<String, String> expected = new LinkedHashMap<>();
    before.forEach((k, v) -> expected.put(k, k.contains("job=\"a\"") ? without(v, 90 * 60_000L, 150 * 60_000L) : v));
    expected.values().removeIf(String::isEmpty);
    assertThat(samples(dir)).isEqualTo(expected);
    List<BlockMeta> rewritten = m.cleanTombstones(0);
    assertThat(rewritten).hasSize(2);
    assertThat(samples(dir)).isEqualTo(expected);
    for (BlockMeta b : rewritten) {
      assertThat(b.compaction().level()).isEqualTo(1);
      assertThat(b.compaction().parents()).hasSize(1);
      assertThat(b.stats().numTombstones()).isZero();
    }
    // The old blocks are gone; no tombstones are left anywhere.
    for (Path d : Compactor.blockDirs(dir)) {
      try (Block b = Block.open(d)) {
        assertThat(b.tombstones().total()).isZero();
      }
    }
    assertThat(Compactor.blockDirs(dir)).hasSize(3);
  }

  /** The samples of a "(t,v)(t,v)..." string outside [mint, maxt]. */
  static String without(String s, long mint, long maxt) {
    StringBuilder b = new StringBuilder();
    for (String p : s.split("\\)")) {
      if (p.isEmpty()) {
        continue;
      }
      long t = Long.parseLong(p.substring(1, p.indexOf(',')));
      if (t < mint || t > maxt) {
        b.append(p).append(')');
      }
    }
    return b.toString();
  }

  @Test
  void compactsUntilNothingIsPlannedAndRemovesParents() throws IOException {
    for (int i = 0; i < 4; i++) {
      CompactionScenarios.block(dir, 10 + i, i * 2 * H, (i + 1) * 2 * H, i, 10 + i, 60_000, i);
    }
    Map<String, String> before = samples(dir);
    List<BlockMeta> written = maintenance(0, 0).compact(0);
    assertThat(written).hasSize(1);
    BlockMeta six = written.get(0);
    assertThat(six.minTime()).isZero();
    assertThat(six.maxTime()).isEqualTo(6 * H);
    assertThat(six.compaction().level()).isEqualTo(2);
    assertThat(six.compaction().parents()).hasSize(3);
    assertThat(six.compaction().sources()).hasSize(3);
    List<Path> left = Compactor.blockDirs(dir);
    assertThat(left).hasSize(2);
    assertThat(samples(dir)).isEqualTo(before);
  }

  @Test
  void timeRetentionDropsBlocksEndingARetentionBeforeTheNewest() throws IOException {
    for (int i = 0; i < 5; i++) {
      CompactionScenarios.block(dir, 20 + i, i * 2 * H, (i + 1) * 2 * H, 0, 3, 600_000, i);
    }
    // Newest ends at 10h; retention 5h: blocks ending at or before 5h (2h, 4h) go.
    Set<Ulid> deleted = maintenance(5 * H, 0).reload(0);
    assertThat(deleted).hasSize(2);
    assertThat(Compactor.blockDirs(dir)).hasSize(3);
    for (Path d : Compactor.blockDirs(dir)) {
      assertThat(BlockMeta.read(d).maxTime()).isGreaterThan(5 * H);
    }
  }

  @Test
  void sizeRetentionCountsTheHead() throws IOException {
    for (int i = 0; i < 4; i++) {
      CompactionScenarios.block(dir, 30 + i, i * 2 * H, (i + 1) * 2 * H, 0, 5, 60_000, i);
    }
    long blockSize = DataDirMaintenance.blockSize(Compactor.blockDirs(dir).get(3));
    // A WAL segment and a head chunk file count against the limit too.
    Files.createDirectories(dir.resolve("wal"));
    Files.write(dir.resolve("wal/00000000"), new byte[1000]);
    Files.createDirectories(dir.resolve("chunks_head"));
    Files.write(dir.resolve("chunks_head/000001"), new byte[500]);
    DataDirMaintenance m = maintenance(0, 2 * blockSize + 1500);
    assertThat(m.headSize()).isEqualTo(1500);
    // The newest two fit with the head only if every block is at most the newest one's size.
    Set<Ulid> deleted = m.reload(m.headSize());
    List<Path> left = Compactor.blockDirs(dir);
    long total = m.headSize();
    for (Path d : left) {
      total += DataDirMaintenance.blockSize(d);
    }
    assertThat(total).isLessThanOrEqualTo(2 * blockSize + 1500);
    assertThat(deleted).isNotEmpty();
    // The oldest blocks went first.
    for (Path d : left) {
      assertThat(BlockMeta.read(d).minTime()).isGreaterThanOrEqualTo((4 - left.size()) * 2 * H);
    }
  }

  @Test
  void compactionOfOnlyDeletedDataMarksInputsDeletable() throws IOException {
    Path b = CompactionScenarios.write("leveled", dir).get(2);
    DataDirMaintenance m = maintenance(0, 0);
    try (Block blk = Block.open(b)) {
      assertThat(DataDirMaintenance.deleteInBlock(blk, Long.MIN_VALUE, Long.MAX_VALUE, List.of(Matcher.regex("i", ".*"))))
          .isEqualTo(10);
    }
    assertThat(m.compactor().compact(dir, List.of(b))).isEmpty();
    BlockMeta marked = BlockMeta.read(b);
    assertThat(marked.compaction().deletable()).isTrue();
    assertThat(m.reload(0)).containsExactly(marked.ulid());
    assertThat(Files.exists(b)).isFalse();
  }

  @Test
  void leftoversOfInterruptedWritesAndDeletionsAreRemoved() throws IOException {
    Path b = CompactionScenarios.write("tombstones", dir).get(0);
    Ulid u = new Ulid(1, 2);
    Files.createDirectories(dir.resolve(u + ".tmp-for-creation/chunks"));
    Files.createDirectories(dir.resolve(u + ".tmp-for-deletion"));
    Files.createDirectories(dir.resolve("not-a-block.tmp-for-creation"));
    assertThat(maintenance(0, 0).removeTemporaryDirs())
        .containsExactlyInAnyOrder(u + ".tmp-for-creation", u + ".tmp-for-deletion");
    assertThat(BlockWriterTest.listNames(dir)).containsExactly(b.getFileName().toString(), "not-a-block.tmp-for-creation");
    BlockFiles.deleteBlock(b);
    assertThat(BlockWriterTest.listNames(dir)).containsExactly("not-a-block.tmp-for-creation");
  }
}
