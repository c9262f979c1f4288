package io.promtsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.DataWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Go's {@code tsdb/wlog/reader_test.go} {@code testReaderCases}, for both readers. */
class ReaderCasesTest {
  static final int PAGE = WalFormat.PAGE_SIZE;
  static final int HDR = WalFormat.FRAGMENT_HEADER_SIZE;
  static final byte[] DATA = new byte[100_000];

  record Rec(int type, byte[] payload) {}

  static Rec rec(int type, int from, int to) {
    return new Rec(type, Arrays.copyOfRange(DATA, from, to));
  }

  static Rec zeros(int type, int n) {
    return new Rec(type, new byte[n]);
  }

  /** Go's {@code encodedRecord}: a page terminator is one zero byte plus the payload as is. */
  static byte[] encode(List<Rec> recs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Rec r : recs) {
      if (r.type() == 0) {
        out.write(0);
        out.writeBytes(r.payload());
        continue;
      }
      DataWriter w = new DataWriter();
      w.u8(r.type()).be16(r.payload().length).be32(WalWriter.crc32c(r.payload(), 0, r.payload().length));
      out.writeBytes(w.toByteArray());
      out.writeBytes(r.payload());
    }
    return out.toByteArray();
  }

  static byte[] d(int from, int to) {
    return Arrays.copyOfRange(DATA, from, to);
  }

  static Stream<Arguments> cases() {
    byte[] nonZeroTerm = new byte[PAGE - HDR - 102 + 1]; // Go appends the 1 to PAGE-HDR-102 zeros
    nonZeroTerm[nonZeroTerm.length - 1] = 1;
    return Stream.of(
        Arguments.of("valid sequence", List.of(
            rec(1, 0, 200), rec(2, 200, 300), rec(4, 300, 400), rec(2, 400, 800), rec(3, 800, 900),
            zeros(0, PAGE - 900 - HDR * 5 - 1), rec(4, 900, 900), rec(2, 900, 1000), rec(3, 1000, 1200),
            rec(3, 1200, 30000), rec(3, 30000, 30001), rec(3, 30001, 30001), rec(4, 30001, 32000)),
            List.of(d(0, 200), d(200, 400), d(400, 900), d(900, 32000)), false),
        Arguments.of("one page less the header", List.of(rec(1, 0, PAGE - HDR)), List.of(d(0, PAGE - HDR)), false),
        Arguments.of("more than a page", List.of(rec(1, 0, PAGE + 1)), List.of(), true),
        Arguments.of("two records crossing a page", List.of(rec(1, 0, PAGE / 2), rec(1, 0, PAGE / 2)),
            List.of(d(0, PAGE / 2), d(0, PAGE / 2)), false),
        Arguments.of("middle first", List.of(rec(3, 0, 200)), List.of(), true),
        Arguments.of("last first", List.of(rec(4, 0, 200)), List.of(), true),
        Arguments.of("first then full", List.of(rec(2, 0, 200), rec(1, 200, 400)), List.of(), true),
        Arguments.of("first middle full", List.of(rec(2, 0, 100), rec(3, 100, 200), rec(1, 200, 400)), List.of(), true),
        Arguments.of("non-zero after page terminator", List.of(rec(1, 0, 100), new Rec(0, nonZeroTerm)),
            List.of(d(0, 100)), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void segmentReader(String name, List<Rec> recs, List<byte[]> expected, boolean fail) {
    SegmentReader r = SegmentReader.of(name, encode(recs));
    List<byte[]> got = new ArrayList<>();
    try {
      while (r.next()) {
        got.add(r.copyRecord());
      }
      assertThat(fail).as("expected a corruption error").isFalse();
    } catch (WalCorruptionException e) {
      assertThat(fail).as("unexpected %s", e).isTrue();
    }
    assertThat(got).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void liveReaderFedInPieces(String name, List<Rec> recs, List<byte[]> expected, boolean fail, @TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("00000000");
    Files.write(file, new byte[0]);
    List<byte[]> got = new ArrayList<>();
    boolean failed = false;
    try (LiveReader r = LiveReader.open(file)) {
      for (Rec rec : recs) {
        byte[] b = encode(List.of(rec));
        // Write each fragment in two halves, reading in between: partial data is waited for.
        int half = b.length / 2;
        Files.write(file, Arrays.copyOf(b, half), java.nio.file.StandardOpenOption.APPEND);
        failed |= drain(r, got);
        Files.write(file, Arrays.copyOfRange(b, half, b.length), java.nio.file.StandardOpenOption.APPEND);
        failed |= drain(r, got);
      }
    }
    assertThat(failed).isEqualTo(fail);
    assertThat(got).containsExactlyElementsOf(expected);
  }

  private static boolean drain(LiveReader r, List<byte[]> got) throws IOException {
    try {
      while (r.next()) {
        got.add(r.copyRecord());
      }
      return false;
    } catch (WalCorruptionException e) {
      assertThatThrownBy(r::next).isSameAs(e);
      return true;
    }
  }
}
