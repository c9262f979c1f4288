package io.promtsdb.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Crc32c;
import io.promtsdb.core.testing.Corruptions;
import io.promtsdb.core.testing.Corruptions.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Truncations, bit flips and absurd lengths over real and written indexes: opening and the
 * integrity pass throw {@link CorruptFormatException} naming the section, never anything
 * else; reading everything with checksums off never throws anything else either.
 */
class CorruptionSweepTest {
  @TempDir static Path dir;
  private static final List<Arguments> FILES = new ArrayList<>();

  @BeforeAll
  static void setUp() throws IOException {
    FILES.add(Arguments.of("3.5.3 " + FixtureIndexes.name(FixtureIndexes.smallest("p3-none")),
        Files.readAllBytes(FixtureIndexes.smallest("p3-none"))));
    FILES.add(Arguments.of("2.53.3 " + FixtureIndexes.name(FixtureIndexes.smallest("p2-snappy")),
        Files.readAllBytes(FixtureIndexes.smallest("p2-snappy"))));
    FILES.add(Arguments.of("v1", Files.readAllBytes(FixtureIndexes.v1())));
    for (IndexWriter.Layout layout : IndexWriter.Layout.values()) {
      List<IndexSeries> series = RoundTripProperties.seriesSet(7, 60);
      Path p = dir.resolve("written-" + layout);
      RoundTripProperties.write(
          p, RoundTripProperties.symbolsOf(series, true), series, IndexWriter.Options.DEFAULT.withLayout(layout));
      FILES.add(Arguments.of("written " + layout, Files.readAllBytes(p)));
    }
  }

  static Stream<Arguments> files() {
    return FILES.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void truncationsAreDetected(String name, byte[] valid) {
    List<Variant> variants = new ArrayList<>(Corruptions.truncations(valid, 80));
    for (int len = 0; len < valid.length - 80; len += 1 + valid.length / 100) {
      byte[] b = java.util.Arrays.copyOf(valid, len);
      variants.add(new Variant("truncated to " + len, b));
    }
    for (Variant v : variants) {
      expectCorrupt(name, v);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void bitFlipsAreDetected(String name, byte[] valid) throws Exception {
    List<Variant> variants = new ArrayList<>(Corruptions.randomBitFlips(valid, 0x5eed + valid.length, 700));
    // Every bit of the header and the TOC.
    variants.addAll(Corruptions.allBitFlips(valid, 0, IndexFormat.HEADER_LEN));
    variants.addAll(Corruptions.allBitFlips(valid, valid.length - IndexFormat.TOC_LEN, valid.length));
    IntegrityReport expected;
    try (IndexReader r = IndexReader.open(ByteSource.of(name, valid))) {
      expected = r.checkIntegrity();
    }
    for (Variant v : variants) {
      if (v.bytes()[4] == IndexFormat.FORMAT_V3 && valid[4] == IndexFormat.FORMAT_V2) {
        // 2 -> 3 is the one undetectable flip: version 3 reads exactly like version 2.
        try (IndexReader r = IndexReader.open(ByteSource.of(name, v.bytes()))) {
          assertThat(r.checkIntegrity()).isEqualTo(expected);
        }
        continue;
      }
      expectCorrupt(name, v);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void absurdSectionLengthsAreDetected(String name, byte[] valid) throws Exception {
    List<Long> lengthFields = new ArrayList<>();
    Toc toc;
    try (IndexReader r = IndexReader.open(ByteSource.of(name, valid))) {
      toc = r.toc();
      lengthFields.add(toc.symbols());
      lengthFields.add(toc.postingsOffsetTable());
      if (toc.hasLabelOffsetTable()) {
        lengthFields.add(toc.labelOffsetTable());
      }
      // The first postings list (after padding) and a label index, when there are some.
      lengthFields.add(align4(toc.postings()));
      if (toc.labelIndices() != 0 && toc.labelIndices() != toc.postings()) {
        lengthFields.add(align4(toc.labelIndices()));
      }
    }
    int[] values = {0, 1, 3, 0x7FFFFFFF, 0x80000000, 0xFFFFFFF0, 0xFFFFFFFF};
    for (long at : lengthFields) {
      int len = BigEndian.getInt(valid, (int) at);
      for (int v : new int[] {len - 1, len + 1, len + 4, len - 4}) {
        expectCorrupt(name, Corruptions.withBe32(valid, (int) at, v));
      }
      for (int v : values) {
        if (v != len) {
          expectCorrupt(name, Corruptions.withBe32(valid, (int) at, v));
        }
      }
    }
    // Counts inside sections: symbol count, postings count of the first list.
    for (long at : new long[] {toc.symbols() + 4, align4(toc.postings()) + 4}) {
      int count = BigEndian.getInt(valid, (int) at);
      for (int v : values) {
        if (v != count) {
          expectCorrupt(name, Corruptions.withBe32(valid, (int) at, v));
        }
      }
    }
    // A series length uvarint that never ends.
    byte[] b = valid.clone();
    int first = (int) toc.series();
    while (b[first] == 0) {
      first++;
    }
    for (int i = 0; i < 6; i++) {
      b[first + i] = (byte) 0xFF;
    }
    expectCorrupt(name, new Variant("endless series length at " + first, b));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void absurdTocOffsetsWithAValidChecksumAreDetected(String name, byte[] valid) {
    int tocAt = valid.length - IndexFormat.TOC_LEN;
    long[] values = {-1, Long.MIN_VALUE, 1L << 40, valid.length, tocAt, tocAt - 1, 3, 5, 6};
    for (int field = 0; field < 6; field++) {
      for (long v : values) {
        byte[] b = valid.clone();
        long old = BigEndian.getLong(b, tocAt + 8 * field);
        if (old == v) {
          continue;
        }
        BigEndian.putLong(b, tocAt + 8 * field, v);
        BigEndian.putInt(b, valid.length - 4, Crc32c.compute(b, tocAt, 48));
        Variant variant = new Variant("TOC field " + field + " set to " + v, b);
        expectCorruptOrEquivalent(name, variant, valid);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void readingEverythingWithoutChecksumsThrowsNothingElse(String name, byte[] valid) {
    IndexReader.Options noChecks = new IndexReader.Options(false, false);
    for (Variant v : Corruptions.randomBitFlips(valid, 0xf11b + valid.length, 300)) {
      try (IndexReader r = IndexReader.open(ByteSource.of(name, v.bytes()), noChecks)) {
        readEverything(r);
      } catch (CorruptFormatException e) {
        assertNamesSection(name, v, e);
      } catch (Exception | StackOverflowError | OutOfMemoryError e) {
        fail(name + ", " + v + ": " + e, e);
      }
    }
  }

  /** Every read path of the API. */
  static void readEverything(IndexReader r) throws CorruptFormatException {
    r.symbols().forEachRemaining(s -> {});
    ChunkMetaList chunks = new ChunkMetaList();
    for (String n : r.labelNames()) {
      List<String> values = r.labelValues(n);
      r.labelIndexValues(n);
      Postings.count(r.postings(n, values));
      for (String value : values) {
        Postings p = r.postings(n, value);
        for (long ref = p.next(); ref != Postings.END; ref = p.next()) {
          r.series(ref, chunks);
          r.labelValueFor(ref, n);
        }
      }
      Postings.count(Postings.intersect(r.allPostings(), r.postingsForAllLabelValues(n)));
    }
  }

  private static long align4(long pos) {
    return (pos + 3) & ~3L;
  }

  private static void expectCorrupt(String name, Variant v) {
    try (IndexReader r = IndexReader.open(ByteSource.of(name, v.bytes()))) {
      r.checkIntegrity();
      fail(name + ", " + v + ": not detected");
    } catch (CorruptFormatException e) {
      assertNamesSection(name, v, e);
    } catch (Exception | StackOverflowError | OutOfMemoryError e) {
      fail(name + ", " + v + ": " + e, e);
    }
  }

  /** Detected, or (for a TOC offset the layout allows to vary) the same content. */
  private static void expectCorruptOrEquivalent(String name, Variant v, byte[] valid) {
    try (IndexReader r = IndexReader.open(ByteSource.of(name, v.bytes()));
        IndexReader orig = IndexReader.open(ByteSource.of(name, valid))) {
      IntegrityReport report = r.checkIntegrity();
      assertThat(report).as("%s, %s", name, v).isEqualTo(orig.checkIntegrity());
    } catch (CorruptFormatException e) {
      assertNamesSection(name, v, e);
    } catch (Exception | StackOverflowError | OutOfMemoryError e) {
      fail(name + ", " + v + ": " + e, e);
    }
  }

  private static void assertNamesSection(String name, Variant v, CorruptFormatException e) {
    assertThat(e.resource()).as("%s, %s: %s", name, v, e.getMessage()).startsWith(name + " [").endsWith("]");
    assertThat(e.offset()).as("%s, %s: %s", name, v, e.getMessage()).isBetween(0L, (long) v.bytes().length);
  }
}
