package io.promtsdb.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.Sample;
import io.promtsdb.tombstones.TombstoneEntry;
import io.promtsdb.tombstones.TombstonesFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * The suite catches real bugs: deliberately broken implementations, each with one mistake
 * that real implementations have made, must fail at least one case, while the same
 * implementations without the mistake pass every case they are run on (so it is the mistake
 * that is caught, not the harness).
 */
class PlantedBugsTest {
  private static final Corpus CORPUS = Corpus.load();

  /** Runs the selected cases; returns the ids of the failures (and checks something ran). */
  private static List<String> failures(JavaImplementation impl, Predicate<ConformanceCase> select) throws IOException {
    CaseRunner r = new CaseRunner(CORPUS, impl, null, Map.of());
    List<String> failed = new ArrayList<>();
    int ran = 0;
    try {
      for (ConformanceCase c : CORPUS.cases(select)) {
        CaseResult res = r.run(c);
        if (!res.skipped()) {
          ran++;
        }
        if (res.failed()) {
          failed.add(c.id() + " [" + c.level() + "]: " + res.message());
        }
      }
    } finally {
      r.cleanUp();
    }
    assertThat(ran).as("cases that ran for %s", impl.id()).isGreaterThan(0);
    System.out.println("[planted bugs] " + impl.id() + ": " + failed.size() + " of " + ran + " cases fail"
        + (failed.isEmpty() ? "" : ", e.g. " + failed.get(0)));
    return failed;
  }

  // ---- XOR chunks ----

  private static JavaImplementation xor(String id, NaiveXor codec) {
    return JavaImplementation.builder(id, "test", List.of("3.5.3"))
        .decodeChunk((encoding, bytes) -> {
          if (encoding != 1) {
            throw new UnsupportedOperationException("XOR only");
          }
          return new DecodedChunk(codec.decode(bytes), null);
        })
        .encodeChunk((encoding, header, samples, target) -> codec.encode(samples))
        .build();
  }

  private static final Predicate<ConformanceCase> XOR_CASES =
      c -> (c.capability() == Capability.DECODE_CHUNK || c.capability() == Capability.ENCODE_CHUNK)
          && c.request().path("encoding").asInt() == 1;

  @Test
  void naiveXorWithoutMistakesPassesEveryXorCase() throws IOException {
    assertThat(failures(xor("naive-xor", new NaiveXor()), XOR_CASES)).isEmpty();
  }

  @Test
  void wrongDodBucketBoundaryIsCaught() throws IOException {
    NaiveXor c = new NaiveXor();
    c.twosComplementDodBuckets = true;
    List<String> f = failures(xor("xor-twos-complement-dod", c), XOR_CASES);
    assertThat(f).isNotEmpty().anyMatch(s -> s.contains("dod-boundary"));
  }

  @Test
  void unclampedLeadingZerosAreCaught() throws IOException {
    NaiveXor c = new NaiveXor();
    c.unclampedLeadingZeros = true;
    assertThat(failures(xor("xor-unclamped-leading-zeros", c), XOR_CASES)).isNotEmpty();
  }

  @Test
  void nanPayloadsFoldedByDoubleToLongBitsAreCaught() throws IOException {
    NaiveXor c = new NaiveXor();
    c.canonicalNaN = true;
    assertThat(failures(xor("xor-canonical-nan", c), XOR_CASES)).isNotEmpty().anyMatch(s -> s.contains("stale"));
  }

  // ---- index ----

  private static JavaImplementation index(String id, NaiveIndexWriter w) {
    return JavaImplementation.builder(id, "test", List.of("3.14.0"))
        .writeIndex((output, symbols, series, target) -> w.write(output, symbols, series))
        .build();
  }

  private static final Predicate<ConformanceCase> INDEX_WRITES = c -> c.capability() == Capability.WRITE_INDEX;

  @Test
  void naiveIndexWriterWithoutMistakesWritesPrometheusBytes() throws IOException {
    assertThat(failures(index("naive-index", new NaiveIndexWriter()), INDEX_WRITES)).isEmpty();
  }

  @Test
  void unsortedPostingsAreCaught() throws IOException {
    NaiveIndexWriter w = new NaiveIndexWriter();
    w.unsortedPostings = true;
    assertThat(failures(index("index-unsorted-postings", w), INDEX_WRITES)).anyMatch(s -> s.contains("[MUST]"));
  }

  @Test
  void aMissingPaddingByteIsCaught() throws IOException {
    NaiveIndexWriter w = new NaiveIndexWriter();
    w.missingPaddingByte = true;
    assertThat(failures(index("index-missing-padding-byte", w), INDEX_WRITES)).anyMatch(s -> s.contains("[MUST]"));
  }

  @Test
  void seriesCrcOverTheWrongBytesIsCaught() throws IOException {
    NaiveIndexWriter w = new NaiveIndexWriter();
    w.crcOverLength = true;
    assertThat(failures(index("index-crc-over-length", w), INDEX_WRITES)).anyMatch(s -> s.contains("[MUST]"));
  }

  // ---- WAL ----

  private static JavaImplementation wal(String id, NaiveWalWriter w) {
    return JavaImplementation.builder(id, "test", List.of("3.14.0")).writeWal(w::write).build();
  }

  private static final Predicate<ConformanceCase> UNCOMPRESSED_WAL_WRITES =
      c -> c.capability() == Capability.WRITE_WAL && c.request().path("compression").asText().equals("none");

  @Test
  void naiveWalWriterWithoutMistakesWritesPrometheusSegments() throws IOException {
    assertThat(failures(wal("naive-wal", new NaiveWalWriter()), UNCOMPRESSED_WAL_WRITES)).isEmpty();
  }

  @Test
  void fragmentCrcOverTheWrongBytesIsCaught() throws IOException {
    NaiveWalWriter w = new NaiveWalWriter();
    w.crcOverHeader = true;
    assertThat(failures(wal("wal-crc-over-header", w), UNCOMPRESSED_WAL_WRITES)).anyMatch(s -> s.contains("[MUST]"));
  }

  @Test
  void missingPagePaddingIsCaught() throws IOException {
    NaiveWalWriter w = new NaiveWalWriter();
    w.noPagePadding = true;
    assertThat(failures(wal("wal-no-page-padding", w), UNCOMPRESSED_WAL_WRITES)).anyMatch(s -> s.contains("[MUST]"));
  }

  // ---- tombstones ----

  @Test
  void tombstonesCrcOverTheVersionByteIsCaught() throws IOException {
    JavaImplementation ok = JavaImplementation.builder("tombstones", "test", List.of("3.5.3"))
        .writeTombstones((file, entries) -> Files.write(file, tombstones(entries, false))).build();
    JavaImplementation bad = JavaImplementation.builder("tombstones-crc-over-version", "test", List.of("3.5.3"))
        .writeTombstones((file, entries) -> Files.write(file, tombstones(entries, true))).build();
    Predicate<ConformanceCase> writes = c -> c.capability() == Capability.WRITE_TOMBSTONES;
    assertThat(failures(ok, writes)).isEmpty();
    assertThat(failures(bad, writes)).anyMatch(s -> s.contains("[MUST]"));
  }

  /** The tombstones file, written here independently of format-tombstones. */
  private static byte[] tombstones(List<TombstoneEntry> entries, boolean crcOverVersion) {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.writeBytes(new byte[] {0x01, 0x30, (byte) 0xBA, 0x30, 0x01});
    for (TombstoneEntry e : entries) {
      uvarint(b, e.ref());
      uvarint(b, (e.mint() << 1) ^ (e.mint() >> 63));
      uvarint(b, (e.maxt() << 1) ^ (e.maxt() >> 63));
    }
    byte[] all = b.toByteArray();
    CRC32C crc = new CRC32C();
    int from = crcOverVersion ? 4 : 5;
    crc.update(all, from, all.length - from);
    int c = (int) crc.getValue();
    b.writeBytes(new byte[] {(byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
    return b.toByteArray();
  }

  private static void uvarint(java.io.ByteArrayOutputStream b, long v) {
    while ((v & ~0x7FL) != 0) {
      b.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    b.write((int) v);
  }

  @Test
  void tombstonesReaderThatDoesNotMergeIsCaught() throws IOException {
    JavaImplementation bad = JavaImplementation.builder("tombstones-no-merge", "test", List.of("3.5.3"))
        .readTombstones(file -> {
          try (var src = io.promtsdb.core.MappedFileSource.open(file)) {
            List<TombstoneEntry> e = new ArrayList<>(TombstonesFile.open(src).entries());
            e.sort((a, b) -> a.ref() != b.ref() ? Long.compareUnsigned(a.ref(), b.ref()) : Long.compare(a.mint(), b.mint()));
            return e;
          }
        }).build();
    assertThat(failures(bad, c -> c.capability() == Capability.READ_TOMBSTONES)).isNotEmpty();
  }

  // ---- blocks ----

  @Test
  void chunkCrcWithoutTheEncodingByteIsCaught() throws IOException {
    JavaImplementation bad = JavaImplementation.builder("block-chunk-crc-without-encoding", "test", PromTsdb.TARGETS)
        .writeBlock((out, series, target) -> {
          String ulid = PromTsdb.writeBlock(out, series, target);
          recrcChunksWithoutEncoding(out.resolve(ulid).resolve("chunks").resolve("000001"));
          return ulid;
        }).build();
    assertThat(failures(bad, c -> c.capability() == Capability.WRITE_BLOCK)).anyMatch(s -> s.contains("[MUST]"));
  }

  /** Rewrites each chunk record's CRC32C over the data alone (Go's covers encoding and data). */
  private static void recrcChunksWithoutEncoding(Path segment) throws IOException {
    byte[] b = Files.readAllBytes(segment);
    int pos = 8;
    while (pos < b.length) {
      long len = 0;
      int shift = 0;
      int p = pos;
      while (true) {
        int x = b[p++] & 0xFF;
        len |= (long) (x & 0x7F) << shift;
        if (x < 0x80) {
          break;
        }
        shift += 7;
      }
      int data = p + 1;
      CRC32C crc = new CRC32C();
      crc.update(b, data, (int) len);
      int c = (int) crc.getValue();
      int at = data + (int) len;
      b[at] = (byte) (c >>> 24);
      b[at + 1] = (byte) (c >>> 16);
      b[at + 2] = (byte) (c >>> 8);
      b[at + 3] = (byte) c;
      pos = at + 4;
    }
    Files.write(segment, b);
  }

  /** The decoder side of the NaN mistake, on a real codec: PromTSDB's decoder behind a lossy conversion. */
  @Test
  void lossyFloatConversionInAReaderIsCaught() throws IOException {
    JavaImplementation bad = JavaImplementation.builder("decode-through-doubleToLongBits", "test", PromTsdb.TARGETS)
        .decodeChunk((encoding, bytes) -> {
          DecodedChunk d = PromTsdb.decodeChunk(encoding, bytes);
          List<Sample> out = new ArrayList<>();
          for (Sample s : d.samples()) {
            out.add(s instanceof Sample.FloatSample f
                ? new Sample.FloatSample(f.timestamp(), f.startTimestamp(), Double.longBitsToDouble(Double.doubleToLongBits(f.value())))
                : s);
          }
          return new DecodedChunk(out, d.header());
        }).build();
    assertThat(failures(bad, c -> c.capability() == Capability.DECODE_CHUNK)).anyMatch(s -> s.contains("[MUST]"));
  }

  // ---- data directories ----

  /**
   * PromTSDB's dump behind a mistake that leaves out one part of the data directory (the
   * request's directory is a private copy, so deleting from it is safe here).
   */
  private static JavaImplementation dumpWithout(String id, String part) {
    return JavaImplementation.builder(id, "test", PromTsdb.TARGETS)
        .dumpDir((dir, mint, maxt) -> {
          if (part != null) {
            Corpus.deleteQuietly(dir.resolve(part));
          }
          return PromTsdb.dumpDir(dir, mint, maxt);
        }).build();
  }

  private static final Predicate<ConformanceCase> DUMPS = c -> c.capability() == Capability.DUMP_DIR;

  @Test
  void dumpWithoutMistakesPassesEveryDumpCase() throws IOException {
    assertThat(failures(dumpWithout("dump", null), DUMPS)).isEmpty();
  }

  @Test
  void aDumpThatDoesNotReplayTheWalIsCaught() throws IOException {
    // Every fixture has samples in its head that no block holds yet: each whole-directory
    // dump fails (the cases of time ranges inside the blocks do not see the head).
    List<String> f = failures(dumpWithout("dump-without-wal", "wal"), DUMPS);
    assertThat(f).allMatch(s -> s.contains("[MUST]"));
    for (String whole : List.of("fixture-p3-none-data ", "fixture-p2-snappy-data ", "fixture-p3-zstd-crash ")) {
      assertThat(f).anyMatch(s -> s.contains(whole));
    }
  }

  @Test
  void aDumpThatLeavesOutTheOutOfOrderWblIsCaught() throws IOException {
    assertThat(failures(dumpWithout("dump-without-wbl", "wbl"), DUMPS)).anyMatch(s -> s.contains("fixture-p3-none-data"));
  }
}
