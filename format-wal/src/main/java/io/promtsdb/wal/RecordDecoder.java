package io.promtsdb.wal;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.ByteArraySource;
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
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decodes records into buffers the caller reuses, as Prometheus' {@code record.Decoder} does
 * with {@code samples[:0]}: the replay loop of a WAL. Every method appends the record's
 * entries to {@code into}; float samples go into a columnar {@link SampleBatch}, so sample
 * records cost no allocation at all.
 *
 * <pre>{@code
 * RecordDecoder dec = new RecordDecoder();
 * SampleBatch samples = new SampleBatch();
 * while (reader.next()) {
 *   ByteSource rec = reader.record();
 *   switch (RecordDecoder.type(rec)) {
 *     case SAMPLES, SAMPLES_V2 -> { samples.clear(); dec.samples(rec, samples); ... }
 *     ...
 * }</pre>
 *
 * <p>Results and errors are exactly {@link RecordCodec#decode}'s: the decoder reads the
 * record's array directly and, at the first thing that is not plainly valid, leaves it to
 * {@link RecordCodec}, which reports the problem (file, offset, what) or decodes what the fast
 * path would not. Nothing is appended to {@code into} when an exception is thrown. Not
 * thread-safe; one per replay thread.
 */
public final class RecordDecoder {
  /** Thrown by the fast path at anything unusual; never escapes this class. */
  private static final class Fallback extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Fallback() {
      super(null, null, false, false);
    }
  }

  private static final Fallback FALLBACK = new Fallback();

  private byte[] a;
  private int p;
  private int end;
  // Records left to RecordCodec: for tests, which check that valid records never are.
  private long fallbacks;

  long fallbacks() {
    return fallbacks;
  }

  /** The type of a record, or {@code null} for an empty record or an unknown type byte. */
  public static RecordType type(ByteSource record) throws CorruptFormatException {
    return RecordCodec.type(record);
  }

  // ---- float samples -------------------------------------------------------------------

  /** Appends the samples of a {@code samples} (2) or {@code samples_v2} (11) record. */
  public void samples(ByteSource record, SampleBatch into) throws CorruptFormatException {
    RecordType t = open(record, RecordType.SAMPLES, RecordType.SAMPLES_V2, null);
    int mark = into.size();
    try {
      if (t == RecordType.SAMPLES) {
        samplesV1(into);
      } else {
        samplesV2(into);
      }
      return;
    } catch (Fallback f) {
      fallbacks++;
      into.truncate(mark);
    }
    WalRecord r = RecordCodec.decode(record);
    List<RefSample> l =
        r instanceof WalRecord.Samples s ? s.samples() : ((WalRecord.SamplesV2) r).samples();
    for (RefSample s : l) {
      into.add(s.ref(), s.st(), s.t(), s.v());
    }
  }

  private void samplesV1(SampleBatch into) {
    if (p == end) {
      return;
    }
    final long baseRef = be64();
    final long baseTime = be64();
    final byte[] a = this.a;
    final int end = this.end;
    int p = this.p;
    // A sample takes 10 bytes at least: room for all of them, then stores without checks.
    into.ensureCapacity(into.size + (end - p) / 10);
    final long[] refs = into.refs;
    final long[] sts = into.sts;
    final long[] ts = into.ts;
    final long[] values = into.values;
    int n = into.size;
    // Two varints of at most 10 bytes and the value fit in what remains: no bounds checks.
    while (end - p >= 28) {
      // Deltas of one to three bytes inline (branches predict well and let the CPU run ahead;
      // a branch-free length costs more), longer ones by uvarintLong.
      long dref;
      int b0 = a[p];
      if (b0 >= 0) {
        dref = b0;
        p++;
      } else {
        int b1 = a[p + 1];
        int b2;
        if (b1 >= 0) {
          dref = (b0 & 0x7F) | (b1 << 7);
          p += 2;
        } else if ((b2 = a[p + 2]) >= 0) {
          // Three bytes: reference deltas across tens of thousands of series.
          dref = (b0 & 0x7F) | ((b1 & 0x7F) << 7) | (b2 << 14);
          p += 3;
        } else {
          this.p = p;
          dref = uvarintLong();
          p = this.p;
        }
      }
      long dtime;
      b0 = a[p];
      if (b0 >= 0) {
        dtime = b0;
        p++;
      } else {
        int b1 = a[p + 1];
        int b2;
        if (b1 >= 0) {
          dtime = (b0 & 0x7F) | (b1 << 7);
          p += 2;
        } else if ((b2 = a[p + 2]) >= 0) {
          // Three bytes: reference deltas across tens of thousands of series.
          dtime = (b0 & 0x7F) | ((b1 & 0x7F) << 7) | (b2 << 14);
          p += 3;
        } else {
          this.p = p;
          dtime = uvarintLong();
          p = this.p;
        }
      }
      refs[n] = baseRef + zigZag(dref);
      sts[n] = 0;
      ts[n] = baseTime + zigZag(dtime);
      values[n] = BigEndian.getLong(a, p);
      p += 8;
      n++;
    }
    into.size = n;
    this.p = p;
    while (this.p < end) {
      long dref = varint();
      long dtime = varint();
      long v = be64();
      into.add(baseRef + dref, 0, baseTime + dtime, v);
    }
  }

  private void samplesV2(SampleBatch into) {
    if (p == end) {
      return;
    }
    long ref = varint();
    final long firstT = varint();
    final long firstSt = varint();
    into.add(ref, firstSt, firstT, be64());
    long prevSt = firstSt;
    while (p < end) {
      ref += varint();
      long t = firstT + varint();
      long st = st(prevSt, firstSt);
      into.add(ref, st, t, be64());
      prevSt = st;
    }
  }

  private long st(long prevSt, long firstSt) {
    return switch (u8()) {
      case RecordCodec.ST_NONE -> 0;
      case RecordCodec.ST_SAME -> prevSt;
      case RecordCodec.ST_EXPLICIT -> firstSt + varint();
      default -> throw FALLBACK;
    };
  }

  // ---- series and exemplars -----------------------------------------------------------

  /** Appends the series of a {@code series} (1) record. */
  public void series(ByteSource record, List<RefSeries> into) throws CorruptFormatException {
    open(record, RecordType.SERIES, null, null);
    int mark = into.size();
    try {
      while (p < end) {
        long ref = be64();
        into.add(new RefSeries(ref, labels()));
      }
      return;
    } catch (Fallback f) {
      fallbacks++;
      truncate(into, mark);
    }
    into.addAll(((WalRecord.Series) RecordCodec.decode(record)).series());
  }

  /** Appends the exemplars of an {@code exemplars} (4) record. */
  public void exemplars(ByteSource record, List<RefExemplar> into) throws CorruptFormatException {
    open(record, RecordType.EXEMPLARS, null, null);
    int mark = into.size();
    try {
      if (p < end) {
        long baseRef = be64();
        long baseTime = be64();
        while (p < end) {
          long dref = varint();
          long dtime = varint();
          double v = Double.longBitsToDouble(be64());
          into.add(new RefExemplar(baseRef + dref, baseTime + dtime, v, labels()));
        }
      }
      return;
    } catch (Fallback f) {
      fallbacks++;
      truncate(into, mark);
    }
    into.addAll(((WalRecord.Exemplars) RecordCodec.decode(record)).exemplars());
  }

  private Labels labels() {
    int n = count(2);
    if (n == 0) {
      return Labels.EMPTY;
    }
    String[] pairs = new String[2 * n];
    for (int i = 0; i < pairs.length; i++) {
      long len = uvarint();
      if (len < 0 || len > end - p) {
        throw FALLBACK;
      }
      pairs[i] = new String(a, p, (int) len, StandardCharsets.UTF_8);
      p += (int) len;
    }
    return Labels.of(pairs);
  }

  // ---- histograms ---------------------------------------------------------------------

  /**
   * Appends the histograms of a {@code histogram_samples} (7), {@code
   * custom_buckets_histogram_samples} (9) or {@code histogram_samples_v2} (12) record.
   */
  public void histogramSamples(ByteSource record, List<RefHistogramSample> into)
      throws CorruptFormatException {
    RecordType t =
        open(record, RecordType.HISTOGRAM_SAMPLES, RecordType.CUSTOM_BUCKETS_HISTOGRAM_SAMPLES,
            RecordType.HISTOGRAM_SAMPLES_V2);
    int mark = into.size();
    try {
      if (p < end) {
        if (t == RecordType.HISTOGRAM_SAMPLES_V2) {
          long ref = varint();
          long firstT = varint();
          long firstSt = varint();
          into.add(new RefHistogramSample(ref, firstSt, firstT, histogram()));
          long prevSt = firstSt;
          while (p < end) {
            ref += varint();
            long ts = firstT + varint();
            long st = st(prevSt, firstSt);
            into.add(new RefHistogramSample(ref, st, ts, histogram()));
            prevSt = st;
          }
        } else {
          long baseRef = be64();
          long baseTime = be64();
          while (p < end) {
            long dref = varint();
            long dtime = varint();
            into.add(new RefHistogramSample(baseRef + dref, 0, baseTime + dtime, histogram()));
          }
        }
      }
      return;
    } catch (Fallback f) {
      fallbacks++;
      truncate(into, mark);
    }
    WalRecord r = RecordCodec.decode(record);
    into.addAll(
        r instanceof WalRecord.HistogramSamples h
            ? h.histograms()
            : ((WalRecord.HistogramSamplesV2) r).histograms());
  }

  /**
   * Appends the histograms of a {@code float_histogram_samples} (8), {@code
   * custom_buckets_float_histogram_samples} (10) or {@code float_histogram_samples_v2} (13)
   * record.
   */
  public void floatHistogramSamples(ByteSource record, List<RefFloatHistogramSample> into)
      throws CorruptFormatException {
    RecordType t =
        open(record, RecordType.FLOAT_HISTOGRAM_SAMPLES,
            RecordType.CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES, RecordType.FLOAT_HISTOGRAM_SAMPLES_V2);
    int mark = into.size();
    try {
      if (p < end) {
        if (t == RecordType.FLOAT_HISTOGRAM_SAMPLES_V2) {
          long ref = varint();
          long firstT = varint();
          long firstSt = varint();
          into.add(new RefFloatHistogramSample(ref, firstSt, firstT, floatHistogram()));
          long prevSt = firstSt;
          while (p < end) {
            ref += varint();
            long ts = firstT + varint();
            long st = st(prevSt, firstSt);
            into.add(new RefFloatHistogramSample(ref, st, ts, floatHistogram()));
            prevSt = st;
          }
        } else {
          long baseRef = be64();
          long baseTime = be64();
          while (p < end) {
            long dref = varint();
            long dtime = varint();
            into.add(
                new RefFloatHistogramSample(baseRef + dref, 0, baseTime + dtime, floatHistogram()));
          }
        }
      }
      return;
    } catch (Fallback f) {
      fallbacks++;
      truncate(into, mark);
    }
    WalRecord r = RecordCodec.decode(record);
    into.addAll(
        r instanceof WalRecord.FloatHistogramSamples h
            ? h.histograms()
            : ((WalRecord.FloatHistogramSamplesV2) r).histograms());
  }

  /** {@link HistogramCodec#decodeHistogram}, on the array. */
  private Histogram histogram() {
    Histogram.Builder b = Histogram.builder();
    b.counterResetHint(hint());
    int schema = int32(varint());
    b.schema(schema);
    b.zeroThreshold(Double.longBitsToDouble(be64()));
    b.zeroCount(uvarint());
    b.count(uvarint());
    b.sum(Double.longBitsToDouble(be64()));
    b.positiveSpans(spans());
    b.negativeSpans(spans());
    b.positiveBuckets(varints(count(1)));
    b.negativeBuckets(varints(count(1)));
    if (Histogram.isCustomBucketsSchema(schema)) {
      b.customValues(floats());
    }
    return b.build();
  }

  /** {@link HistogramCodec#decodeFloatHistogram}, on the array. */
  private FloatHistogram floatHistogram() {
    FloatHistogram.Builder b = FloatHistogram.builder();
    b.counterResetHint(hint());
    int schema = int32(varint());
    b.schema(schema);
    b.zeroThreshold(Double.longBitsToDouble(be64()));
    b.zeroCount(Double.longBitsToDouble(be64()));
    b.count(Double.longBitsToDouble(be64()));
    b.sum(Double.longBitsToDouble(be64()));
    b.positiveSpans(spans());
    b.negativeSpans(spans());
    b.positiveBuckets(floats());
    b.negativeBuckets(floats());
    if (Histogram.isCustomBucketsSchema(schema)) {
      b.customValues(floats());
    }
    return b.build();
  }

  /** {@code n} signed varints; one-byte ones (most bucket deltas) inline. */
  private long[] varints(int n) {
    long[] out = new long[n];
    final byte[] a = this.a;
    final int end = this.end;
    int p = this.p;
    for (int i = 0; i < n; i++) {
      if (p < end && a[p] >= 0) {
        out[i] = zigZag(a[p]);
        p++;
      } else {
        this.p = p;
        out[i] = zigZag(uvarintLong());
        p = this.p;
      }
    }
    this.p = p;
    return out;
  }

  private CounterResetHint hint() {
    CounterResetHint h = CounterResetHint.fromCode(u8());
    if (h == null) {
      throw FALLBACK;
    }
    return h;
  }

  private Span[] spans() {
    int n = count(2);
    Span[] spans = new Span[n];
    for (int i = 0; i < n; i++) {
      int offset = int32(varint());
      long length = uvarint();
      if (length < 0 || length > Integer.MAX_VALUE) {
        throw FALLBACK;
      }
      spans[i] = new Span(offset, (int) length);
    }
    return spans;
  }

  private double[] floats() {
    int n = count(8);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = Double.longBitsToDouble(BigEndian.getLong(a, p));
      p += 8;
    }
    return out;
  }

  // ---- the rare record types: the reference decoder --------------------------------------

  /** Appends the intervals of a {@code tombstones} (3) record. */
  public void tombstones(ByteSource record, List<RefTombstone> into) throws CorruptFormatException {
    open(record, RecordType.TOMBSTONES, null, null);
    into.addAll(((WalRecord.Tombstones) RecordCodec.decode(record)).tombstones());
  }

  /** Appends the markers of an {@code mmapmarkers} (5) record. */
  public void mmapMarkers(ByteSource record, List<RefMmapMarker> into) throws CorruptFormatException {
    open(record, RecordType.MMAP_MARKERS, null, null);
    into.addAll(((WalRecord.MmapMarkers) RecordCodec.decode(record)).markers());
  }

  /** Appends the entries of a {@code metadata} (6) record. */
  public void metadata(ByteSource record, List<RefMetadata> into) throws CorruptFormatException {
    open(record, RecordType.METADATA, null, null);
    into.addAll(((WalRecord.Metadata) RecordCodec.decode(record)).metadata());
  }

  // ---- the array cursor -----------------------------------------------------------------

  /**
   * Points the cursor at the record's bytes after the type byte, which must be one of the
   * given types (a programming error otherwise: check {@link #type} first).
   */
  private RecordType open(ByteSource record, RecordType t1, RecordType t2, RecordType t3)
      throws CorruptFormatException {
    RecordType t = RecordCodec.type(record);
    if (t == null || (t != t1 && t != t2 && t != t3)) {
      throw new IllegalArgumentException(
          record.description() + ": not a " + t1.goName() + " record: " + t);
    }
    if (record instanceof ByteArraySource s) {
      a = s.array();
      p = s.arrayOffset() + 1;
      end = s.arrayOffset() + (int) s.length();
    } else {
      a = record.toByteArray();
      p = 1;
      end = a.length;
    }
    return t;
  }

  private static <T> void truncate(List<T> l, int n) {
    l.subList(n, l.size()).clear();
  }

  private static long zigZag(long u) {
    return (u >>> 1) ^ -(u & 1);
  }

  private static int int32(long v) {
    if (v != (int) v) {
      throw FALLBACK;
    }
    return (int) v;
  }

  private int u8() {
    if (p >= end) {
      throw FALLBACK;
    }
    return a[p++] & 0xFF;
  }

  private long be64() {
    if (end - p < 8) {
      throw FALLBACK;
    }
    long v = BigEndian.getLong(a, p);
    p += 8;
    return v;
  }

  private long varint() {
    return zigZag(uvarint());
  }

  /** Go's {@code binary.Uvarint}: at most 10 bytes, the tenth at most 1. */
  private long uvarint() {
    int i = p;
    if (i < end) {
      byte b = a[i];
      if (b >= 0) {
        p = i + 1;
        return b;
      }
    }
    return uvarintLong();
  }

  private long uvarintLong() {
    long x = 0;
    int i = p;
    for (int n = 0, shift = 0; n < 10; n++, shift += 7) {
      if (i >= end) {
        throw FALLBACK;
      }
      int b = a[i++];
      if (b >= 0) {
        if (n == 9 && b > 1) {
          throw FALLBACK;
        }
        p = i;
        return x | ((long) b << shift);
      }
      x |= (long) (b & 0x7F) << shift;
    }
    throw FALLBACK;
  }

  /** A uvarint count of items of at least {@code minBytesEach} bytes in what remains. */
  private int count(int minBytesEach) {
    long n = uvarint();
    if (n < 0 || n > (end - p) / minBytesEach) {
      throw FALLBACK;
    }
    return (int) n;
  }
}
