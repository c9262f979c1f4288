package io.promtsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.testing.TestData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The worked examples of the wal and snapshot spec chapters are the bytes the codecs see. */
class SpecExamplesTest {
  static Path spec() {
    String p = System.getProperty("promtsdb.spec");
    Path dir = p != null ? Paths.get(p) : TestData.root().resolveSibling("spec/src/docs/asciidoc");
    assertThat(dir).isDirectory();
    return dir;
  }

  /** Parses "0000: 01 02 ..." lines. */
  static byte[] hex(String example) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String line : Files.readAllLines(spec().resolve("examples/" + example))) {
      sb.append(line.substring(line.indexOf(':') + 1).replace(" ", ""));
    }
    return HexFormat.of().parseHex(sb.toString());
  }

  @Test
  void wblHeadIsTheFixturesFirstTwoRecords() throws IOException {
    byte[] ex = hex("wal/wbl-head.hex");
    byte[] seg = Files.readAllBytes(TestData.fixture("p3-none", true).resolve("wbl/00000001"));
    assertThat(ex).isEqualTo(Arrays.copyOf(seg, ex.length));
    SegmentReader r = SegmentReader.of("example", ex);
    assertThat(r.next()).isTrue();
    assertThat(RecordCodec.decode(r.record()))
        .isEqualTo(new WalRecord.MmapMarkers(List.of(new Refs.RefMmapMarker(1256, 0))));
    assertThat(r.next()).isTrue();
    WalRecord.Samples s = (WalRecord.Samples) RecordCodec.decode(r.record());
    assertThat(s.samples()).containsExactly(new Refs.RefSample(1256, 0x1a200d31438L, 70.0));
    assertThat(r.next()).isFalse();
  }

  @Test
  void samplesV2ExampleIsTheGoVector() throws IOException {
    byte[] ex = hex("wal/samples_v2.hex");
    try (InputStream in = getClass().getResourceAsStream("/go-records/samples_v2.bin")) {
      assertThat(ex).isEqualTo(in.readAllBytes());
    }
  }

  @Test
  void snapshotTombstonesExampleIsInTheFixture() throws IOException {
    byte[] ex = hex("snapshot/tombstones-record.hex");
    Path seg = TestData.fixture("p3-none", false).resolve("chunk_snapshot.000002.0000229376/00000000");
    boolean found = false;
    try (SegmentReader r = SegmentReader.open(seg)) {
      while (r.next()) {
        if (Arrays.equals(r.copyRecord(), ex)) {
          found = true;
          assertThat(SnapshotCodec.decode(ex)).isEqualTo(new SnapshotRecord.Tombstones(List.of()));
        }
      }
    }
    assertThat(found).isTrue();
  }
}
