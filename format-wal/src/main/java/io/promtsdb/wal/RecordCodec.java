package io.promtsdb.wal;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.DataReader;
import io.promtsdb.core.DataWriter;
import io.promtsdb.core.Labels;
import io.promtsdb.wal.Refs.RefExemplar;
import io.promtsdb.wal.Refs.RefFloatHistogramSample;
import io.promtsdb.wal.Refs.RefHistogramSample;
import io.promtsdb.wal.Refs.RefMetadata;
import io.promtsdb.wal.Refs.RefMmapMarker;
import io.promtsdb.wal.Refs.RefSample;
import io.promtsdb.wal.Refs.RefSeries;
import io.promtsdb.wal.Refs.RefTombstone;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes and encodes WAL/WBL records ({@code tsdb/record}) byte for byte. Layouts, after
 * the type byte (all deltas are zig-zag varints, whatever {@code wal.md} says):
 *
 * <pre>
 *  1 series      repeat { BE64 ref | labels }
 *  2 samples     [BE64 baseRef | BE64 baseT | repeat { varint ref-baseRef | varint t-baseT | BE64 v }]
 *  3 tombstones  repeat { BE64 ref | varint mint | varint maxt }
 *  4 exemplars   [BE64 baseRef | BE64 baseT | repeat { varint dRef | varint dT | BE64 v | labels }]
 *  5 mmapmarkers repeat { BE64 ref | BE64 chunkDiskMapperRef }
 *  6 metadata    repeat { uvarint ref | u8 type | uvarint n | n x (uvarint-str name, uvarint-str value) }
 *  7, 9          [BE64 baseRef | BE64 baseT | repeat { varint dRef | varint dT | H }]
 *  8, 10         same with FH
 * 11 samplesV2   [varint ref0 | varint t0 | varint st0 | BE64 v0
 *                 | repeat { varint ref-prevRef | varint t-t0 | st | BE64 v }]
 * 12, 13         same as 11 with H / FH in place of BE64 v
 * labels: uvarint n, n x (uvarint-str name, uvarint-str value)
 * st:     u8 0 = no start time | 1 = the previous sample's | 2 then varint st-st0
 * </pre>
 *
 * See {@link HistogramCodec} for H and FH. Decoding checks every count against the bytes
 * left and requires the record to be consumed exactly; anything else is a {@link
 * CorruptFormatException} at the offending position.
 */
public final class RecordCodec {
  static final int ST_NONE = 0;
  static final int ST_SAME = 1;
  static final int ST_EXPLICIT = 2;

  private RecordCodec() {}

  /** The type of a record, or {@code null} for an empty record or an unknown type byte. */
  public static RecordType type(ByteSource record) throws CorruptFormatException {
    return record.length() == 0 ? null : RecordType.fromCode(record.u8(0));
  }

  public static WalRecord decode(byte[] record) throws CorruptFormatException {
    return decode(ByteSource.of(record));
  }

  /**
   * Decodes one record.
   *
   * @throws UnknownRecordTypeException for an empty record or a type byte outside 1..13
   * @throws CorruptFormatException for anything else that is wrong
   */
  public static WalRecord decode(ByteSource record) throws CorruptFormatException {
    if (record.length() == 0) {
      throw new UnknownRecordTypeException(record.description(), record.origin(), -1);
    }
    int code = record.u8(0);
    RecordType type = RecordType.fromCode(code);
    if (type == null) {
      throw new UnknownRecordTypeException(record.description(), record.origin(), code);
    }
    DataReader r = new DataReader(record);
    r.skip(1);
    WalRecord rec =
        switch (type) {
          case SERIES -> new WalRecord.Series(series(r));
          case SAMPLES -> samplesV1(r);
          case SAMPLES_V2 -> new WalRecord.SamplesV2(samplesV2(r));
          case TOMBSTONES -> new WalRecord.Tombstones(tombstones(r));
          case EXEMPLARS -> exemplars(r);
          case MMAP_MARKERS -> new WalRecord.MmapMarkers(mmapMarkers(r));
          case METADATA -> new WalRecord.Metadata(metadata(r));
          case HISTOGRAM_SAMPLES -> histogramsV1(r, false);
          case CUSTOM_BUCKETS_HISTOGRAM_SAMPLES -> histogramsV1(r, true);
          case FLOAT_HISTOGRAM_SAMPLES -> floatHistogramsV1(r, false);
          case CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES -> floatHistogramsV1(r, true);
          case HISTOGRAM_SAMPLES_V2 -> new WalRecord.HistogramSamplesV2(histogramsV2(r));
          case FLOAT_HISTOGRAM_SAMPLES_V2 ->
              new WalRecord.FloatHistogramSamplesV2(floatHistogramsV2(r));
        };
    r.expectEnd(type.goName() + " record");
    return rec;
  }

  // ---- decoding ----------------------------------------------------------------------

  /** Go's {@code DecodeLabels}: uvarint count, then name/value uvarint strings. */
  public static Labels decodeLabels(DataReader r) throws CorruptFormatException {
    int n = r.uvarintCount(2, "labels");
    if (n == 0) {
      return Labels.EMPTY;
    }
    String[] pairs = new String[2 * n];
    for (int i = 0; i < 2 * n; i++) {
      pairs[i] = r.uvarintString();
    }
    return Labels.of(pairs);
  }

  private static List<RefSeries> series(DataReader r) throws CorruptFormatException {
    List<RefSeries> out = new ArrayList<>();
    while (r.hasRemaining()) {
      long ref = r.be64();
      out.add(new RefSeries(ref, decodeLabels(r)));
    }
    return out;
  }

  private static WalRecord.Samples samplesV1(DataReader r) throws CorruptFormatException {
    if (!r.hasRemaining()) {
      return new WalRecord.Samples(0, 0, List.of());
    }
    long baseRef = r.be64();
    long baseTime = r.be64();
    List<RefSample> out = new ArrayList<>((int) Math.min(r.remaining() / 10, 1 << 20));
    while (r.hasRemaining()) {
      long dref = r.varint();
      long dtime = r.varint();
      long v = r.be64();
      out.add(new RefSample(baseRef + dref, 0, baseTime + dtime, Double.longBitsToDouble(v)));
    }
    return new WalRecord.Samples(baseRef, baseTime, out);
  }

  private static long st(DataReader r, long prevSt, long firstSt) throws CorruptFormatException {
    long at = r.position();
    int marker = r.u8();
    return switch (marker) {
      case ST_NONE -> 0;
      case ST_SAME -> prevSt;
      case ST_EXPLICIT -> firstSt + r.varint();
      // Go reads every other byte as "explicit"; Prometheus writes only 0, 1 and 2.
      default -> throw r.mismatchAt(at, "start timestamp marker", marker, "0, 1 or 2");
    };
  }

  private static List<RefSample> samplesV2(DataReader r) throws CorruptFormatException {
    List<RefSample> out = new ArrayList<>((int) Math.min(r.remaining() / 11, 1 << 20));
    if (!r.hasRemaining()) {
      return out;
    }
    long ref = r.varint();
    long firstT = r.varint();
    long firstSt = r.varint();
    out.add(new RefSample(ref, firstSt, firstT, r.be64Double()));
    long prevSt = firstSt;
    while (r.hasRemaining()) {
      ref += r.varint();
      long t = firstT + r.varint();
      long st = st(r, prevSt, firstSt);
      out.add(new RefSample(ref, st, t, r.be64Double()));
      prevSt = st;
    }
    return out;
  }

  private static List<RefTombstone> tombstones(DataReader r) throws CorruptFormatException {
    List<RefTombstone> out = new ArrayList<>();
    while (r.hasRemaining()) {
      long ref = r.be64();
      long mint = r.varint();
      long maxt = r.varint();
      out.add(new RefTombstone(ref, mint, maxt));
    }
    return out;
  }

  private static WalRecord.Exemplars exemplars(DataReader r) throws CorruptFormatException {
    if (!r.hasRemaining()) {
      return new WalRecord.Exemplars(0, 0, List.of());
    }
    long baseRef = r.be64();
    long baseTime = r.be64();
    return new WalRecord.Exemplars(baseRef, baseTime, exemplarEntries(r, baseRef, baseTime));
  }

  /** Exemplar entries after the base (shared with the memory snapshot). */
  static List<RefExemplar> exemplarEntries(DataReader r, long baseRef, long baseTime)
      throws CorruptFormatException {
    List<RefExemplar> out = new ArrayList<>();
    while (r.hasRemaining()) {
      long dref = r.varint();
      long dtime = r.varint();
      double v = r.be64Double();
      out.add(new RefExemplar(baseRef + dref, baseTime + dtime, v, decodeLabels(r)));
    }
    return out;
  }

  private static List<RefMmapMarker> mmapMarkers(DataReader r) throws CorruptFormatException {
    List<RefMmapMarker> out = new ArrayList<>();
    while (r.hasRemaining()) {
      long ref = r.be64();
      out.add(new RefMmapMarker(ref, r.be64()));
    }
    return out;
  }

  private static List<RefMetadata> metadata(DataReader r) throws CorruptFormatException {
    List<RefMetadata> out = new ArrayList<>();
    while (r.hasRemaining()) {
      long ref = r.uvarint();
      int type = r.u8();
      int fields = r.uvarintCount(2, "metadata fields");
      String unit = "";
      String help = "";
      // Prometheus writes UNIT and HELP; unknown fields are read and skipped, as in Go.
      for (int i = 0; i < fields; i++) {
        String name = r.uvarintString();
        String value = r.uvarintString();
        if (name.equals("UNIT")) {
          unit = value;
        } else if (name.equals("HELP")) {
          help = value;
        }
      }
      out.add(new RefMetadata(ref, type, unit, help));
    }
    return out;
  }

  private static WalRecord.HistogramSamples histogramsV1(DataReader r, boolean custom)
      throws CorruptFormatException {
    if (!r.hasRemaining()) {
      return new WalRecord.HistogramSamples(custom, 0, 0, List.of());
    }
    long baseRef = r.be64();
    long baseTime = r.be64();
    List<RefHistogramSample> out = new ArrayList<>();
    while (r.hasRemaining()) {
      long dref = r.varint();
      long dtime = r.varint();
      out.add(
          new RefHistogramSample(
              baseRef + dref, 0, baseTime + dtime, HistogramCodec.decodeHistogram(r)));
    }
    return new WalRecord.HistogramSamples(custom, baseRef, baseTime, out);
  }

  private static WalRecord.FloatHistogramSamples floatHistogramsV1(DataReader r, boolean custom)
      throws CorruptFormatException {
    if (!r.hasRemaining()) {
      return new WalRecord.FloatHistogramSamples(custom, 0, 0, List.of());
    }
    long baseRef = r.be64();
    long baseTime = r.be64();
    List<RefFloatHistogramSample> out = new ArrayList<>();
    while (r.hasRemaining()) {
      long dref = r.varint();
      long dtime = r.varint();
      out.add(
          new RefFloatHistogramSample(
              baseRef + dref, 0, baseTime + dtime, HistogramCodec.decodeFloatHistogram(r)));
    }
    return new WalRecord.FloatHistogramSamples(custom, baseRef, baseTime, out);
  }

  private static List<RefHistogramSample> histogramsV2(DataReader r)
      throws CorruptFormatException {
    List<RefHistogramSample> out = new ArrayList<>();
    if (!r.hasRemaining()) {
      return out;
    }
    long ref = r.varint();
    long firstT = r.varint();
    long firstSt = r.varint();
    out.add(new RefHistogramSample(ref, firstSt, firstT, HistogramCodec.decodeHistogram(r)));
    long prevSt = firstSt;
    while (r.hasRemaining()) {
      ref += r.varint();
      long t = firstT + r.varint();
      long st = st(r, prevSt, firstSt);
      out.add(new RefHistogramSample(ref, st, t, HistogramCodec.decodeHistogram(r)));
      prevSt = st;
    }
    return out;
  }

  private static List<RefFloatHistogramSample> floatHistogramsV2(DataReader r)
      throws CorruptFormatException {
    List<RefFloatHistogramSample> out = new ArrayList<>();
    if (!r.hasRemaining()) {
      return out;
    }
    long ref = r.varint();
    long firstT = r.varint();
    long firstSt = r.varint();
    out.add(
        new RefFloatHistogramSample(ref, firstSt, firstT, HistogramCodec.decodeFloatHistogram(r)));
    long prevSt = firstSt;
    while (r.hasRemaining()) {
      ref += r.varint();
      long t = firstT + r.varint();
      long st = st(r, prevSt, firstSt);
      out.add(
          new RefFloatHistogramSample(ref, st, t, HistogramCodec.decodeFloatHistogram(r)));
      prevSt = st;
    }
    return out;
  }

  // ---- encoding ----------------------------------------------------------------------

  /** The bytes of {@code record}. */
  public static byte[] encode(WalRecord record) {
    DataWriter w = new DataWriter(64);
    encode(record, w);
    return w.toByteArray();
  }

  /** Appends the bytes of {@code record} to {@code w}. */
  public static void encode(WalRecord record, DataWriter w) {
    w.u8(record.type().code());
    if (record instanceof WalRecord.Series s) {
      for (RefSeries e : s.series()) {
        w.be64(e.ref());
        encodeLabels(w, e.labels());
      }
    } else if (record instanceof WalRecord.Samples s) {
      if (!s.samples().isEmpty()) {
        w.be64(s.baseRef()).be64(s.baseTime());
        for (RefSample e : s.samples()) {
          w.varint(e.ref() - s.baseRef()).varint(e.t() - s.baseTime()).be64Double(e.v());
        }
      }
    } else if (record instanceof WalRecord.SamplesV2 s) {
      List<RefSample> l = s.samples();
      if (!l.isEmpty()) {
        RefSample first = l.get(0);
        w.varint(first.ref()).varint(first.t()).varint(first.st()).be64Double(first.v());
        for (int i = 1; i < l.size(); i++) {
          RefSample e = l.get(i);
          RefSample prev = l.get(i - 1);
          w.varint(e.ref() - prev.ref()).varint(e.t() - first.t());
          putSt(w, e.st(), first.st(), prev.st());
          w.be64Double(e.v());
        }
      }
    } else if (record instanceof WalRecord.Tombstones s) {
      for (RefTombstone e : s.tombstones()) {
        w.be64(e.ref()).varint(e.mint()).varint(e.maxt());
      }
    } else if (record instanceof WalRecord.Exemplars s) {
      if (!s.exemplars().isEmpty()) {
        w.be64(s.baseRef()).be64(s.baseTime());
        encodeExemplarEntries(w, s.baseRef(), s.baseTime(), s.exemplars());
      }
    } else if (record instanceof WalRecord.MmapMarkers s) {
      for (RefMmapMarker e : s.markers()) {
        w.be64(e.ref()).be64(e.mmapRef());
      }
    } else if (record instanceof WalRecord.Metadata s) {
      for (RefMetadata e : s.metadata()) {
        w.uvarint(e.ref()).u8(e.type()).uvarint(2);
        w.uvarintString("UNIT").uvarintString(e.unit());
        w.uvarintString("HELP").uvarintString(e.help());
      }
    } else if (record instanceof WalRecord.HistogramSamples s) {
      if (!s.histograms().isEmpty()) {
        w.be64(s.baseRef()).be64(s.baseTime());
        for (RefHistogramSample e : s.histograms()) {
          w.varint(e.ref() - s.baseRef()).varint(e.t() - s.baseTime());
          HistogramCodec.encode(w, e.h());
        }
      }
    } else if (record instanceof WalRecord.FloatHistogramSamples s) {
      if (!s.histograms().isEmpty()) {
        w.be64(s.baseRef()).be64(s.baseTime());
        for (RefFloatHistogramSample e : s.histograms()) {
          w.varint(e.ref() - s.baseRef()).varint(e.t() - s.baseTime());
          HistogramCodec.encode(w, e.fh());
        }
      }
    } else if (record instanceof WalRecord.HistogramSamplesV2 s) {
      List<RefHistogramSample> l = s.histograms();
      for (int i = 0; i < l.size(); i++) {
        RefHistogramSample e = l.get(i);
        RefHistogramSample first = l.get(0);
        if (i == 0) {
          w.varint(e.ref()).varint(e.t()).varint(e.st());
        } else {
          RefHistogramSample prev = l.get(i - 1);
          w.varint(e.ref() - prev.ref()).varint(e.t() - first.t());
          putSt(w, e.st(), first.st(), prev.st());
        }
        HistogramCodec.encode(w, e.h());
      }
    } else if (record instanceof WalRecord.FloatHistogramSamplesV2 s) {
      List<RefFloatHistogramSample> l = s.histograms();
      for (int i = 0; i < l.size(); i++) {
        RefFloatHistogramSample e = l.get(i);
        RefFloatHistogramSample first = l.get(0);
        if (i == 0) {
          w.varint(e.ref()).varint(e.t()).varint(e.st());
        } else {
          RefFloatHistogramSample prev = l.get(i - 1);
          w.varint(e.ref() - prev.ref()).varint(e.t() - first.t());
          putSt(w, e.st(), first.st(), prev.st());
        }
        HistogramCodec.encode(w, e.fh());
      }
    }
  }

  /** Go's {@code writeSTMarker}: 0 first, then "same as previous", else explicit. */
  static void putSt(DataWriter w, long st, long firstSt, long prevSt) {
    if (st == 0) {
      w.u8(ST_NONE);
    } else if (st == prevSt) {
      w.u8(ST_SAME);
    } else {
      w.u8(ST_EXPLICIT).varint(st - firstSt);
    }
  }

  /** Go's {@code EncodeLabels}. */
  public static void encodeLabels(DataWriter w, Labels labels) {
    w.uvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      w.uvarintString(labels.name(i));
      w.uvarintString(labels.value(i));
    }
  }

  static void encodeExemplarEntries(
      DataWriter w, long baseRef, long baseTime, List<RefExemplar> exemplars) {
    for (RefExemplar e : exemplars) {
      w.varint(e.ref() - baseRef).varint(e.t() - baseTime).be64Double(e.v());
      encodeLabels(w, e.labels());
    }
  }
}
