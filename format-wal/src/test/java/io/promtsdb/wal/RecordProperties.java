package io.promtsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Span;
import io.promtsdb.wal.Refs.RefExemplar;
import io.promtsdb.wal.Refs.RefFloatHistogramSample;
import io.promtsdb.wal.Refs.RefHistogramSample;
import io.promtsdb.wal.Refs.RefMetadata;
import io.promtsdb.wal.Refs.RefMmapMarker;
import io.promtsdb.wal.Refs.RefSample;
import io.promtsdb.wal.Refs.RefSeries;
import io.promtsdb.wal.Refs.RefTombstone;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** decode(encode(x)) == x for every record type; arbitrary bytes decode or throw. */
class RecordProperties {

  static Arbitrary<Long> longs() {
    return Arbitraries.oneOf(
        Arbitraries.longs(), Arbitraries.longs().between(-1000, 1000),
        Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L));
  }

  static Arbitrary<Double> doubles() {
    return Arbitraries.oneOf(
        Arbitraries.longs().map(Double::longBitsToDouble),
        Arbitraries.of(Double.longBitsToDouble(0x7ff0000000000002L), -0.0, 0.0, Double.NaN, 1.5));
  }

  static Arbitrary<Labels> labels() {
    Arbitrary<String> s = Arbitraries.strings().ofMaxLength(12);
    return Combinators.combine(s.list().ofMaxSize(4), s.list().ofMaxSize(4))
        .as((names, values) -> {
          String[] p = new String[2 * Math.min(names.size(), values.size())];
          for (int i = 0; i < p.length / 2; i++) {
            p[2 * i] = names.get(i);
            p[2 * i + 1] = values.get(i);
          }
          return Labels.of(p);
        });
  }

  static Arbitrary<Span[]> spans() {
    return Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, Integer.MAX_VALUE))
        .as(Span::new).array(Span[].class).ofMaxSize(3);
  }

  static Arbitrary<Histogram> histograms() {
    Arbitrary<Histogram.Builder> head = Combinators.combine(
            Arbitraries.of(CounterResetHint.values()),
            Arbitraries.oneOf(Arbitraries.integers().between(-4, 8), Arbitraries.just(-53), Arbitraries.integers()),
            doubles(), longs(), longs(), doubles(), spans(), spans())
        .as((hint, schema, zt, zc, c, sum, ps, ns) -> Histogram.builder().counterResetHint(hint)
            .schema(schema).zeroThreshold(zt).zeroCount(zc).count(c).sum(sum)
            .positiveSpans(ps).negativeSpans(ns));
    return Combinators.combine(head, longs().list().ofMaxSize(4), doubles().list().ofMaxSize(3))
        .as((b, buckets, custom) -> {
          b.positiveBuckets(buckets.stream().mapToLong(Long::longValue).toArray())
              .negativeBuckets(buckets.stream().mapToLong(x -> -x).toArray());
          Histogram h = b.build();
          if (h.schema() == -53) {
            return h.toBuilder().customValues(custom.stream().mapToDouble(Double::doubleValue).toArray()).build();
          }
          return h;
        });
  }

  static Arbitrary<FloatHistogram> floatHistograms() {
    return Combinators.combine(histograms(), doubles().list().ofMaxSize(4), doubles())
        .as((h, buckets, zc) -> h.toFloatHistogram().toBuilder()
            .positiveBuckets(buckets.stream().mapToDouble(Double::doubleValue).toArray())
            .zeroCount(zc).build());
  }

  @Provide
  Arbitrary<WalRecord> records() {
    Arbitrary<RefSample> samples = Combinators.combine(longs(), longs(), longs(), doubles()).as(RefSample::new);
    Arbitrary<RefSample> v1samples = Combinators.combine(longs(), longs(), doubles()).as(RefSample::new);
    Arbitrary<RefHistogramSample> hs = Combinators.combine(longs(), longs(), longs(), histograms()).as(RefHistogramSample::new);
    Arbitrary<RefFloatHistogramSample> fhs =
        Combinators.combine(longs(), longs(), longs(), floatHistograms()).as(RefFloatHistogramSample::new);
    Arbitrary<Boolean> custom = Arbitraries.of(true, false);
    return Arbitraries.oneOf(
        Combinators.combine(longs(), labels()).as(RefSeries::new).list().ofMaxSize(5).map(WalRecord.Series::new),
        Combinators.combine(longs(), longs(), v1samples.list().ofMaxSize(8))
            .as((r, t, l) -> l.isEmpty() ? WalRecord.Samples.of(l) : new WalRecord.Samples(r, t, l)),
        samples.list().ofMaxSize(8).map(WalRecord.SamplesV2::new),
        Combinators.combine(longs(), longs(), longs()).as(RefTombstone::new).list().ofMaxSize(5).map(WalRecord.Tombstones::new),
        Combinators.combine(longs(), longs(), doubles(), labels()).as(RefExemplar::new).list().ofMaxSize(5).map(WalRecord.Exemplars::of),
        Combinators.combine(longs(), longs()).as(RefMmapMarker::new).list().ofMaxSize(5).map(WalRecord.MmapMarkers::new),
        Combinators.combine(longs(), Arbitraries.integers().between(0, 255), Arbitraries.strings().ofMaxLength(10), Arbitraries.strings().ofMaxLength(20))
            .as(RefMetadata::new).list().ofMaxSize(4).map(WalRecord.Metadata::new),
        Combinators.combine(custom, longs(), longs(), hs.map(h -> new RefHistogramSample(h.ref(), 0, h.t(), h.h())).list().ofMaxSize(4))
            .as((c, r, t, l) -> l.isEmpty() ? WalRecord.HistogramSamples.of(c, l) : new WalRecord.HistogramSamples(c, r, t, l)),
        Combinators.combine(custom, longs(), longs(), fhs.map(h -> new RefFloatHistogramSample(h.ref(), 0, h.t(), h.fh())).list().ofMaxSize(4))
            .as((c, r, t, l) -> l.isEmpty() ? WalRecord.FloatHistogramSamples.of(c, l) : new WalRecord.FloatHistogramSamples(c, r, t, l)),
        hs.list().ofMaxSize(4).map(WalRecord.HistogramSamplesV2::new),
        fhs.list().ofMaxSize(4).map(WalRecord.FloatHistogramSamplesV2::new));
  }

  @Property(tries = 1500)
  void decodeOfEncodeIsIdentity(@ForAll("records") WalRecord rec) throws CorruptFormatException {
    byte[] b = RecordCodec.encode(rec);
    assertThat(b[0] & 0xFF).isEqualTo(rec.type().code());
    assertThat(RecordCodec.decode(b)).isEqualTo(rec);
    assertThat(RecordCodec.encode(RecordCodec.decode(b))).isEqualTo(b);
  }

  @Property(tries = 3000)
  void arbitraryBytesDecodeOrThrowCorrupt(@ForAll @Size(max = 80) byte[] bytes) {
    for (int type = 1; type <= 13; type++) {
      byte[] rec = bytes.clone();
      if (rec.length > 0) {
        rec[0] = (byte) type;
      }
      try {
        WalRecord r = RecordCodec.decode(ByteSource.of(rec));
        assertThat(RecordCodec.encode(r)).hasSizeLessThanOrEqualTo(rec.length + 16);
      } catch (CorruptFormatException expected) {
        // fine
      }
      try {
        SnapshotCodec.decode(ByteSource.of(rec));
      } catch (CorruptFormatException expected) {
        // fine
      }
    }
  }

  @Property(tries = 500)
  void snapshotRecordsRoundTrip(
      @ForAll("records") WalRecord any, @ForAll byte[] chunk, @ForAll boolean hasChunk) throws CorruptFormatException {
    List<SnapshotRecord> recs = new java.util.ArrayList<>();
    recs.add(new SnapshotRecord.Series(7, Labels.of("a", "b"), hasChunk
        ? new SnapshotRecord.HeadChunk(1, 2, 1, chunk, SnapshotRecord.SampleBuf.ofLastValue(3.5)) : null));
    if (any instanceof WalRecord.HistogramSamplesV2 h && !h.histograms().isEmpty()) {
      recs.add(new SnapshotRecord.Series(8, Labels.EMPTY,
          new SnapshotRecord.HeadChunk(1, 2, 2, chunk, new SnapshotRecord.LastHistogram(h.histograms().get(0).h()))));
    }
    if (any instanceof WalRecord.FloatHistogramSamplesV2 h && !h.histograms().isEmpty()) {
      recs.add(new SnapshotRecord.Series(9, Labels.EMPTY,
          new SnapshotRecord.HeadChunk(1, 2, 6, chunk, new SnapshotRecord.LastFloatHistogram(h.histograms().get(0).fh()))));
    }
    if (any instanceof WalRecord.Tombstones t) {
      recs.add(new SnapshotRecord.Tombstones(t.tombstones()));
    }
    if (any instanceof WalRecord.Exemplars e) {
      recs.add(SnapshotRecord.Exemplars.of(e.exemplars()));
    }
    for (SnapshotRecord r : recs) {
      byte[] b = SnapshotCodec.encode(r);
      assertThat(SnapshotCodec.decode(b)).isEqualTo(r);
    }
  }
}
