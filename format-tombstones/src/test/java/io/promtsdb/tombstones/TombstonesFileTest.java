package io.promtsdb.tombstones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.ChecksumMismatchException;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.UnsupportedFormatVersionException;
import io.promtsdb.core.testing.Corruptions;
import io.promtsdb.core.testing.TestData;
import io.promtsdb.core.testing.TrackingByteSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class TombstonesFileTest {

  static byte[] resource(String name) throws IOException {
    try (InputStream in = TombstonesFileTest.class.getResourceAsStream("/go/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"empty", "one", "many"})
  void goWrittenFilesReEncodeByteForByte(String name) throws IOException {
    byte[] golden = resource(name + "/tombstones");
    TombstonesFile f = TombstonesFile.open(ByteSource.of(name, golden));
    List<TombstoneEntry> entries = f.entries();
    assertThat(TombstonesFile.encode(entries)).isEqualTo(golden);
    // Encode (no magic, no CRC) may list series in another map order: compare as sets, and
    // re-encode in its own order.
    byte[] body = resource(name + "/encode.bin");
    List<TombstoneEntry> bodyEntries = TombstonesFile.decodeBody(ByteSource.of(body));
    assertThat(new HashSet<>(bodyEntries)).isEqualTo(new HashSet<>(entries));
    assertThat(TombstonesFile.encodeBody(bodyEntries)).isEqualTo(body);
  }

  @Test
  void manyDecodesToWhatGoWasGiven() throws IOException {
    Tombstones t =
        TombstonesFile.open(ByteSource.of(resource("many/tombstones"))).toTombstones(100);
    assertThat(t.get(3).asList()).containsExactly(new Interval(-5, 12), new Interval(20, 30));
    assertThat(t.get(7).asList()).containsExactly(new Interval(Long.MIN_VALUE, 0));
    assertThat(t.get(1L << 40).asList())
        .containsExactly(new Interval(1700000000000L, Long.MAX_VALUE));
    assertThat(t.get(-1L).asList()).containsExactly(new Interval(1, 1));
    assertThat(t.get(9).asList()).containsExactly(new Interval(100, 600));
    assertThat(t.total()).isEqualTo(6);
    assertThat(t.get(4).isEmpty()).isTrue();
  }

  @Test
  void emptyFileIsNineBytes() throws IOException {
    assertThat(TombstonesFile.encode(List.of()))
        .containsExactly(0x01, 0x30, 0xBA, 0x30, 0x01, 0, 0, 0, 0);
  }

  static Stream<Path> fixtureTombstones() throws IOException {
    Path root = TestData.root();
    try (Stream<Path> s = Files.walk(root)) {
      List<Path> all =
          s.filter(p -> p.getFileName().toString().equals("tombstones"))
              .filter(Files::isRegularFile)
              .sorted()
              .toList();
      assertThat(all).hasSizeGreaterThan(20);
      return all.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("fixtureTombstones")
  void everyFixtureTombstonesFileReadsAndReEncodes(Path file) throws IOException {
    byte[] golden = Files.readAllBytes(file);
    TombstonesFile f = TombstonesFile.open(ByteSource.of(file.toString(), golden));
    assertThat(TombstonesFile.encode(f.entries())).isEqualTo(golden);
    assertThat(TombstonesFile.read(file.getParent())).isEqualTo(f.toTombstones(Long.MAX_VALUE));
  }

  @Test
  void everyTruncationAndBitFlipIsDetected() throws IOException {
    for (String name : List.of("empty", "one", "many")) {
      byte[] golden = resource(name + "/tombstones");
      for (var v : Corruptions.truncations(golden, golden.length)) {
        assertThatThrownBy(() -> TombstonesFile.open(ByteSource.of(name, v.bytes())).entries())
            .as(v.description())
            .isInstanceOf(CorruptFormatException.class)
            .hasMessageContaining(name);
      }
      for (var v : Corruptions.allBitFlips(golden, 0, golden.length)) {
        assertThatThrownBy(() -> TombstonesFile.open(ByteSource.of(name, v.bytes())).entries())
            .as(v.description())
            .isInstanceOf(CorruptFormatException.class);
      }
    }
  }

  @Test
  void errorsSayWhatWasWrong() throws IOException {
    byte[] golden = resource("one/tombstones");
    byte[] badCrc = golden.clone();
    badCrc[badCrc.length - 1] ^= 1;
    assertThatThrownBy(() -> TombstonesFile.open(ByteSource.of("blk/tombstones", badCrc)))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining("blk/tombstones at offset 10");
    byte[] badVersion = golden.clone();
    badVersion[4] = 2;
    assertThatThrownBy(() -> TombstonesFile.open(ByteSource.of("blk/tombstones", badVersion)))
        .isInstanceOf(UnsupportedFormatVersionException.class);
    byte[] badMagic = golden.clone();
    badMagic[0] = 0;
    assertThatThrownBy(() -> TombstonesFile.open(ByteSource.of("blk/tombstones", badMagic)))
        .hasMessageContaining("tombstones magic: actual 0x0030ba30 vs expected 0x0130ba30");
    // Go's ReadTombstones panics on an 8-byte file with a valid magic (it slices past the
    // end); here it is a plain length error.
    assertThatThrownBy(
            () -> TombstonesFile.open(ByteSource.of("t", new byte[] {1, 0x30, (byte) 0xBA, 0x30, 1, 0, 0, 0})))
        .isInstanceOf(CorruptFormatException.class)
        .hasMessageContaining("length");
  }

  @Test
  void openReadsEveryByte() throws IOException {
    byte[] golden = resource("many/tombstones");
    TrackingByteSource src = new TrackingByteSource(ByteSource.of("many", golden));
    TombstonesFile.open(src);
    assertThat(src.unread(golden.length).isEmpty()).isTrue();
  }

  @Test
  void toTombstonesIsBounded() throws IOException {
    TombstonesFile f = TombstonesFile.open(ByteSource.of(resource("many/tombstones")));
    assertThat(f.toTombstones(9).total()).isEqualTo(6);
    assertThatThrownBy(() -> f.toTombstones(5)).hasMessageContaining("more than 5");
  }

  @Test
  void forEachStreamsInFileOrder() throws IOException {
    byte[] golden = resource("many/tombstones");
    TombstonesFile f = TombstonesFile.open(ByteSource.of(golden));
    int[] n = {0};
    f.forEach((ref, mint, maxt) -> n[0]++);
    assertThat(n[0]).isEqualTo(f.entries().size()).isEqualTo(6);
  }

  @Test
  void writeIsAtomicAndReadable(@TempDir Path dir) throws IOException {
    Tombstones t = new Tombstones();
    t.addInterval(5, new Interval(1, 2));
    t.addInterval(2, new Interval(-10, 10));
    t.addInterval(5, new Interval(3, 9));
    long size = TombstonesFile.write(dir, t.entries());
    assertThat(Files.size(dir.resolve("tombstones"))).isEqualTo(size);
    assertThat(Files.exists(dir.resolve("tombstones.tmp"))).isFalse();
    assertThat(TombstonesFile.read(dir)).isEqualTo(t);
    assertThat(TombstonesFile.open(ByteSource.of(Files.readAllBytes(dir.resolve("tombstones")))).entries())
        .containsExactly(new TombstoneEntry(5, 1, 9), new TombstoneEntry(2, -10, 10));
  }

  @Test
  void missingFileMeansNoTombstones(@TempDir Path dir) throws IOException {
    assertThat(TombstonesFile.read(dir).isEmpty()).isTrue();
  }

  @Test
  void truncateBeforeKeepsLaterIntervals() {
    Tombstones t = new Tombstones();
    t.addInterval(1, new Interval(0, 10));
    t.addInterval(1, new Interval(20, 30));
    t.addInterval(2, new Interval(0, 5));
    t.truncateBefore(15);
    assertThat(t.get(1).asList()).containsExactly(new Interval(20, 30));
    assertThat(t.refs()).containsExactly(1L);
    t.deleteTombstones(List.of(1L));
    assertThat(t.isEmpty()).isTrue();
  }
}
