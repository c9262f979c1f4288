package io.promtsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.DataWriter;
import io.promtsdb.wal.Refs.RefSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The write path's allocation-free forms equal the object forms byte for byte: {@link
 * RecordEncoder#samples(SampleBatch, DataWriter)} against {@link RecordEncoder#samples(List)},
 * and {@link WalWriter#log(byte[], int[], int)} against {@link WalWriter#log(List)} (the
 * segment files compared whole, every compression, small segments so records cross pages and
 * segments).
 */
class PackedWriteProperties {

  @Provide
  Arbitrary<List<RefSample>> samples() {
    return Combinators.combine(RecordProperties.longs(), RecordProperties.longs(), RecordProperties.longs(),
            RecordProperties.doubles())
        .as(RefSample::new)
        .list()
        .ofMaxSize(50);
  }

  @Property(tries = 400)
  void batchEncodingEqualsListEncoding(@ForAll("samples") List<RefSample> samples, @ForAll boolean v2) {
    RecordEncoder enc = v2 ? RecordEncoder.v2() : RecordEncoder.v1();
    SampleBatch b = new SampleBatch(1);
    for (RefSample s : samples) {
      b.add(s.ref(), s.st(), s.t(), s.v());
    }
    DataWriter w = new DataWriter(1);
    w.u8(0x55); // appended after what the writer holds
    enc.samples(b, w);
    byte[] want = enc.samples(samples);
    byte[] got = Arrays.copyOfRange(w.toByteArray(), 1, w.size());
    assertThat(got).isEqualTo(want);
  }

  @Provide
  Arbitrary<List<Integer>> sizes() {
    return Arbitraries.oneOf(
            Arbitraries.integers().between(0, 200),
            Arbitraries.integers().between(0, 3 * WalFormat.PAGE_SIZE),
            Arbitraries.of(0, WalFormat.PAGE_SIZE - 7, WalFormat.PAGE_SIZE - 14))
        .list()
        .ofMinSize(1)
        .ofMaxSize(12);
  }

  @Property(tries = 40)
  void packedBatchesWriteTheSameSegments(
      @ForAll("sizes") List<Integer> sizes,
      @ForAll Compression compression,
      @ForAll @IntRange(min = 1, max = 3) int pagesPerSegment,
      @ForAll @IntRange(min = 1, max = 4) int batch,
      @ForAll boolean compressible)
      throws IOException {
    Path root = Files.createTempDirectory("packed");
    try {
      List<byte[]> recs = new ArrayList<>();
      for (int i = 0; i < sizes.size(); i++) {
        recs.add(FramingProperties.record(sizes.get(i), i, compressible));
      }
      WalWriter.Options opts =
          WalWriter.Options.defaults(compression).withSegmentSize(pagesPerSegment * WalFormat.PAGE_SIZE);
      Path a = root.resolve("lists");
      Path b = root.resolve("packed");
      try (WalWriter w = WalWriter.open(a, opts)) {
        for (int i = 0; i < recs.size(); i += batch) {
          w.log(recs.subList(i, Math.min(recs.size(), i + batch)));
        }
      }
      try (WalWriter w = WalWriter.open(b, opts)) {
        for (int i = 0; i < recs.size(); i += batch) {
          List<byte[]> part = recs.subList(i, Math.min(recs.size(), i + batch));
          DataWriter packed = new DataWriter(1);
          packed.u8(0x77); // garbage past the last record must not be written
          packed.truncate(0);
          int[] ends = new int[part.size() + 2];
          for (int k = 0; k < part.size(); k++) {
            packed.bytes(part.get(k));
            ends[k] = packed.size();
          }
          packed.u8(0x77);
          w.log(packed.array(), ends, part.size());
        }
      }
      List<Segments.SegmentRef> sa = Segments.list(a);
      List<Segments.SegmentRef> sb = Segments.list(b);
      assertThat(sb).hasSameSizeAs(sa);
      for (int i = 0; i < sa.size(); i++) {
        assertThat(Files.readAllBytes(sb.get(i).path())).as("segment %d", i)
            .isEqualTo(Files.readAllBytes(sa.get(i).path()));
      }
    } finally {
      FileOps.DEFAULT.deleteRecursively(root);
    }
  }

  @Test
  void packedEndsOutsideTheBufferAreRejected() throws IOException {
    Path root = Files.createTempDirectory("packed");
    try (WalWriter w = WalWriter.open(root, WalWriter.Options.defaults(Compression.NONE))) {
      assertThatThrownBy(() -> w.log(new byte[4], new int[] {2, 5}, 2)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> w.log(new byte[4], new int[] {3, 2}, 2)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> w.log(new byte[4], new int[] {3}, 2)).isInstanceOf(IndexOutOfBoundsException.class);
      w.log(new byte[4], new int[] {1, 4}, 2);
    } finally {
      FileOps.DEFAULT.deleteRecursively(root);
    }
  }
}
