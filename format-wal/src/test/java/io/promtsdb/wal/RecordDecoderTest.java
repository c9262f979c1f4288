package io.promtsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.MappedFileSource;
import io.promtsdb.core.testing.Corruptions;
import io.promtsdb.wal.Refs.RefExemplar;
import io.promtsdb.wal.Refs.RefSample;
import io.promtsdb.wal.Refs.RefSeries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RecordDecoder} against {@link RecordCodec}, its reference: the same entries for
 * every fixture record and every generated record, and for arbitrary or damaged bytes the
 * same entries or the same exception, with nothing appended on failure.
 */
class RecordDecoderTest {

  /** The entries of a record through {@link RecordDecoder}, appended after a sentinel. */
  static List<Object> viaDecoder(RecordDecoder dec, ByteSource rec) throws CorruptFormatException {
    RecordType t = RecordDecoder.type(rec);
    List<Object> out = new ArrayList<>();
    switch (t) {
      case SAMPLES, SAMPLES_V2 -> {
        SampleBatch b = new SampleBatch(1);
        b.add(-1, -1, -1, 0.5);
        dec.samples(rec, b);
        assertThat(b.get(0)).isEqualTo(new RefSample(-1, -1, -1, 0.5));
        for (int i = 1; i < b.size(); i++) {
          assertThat(Double.doubleToRawLongBits(b.v(i))).isEqualTo(b.vBits(i));
          out.add(b.get(i));
        }
        return out;
      }
      case SERIES -> dec.series(rec, cast(out));
      case EXEMPLARS -> dec.exemplars(rec, cast(out));
      case HISTOGRAM_SAMPLES, CUSTOM_BUCKETS_HISTOGRAM_SAMPLES, HISTOGRAM_SAMPLES_V2 ->
          dec.histogramSamples(rec, cast(out));
      case FLOAT_HISTOGRAM_SAMPLES, CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES,
          FLOAT_HISTOGRAM_SAMPLES_V2 -> dec.floatHistogramSamples(rec, cast(out));
      case TOMBSTONES -> dec.tombstones(rec, cast(out));
      case MMAP_MARKERS -> dec.mmapMarkers(rec, cast(out));
      case METADATA -> dec.metadata(rec, cast(out));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static <T> List<T> cast(List<Object> l) {
    return (List<T>) (List<?>) l;
  }

  /** The entries of a record through the reference decoder. */
  static List<Object> viaCodec(ByteSource rec) throws CorruptFormatException {
    WalRecord r = RecordCodec.decode(rec);
    List<?> l;
    if (r instanceof WalRecord.Series s) {
      l = s.series();
    } else if (r instanceof WalRecord.Samples s) {
      l = s.samples();
    } else if (r instanceof WalRecord.SamplesV2 s) {
      l = s.samples();
    } else if (r instanceof WalRecord.Tombstones s) {
      l = s.tombstones();
    } else if (r instanceof WalRecord.Exemplars s) {
      l = s.exemplars();
    } else if (r instanceof WalRecord.MmapMarkers s) {
      l = s.markers();
    } else if (r instanceof WalRecord.Metadata s) {
      l = s.metadata();
    } else if (r instanceof WalRecord.HistogramSamples s) {
      l = s.histograms();
    } else if (r instanceof WalRecord.FloatHistogramSamples s) {
      l = s.histograms();
    } else if (r instanceof WalRecord.HistogramSamplesV2 s) {
      l = s.histograms();
    } else {
      l = ((WalRecord.FloatHistogramSamplesV2) r).histograms();
    }
    return new ArrayList<>(l);
  }

  /** Both decoders agree: the same entries, or the same exception message. */
  static void agree(RecordDecoder dec, ByteSource rec) {
    List<Object> want;
    try {
      want = viaCodec(rec);
    } catch (CorruptFormatException e) {
      if (typeOf(rec) == null) {
        assertThatThrownBy(() -> viaDecoder(dec, rec)).isInstanceOf(RuntimeException.class);
        return;
      }
      assertThatThrownBy(() -> viaDecoder(dec, rec))
          .isInstanceOf(CorruptFormatException.class)
          .hasMessage(e.getMessage());
      return;
    }
    try {
      assertThat(viaDecoder(dec, rec)).isEqualTo(want);
    } catch (CorruptFormatException e) {
      throw new AssertionError("decoder failed where the codec did not", e);
    }
  }

  static RecordType typeOf(ByteSource rec) {
    try {
      return RecordDecoder.type(rec);
    } catch (CorruptFormatException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void everyFixtureRecordDecodesAsTheCodecDecodesIt() throws IOException {
    RecordDecoder dec = new RecordDecoder();
    int records = 0;
    int samples = 0;
    for (Fixtures.Segment seg : Fixtures.all()) {
      if (seg.kind() == Fixtures.Kind.SNAPSHOT) {
        continue;
      }
      try (SegmentReader r = SegmentReader.open(seg.path())) {
        while (true) {
          try {
            if (!r.next()) {
              break;
            }
          } catch (WalCorruptionException torn) {
            break;
          }
          ByteSource rec = r.record();
          List<Object> want = viaCodec(rec);
          assertThat(viaDecoder(dec, rec)).as(seg.name() + " @" + r.recordOffset()).isEqualTo(want);
          records++;
          if (RecordDecoder.type(rec) == RecordType.SAMPLES) {
            samples += want.size();
          }
        }
      }
    }
    assertThat(records).isGreaterThan(10_000);
    assertThat(samples).isGreaterThan(500_000);
    // Every valid record took the fast path.
    assertThat(dec.fallbacks()).isZero();
  }

  @Provide
  Arbitrary<WalRecord> records() {
    return new RecordProperties().records();
  }

  @Property(tries = 1500)
  void generatedRecordsDecodeAsTheCodecDecodesThem(@ForAll("records") WalRecord rec) {
    byte[] b = RecordCodec.encode(rec);
    RecordDecoder dec = new RecordDecoder();
    agree(dec, ByteSource.of("gen", b));
    assertThat(dec.fallbacks()).isZero();
    // From a slice in the middle of a larger array, as the segment reader hands them out.
    byte[] padded = new byte[b.length + 20];
    System.arraycopy(b, 0, padded, 9, b.length);
    agree(new RecordDecoder(), new io.promtsdb.core.ByteArraySource("gen", padded, 9, b.length));
  }

  @Property(tries = 3000)
  void arbitraryBytesGiveTheCodecsEntriesOrItsError(
      @ForAll @Size(max = 80) byte[] bytes, @ForAll @IntRange(min = 1, max = 13) int type) {
    byte[] rec = bytes.clone();
    if (rec.length > 0) {
      rec[0] = (byte) type;
    }
    agree(new RecordDecoder(), ByteSource.of("junk", rec));
  }

  @Property(tries = 200)
  void damagedRecordsGiveTheCodecsEntriesOrItsError(@ForAll("records") WalRecord r) {
    byte[] b = RecordCodec.encode(r);
    RecordDecoder dec = new RecordDecoder();
    for (Corruptions.Variant bad : Corruptions.truncations(b, b.length)) {
      if (bad.bytes().length > 0) {
        agree(dec, ByteSource.of("cut", bad.bytes()));
      }
    }
    for (Corruptions.Variant bad : Corruptions.allBitFlips(b, 0, Math.min(b.length, 64))) {
      agree(dec, ByteSource.of("flip", bad.bytes()));
    }
  }

  @Test
  void deltasOfEveryVarintLengthDecodeOnTheFastPath() throws CorruptFormatException {
    // Zig-zag deltas of 1 to 10 bytes for the reference and the time, in every pairing.
    List<RefSample> samples = new ArrayList<>();
    samples.add(new RefSample(1L << 40, 0, 1L << 50, 1.0));
    for (int i = 0; i < 10; i++) {
      for (int j = 0; j < 10; j++) {
        long dref = i == 9 ? Long.MIN_VALUE / 2 : -(1L << (7 * i)) + 1;
        long dt = j == 9 ? Long.MAX_VALUE / 2 : (1L << (7 * j)) - 1;
        samples.add(new RefSample((1L << 40) + dref, 0, (1L << 50) + dt, i * 10 + j));
      }
    }
    // Padding so that every delta above is decoded with at least 28 bytes left (the fast loop).
    for (int k = 0; k < 3; k++) {
      samples.add(new RefSample(1L << 40, 0, 1L << 50, -k));
    }
    ByteSource rec = ByteSource.of("deltas", RecordCodec.encode(new WalRecord.Samples(1L << 40, 1L << 50, samples)));
    RecordDecoder dec = new RecordDecoder();
    agree(dec, rec);
    assertThat(dec.fallbacks()).isZero();
  }

  @Test
  void nothingIsAppendedWhenARecordIsCorrupt() {
    byte[] rec = RecordCodec.encode(WalRecord.Samples.of(List.of(
        new RefSample(5, 100, 1.0), new RefSample(6, 101, 2.0))));
    byte[] cut = java.util.Arrays.copyOf(rec, rec.length - 3);
    SampleBatch b = new SampleBatch();
    b.add(1, 0, 2, 3.0);
    assertThatThrownBy(() -> new RecordDecoder().samples(ByteSource.of("cut", cut), b))
        .isInstanceOf(CorruptFormatException.class)
        .hasMessageStartingWith("cut at offset ");
    assertThat(b.size()).isEqualTo(1);
    List<RefSeries> series = new ArrayList<>();
    series.add(new RefSeries(1, io.promtsdb.core.Labels.EMPTY));
    byte[] s = RecordCodec.encode(new WalRecord.Series(List.of(
        new RefSeries(7, io.promtsdb.core.Labels.of("a", "b")),
        new RefSeries(8, io.promtsdb.core.Labels.of("c", "d")))));
    byte[] sc = java.util.Arrays.copyOf(s, s.length - 1);
    assertThatThrownBy(() -> new RecordDecoder().series(ByteSource.of("cut", sc), series))
        .isInstanceOf(CorruptFormatException.class);
    assertThat(series).hasSize(1);
  }

  @Test
  void theWrongRecordTypeIsAProgrammingError() {
    byte[] rec = RecordCodec.encode(new WalRecord.Series(List.of()));
    assertThatThrownBy(() -> new RecordDecoder().samples(ByteSource.of("x", rec), new SampleBatch()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a samples record: SERIES");
    List<RefExemplar> ex = new ArrayList<>();
    assertThatThrownBy(() -> new RecordDecoder().exemplars(ByteSource.of("x", new byte[0]), ex))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sourcesThatAreNotArraysDecodeToo(@TempDir Path tmp) throws IOException {
    List<RefSample> want = List.of(new RefSample(5, 100, 1.0), new RefSample(7, 99, Double.NaN));
    byte[] rec = RecordCodec.encode(WalRecord.Samples.of(want));
    Path f = tmp.resolve("rec");
    Files.write(f, rec);
    try (MappedFileSource src = MappedFileSource.open(f)) {
      SampleBatch b = new SampleBatch();
      new RecordDecoder().samples(src, b);
      assertThat(b.toList()).isEqualTo(want);
    }
  }
}
