package io.promtsdb.wal;

import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.DataReader;
import io.promtsdb.core.DataWriter;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Span;

/**
 * The histogram encodings shared by WAL records and memory snapshots ({@code
 * record.EncodeHistogram}, {@code EncodeFloatHistogram}):
 *
 * <pre>
 * H:  u8 hint | varint schema | BE64 zero_threshold | uvarint zero_count | uvarint count
 *     | BE64 sum | spans(+) | spans(-) | uvarint n, n x varint bucket delta (+) | same (-)
 *     | [schema -53: uvarint n, n x BE64 custom bound]
 * FH: u8 hint | varint schema | BE64 zero_threshold | BE64 zero_count | BE64 count | BE64 sum
 *     | spans(+) | spans(-) | uvarint n, n x BE64 bucket (+) | same (-) | [custom bounds]
 * spans: uvarint n, n x (varint offset, uvarint length)
 * </pre>
 *
 * The hint byte uses the WAL numbering ({@link CounterResetHint#code()}). Histograms are
 * decoded as they are, whatever their schema: Prometheus' replay skips unknown schemas and
 * reduces schemas above 8, which is the engine's business, not the codec's.
 */
public final class HistogramCodec {
  private HistogramCodec() {}

  public static void encode(DataWriter w, Histogram h) {
    w.u8(h.counterResetHint().code());
    w.varint(h.schema());
    w.be64Double(h.zeroThreshold());
    w.uvarint(h.zeroCount());
    w.uvarint(h.count());
    w.be64Double(h.sum());
    putSpans(w, h.positiveSpanCount(), h::positiveSpan);
    putSpans(w, h.negativeSpanCount(), h::negativeSpan);
    w.uvarint(h.positiveBucketCount());
    for (int i = 0; i < h.positiveBucketCount(); i++) {
      w.varint(h.positiveBucket(i));
    }
    w.uvarint(h.negativeBucketCount());
    for (int i = 0; i < h.negativeBucketCount(); i++) {
      w.varint(h.negativeBucket(i));
    }
    if (Histogram.isCustomBucketsSchema(h.schema())) {
      w.uvarint(h.customValueCount());
      for (int i = 0; i < h.customValueCount(); i++) {
        w.be64Double(h.customValue(i));
      }
    }
  }

  public static void encode(DataWriter w, FloatHistogram h) {
    w.u8(h.counterResetHint().code());
    w.varint(h.schema());
    w.be64Double(h.zeroThreshold());
    w.be64Double(h.zeroCount());
    w.be64Double(h.count());
    w.be64Double(h.sum());
    putSpans(w, h.positiveSpanCount(), h::positiveSpan);
    putSpans(w, h.negativeSpanCount(), h::negativeSpan);
    w.uvarint(h.positiveBucketCount());
    for (int i = 0; i < h.positiveBucketCount(); i++) {
      w.be64Double(h.positiveBucket(i));
    }
    w.uvarint(h.negativeBucketCount());
    for (int i = 0; i < h.negativeBucketCount(); i++) {
      w.be64Double(h.negativeBucket(i));
    }
    if (Histogram.isCustomBucketsSchema(h.schema())) {
      w.uvarint(h.customValueCount());
      for (int i = 0; i < h.customValueCount(); i++) {
        w.be64Double(h.customValue(i));
      }
    }
  }

  private interface SpanAt {
    Span at(int i);
  }

  private static void putSpans(DataWriter w, int n, SpanAt spans) {
    w.uvarint(n);
    for (int i = 0; i < n; i++) {
      Span s = spans.at(i);
      w.varint(s.offset());
      w.uvarint(s.length() & 0xFFFFFFFFL);
    }
  }

  public static Histogram decodeHistogram(DataReader r) throws CorruptFormatException {
    Histogram.Builder b = Histogram.builder();
    b.counterResetHint(hint(r));
    int schema = schema(r);
    b.schema(schema);
    b.zeroThreshold(r.be64Double());
    b.zeroCount(r.uvarint());
    b.count(r.uvarint());
    b.sum(r.be64Double());
    b.positiveSpans(spans(r, "positive spans"));
    b.negativeSpans(spans(r, "negative spans"));
    int n = r.uvarintCount(1, "positive buckets");
    long[] pos = new long[n];
    for (int i = 0; i < n; i++) {
      pos[i] = r.varint();
    }
    b.positiveBuckets(pos);
    n = r.uvarintCount(1, "negative buckets");
    long[] neg = new long[n];
    for (int i = 0; i < n; i++) {
      neg[i] = r.varint();
    }
    b.negativeBuckets(neg);
    if (Histogram.isCustomBucketsSchema(schema)) {
      b.customValues(floats(r, "custom values"));
    }
    return b.build();
  }

  public static FloatHistogram decodeFloatHistogram(DataReader r) throws CorruptFormatException {
    FloatHistogram.Builder b = FloatHistogram.builder();
    b.counterResetHint(hint(r));
    int schema = schema(r);
    b.schema(schema);
    b.zeroThreshold(r.be64Double());
    b.zeroCount(r.be64Double());
    b.count(r.be64Double());
    b.sum(r.be64Double());
    b.positiveSpans(spans(r, "positive spans"));
    b.negativeSpans(spans(r, "negative spans"));
    b.positiveBuckets(floats(r, "positive buckets"));
    b.negativeBuckets(floats(r, "negative buckets"));
    if (Histogram.isCustomBucketsSchema(schema)) {
      b.customValues(floats(r, "custom values"));
    }
    return b.build();
  }

  private static CounterResetHint hint(DataReader r) throws CorruptFormatException {
    long at = r.position();
    int code = r.u8();
    CounterResetHint hint = CounterResetHint.fromCode(code);
    if (hint == null) {
      throw r.mismatchAt(at, "histogram counter reset hint", code, "0..3");
    }
    return hint;
  }

  private static int schema(DataReader r) throws CorruptFormatException {
    long at = r.position();
    long schema = r.varint();
    if (schema != (int) schema) {
      throw r.mismatchAt(at, "histogram schema", schema, "an int32");
    }
    return (int) schema;
  }

  private static Span[] spans(DataReader r, String what) throws CorruptFormatException {
    int n = r.uvarintCount(2, what);
    Span[] spans = new Span[n];
    for (int i = 0; i < n; i++) {
      long at = r.position();
      long offset = r.varint();
      if (offset != (int) offset) {
        throw r.mismatchAt(at, what + " offset", offset, "an int32");
      }
      at = r.position();
      long length = r.uvarint32();
      if (length > Integer.MAX_VALUE) {
        throw r.mismatchAt(at, what + " length", length, "<= " + Integer.MAX_VALUE);
      }
      spans[i] = new Span((int) offset, (int) length);
    }
    return spans;
  }

  private static double[] floats(DataReader r, String what) throws CorruptFormatException {
    int n = r.uvarintCount(8, what);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = r.be64Double();
    }
    return out;
  }
}
