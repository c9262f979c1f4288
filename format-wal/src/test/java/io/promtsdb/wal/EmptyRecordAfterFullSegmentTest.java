package io.promtsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go's segment-switch rule lets an empty record after a full segment grow that segment by a
 * page. Checked with Prometheus 2.42's wlog: a 32 KiB segment size, a 32760-byte record and
 * an empty record leave one segment 00000000 of 65536 bytes.
 */
class EmptyRecordAfterFullSegmentTest {
  @TempDir Path dir;

  @Test
  void emptyRecordGoesIntoAnExtraPageLikeGo() throws Exception {
    WalWriter.Options opts =
        WalWriter.Options.defaults(Compression.NONE).withSegmentSize(32768);
    try (WalWriter w = WalWriter.open(dir, opts)) {
      w.log(List.of(new byte[32760]));
      w.log(List.of(new byte[0]));
    }
    List<Segments.SegmentRef> segments = Segments.list(dir);
    assertThat(segments).hasSize(1);
    assertThat(Files.size(segments.get(0).path())).isEqualTo(65536);
    try (WalReader r = WalReader.open(dir)) {
      assertThat(r.next()).isTrue();
      assertThat(r.copyRecord()).hasSize(32760);
      assertThat(r.next()).isTrue();
      assertThat(r.copyRecord()).isEmpty();
      assertThat(r.next()).isFalse();
    }
  }
}
