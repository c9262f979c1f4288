package io.promtsdb.chunks;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Sample;
import io.promtsdb.core.Span;
import io.promtsdb.core.Values;
import java.util.Arrays;

/**
 * Decodes an integer histogram chunk (encoding 2) or its start-timestamp variant (encoding 5);
 * see {@link HistogramAppender} for the layout.
 *
 * <p>The typed accessors ({@link #count()}, {@link #positiveBucket(int)}, ...) read the
 * iterator's own buffers and allocate nothing; {@link #atHistogram()} and
 * {@link #atFloatHistogram()} materialise immutable values. As in Go, histograms of the
 * reserved schemas 9 to 52 are reduced to schema 8 when materialised, and a stale sample
 * materialises as a histogram whose only field is the stale-marker sum.
 */
public final class HistogramIterator implements ChunkIterator {
  private final BitReader br = new BitReader();
  private ChunkEncoding encoding = ChunkEncoding.HISTOGRAM;
  private boolean stMode;
  private int numTotal;
  private int numRead;
  private CounterResetHeader header = CounterResetHeader.UNKNOWN;

  private int schema;
  private double zeroThreshold;
  private Span[] pSpans = HistogramLayout.NO_SPANS;
  private Span[] nSpans = HistogramLayout.NO_SPANS;
  private double[] customValues = HistogramLayout.NO_VALUES;

  private long t;
  private long tDelta;
  private long cnt;
  private long cntDelta;
  private long zCnt;
  private long zCntDelta;
  private long sumBits;
  private int window;
  private int numP;
  private int numN;
  private long[] pBuckets = new long[0];
  private long[] nBuckets = new long[0];
  private long[] pDeltas = new long[0];
  private long[] nDeltas = new long[0];

  private boolean firstSTKnown;
  private int firstSTChangeOn;
  private long st;
  private long stDiff;
  private long chunkStartBit;

  public HistogramIterator() {}

  /** Starts over on {@code chunk}, which must be a HISTOGRAM or HISTOGRAM_ST chunk. */
  public void reset(Chunk chunk) {
    ChunkEncoding e = chunk.encoding();
    if (e != ChunkEncoding.HISTOGRAM && e != ChunkEncoding.HISTOGRAM_ST) {
      throw new IllegalArgumentException("not an integer histogram chunk: " + e);
    }
    encoding = e;
    stMode = e == ChunkEncoding.HISTOGRAM_ST;
    byte[] a = chunk.array();
    int off = chunk.offset();
    br.reset(a, off, off + HistogramLayout.HEADER_BYTES, off + chunk.length(), chunk.resource(), chunk.origin());
    chunkStartBit = (long) off << 3;
    int word = BigEndian.getUnsignedShort(a, off);
    if (stMode) {
      numTotal = word & HistogramLayout.ST_SAMPLE_COUNT_MASK;
      header = CounterResetHeader.fromByte(a[off]);
      int stHeader = a[off + 2] & 0xFF;
      firstSTKnown = (stHeader & 0x80) != 0;
      firstSTChangeOn = stHeader & 0x7F;
    } else {
      numTotal = word;
      header = CounterResetHeader.fromByte(a[off + 2]);
      firstSTKnown = false;
      firstSTChangeOn = 0;
    }
    numRead = 0;
    t = 0;
    tDelta = 0;
    cnt = 0;
    cntDelta = 0;
    zCnt = 0;
    zCntDelta = 0;
    sumBits = 0;
    window = 0;
    numP = 0;
    numN = 0;
    st = 0;
    stDiff = 0;
  }

  @Override
  public ChunkEncoding encoding() {
    return encoding;
  }

  /** The chunk's counter-reset header. */
  public CounterResetHeader counterResetHeader() {
    return header;
  }

  @Override
  public ValueType next() throws CorruptFormatException {
    int n = numRead;
    if (n >= numTotal) {
      return ValueType.NONE;
    }
    BitReader r = br;
    long start = r.position();
    long prevT = t;
    try {
      if (n == 0) {
        readFirst(r);
      } else {
        tDelta += r.readVarbitInt();
        t += tDelta;
        cntDelta += r.readVarbitInt();
        cnt += cntDelta;
        zCntDelta += r.readVarbitInt();
        zCnt += zCntDelta;
        sumBits = r.readXor(sumBits, window);
        window = r.window;
        if (sumBits != Values.STALE_NAN_BITS) {
          r.readBucketDods(pBuckets, pDeltas, numP);
          r.readBucketDods(nBuckets, nDeltas, numN);
        }
      }
      if (stMode) {
        readST(r, n, prevT);
      }
    } catch (CorruptFormatException e) {
      numRead = numTotal;
      throw e;
    }
    if (r.overrun()) {
      numRead = numTotal;
      throw r.overrunError(start, n, numTotal);
    }
    numRead = n + 1;
    return ValueType.HISTOGRAM;
  }

  private void readFirst(BitReader r) throws CorruptFormatException {
    long start = r.position();
    HistogramLayout.Layout layout = HistogramLayout.read(r);
    long p = HistogramLayout.countBuckets(layout.positive());
    long q = HistogramLayout.countBuckets(layout.negative());
    // Every bucket of the first sample takes at least one bit.
    if (p + q > Math.max(0, r.remainingBits())) {
      throw r.corruptAt(start, "layout of " + (p + q) + " buckets exceeds what the remaining "
          + Math.max(0, r.remainingBits()) + " bits can hold");
    }
    checkReducible(r, start, layout.schema(), layout.positive(), layout.negative());
    schema = layout.schema();
    zeroThreshold = layout.zeroThreshold();
    pSpans = layout.positive();
    nSpans = layout.negative();
    customValues = layout.customValues();
    numP = (int) p;
    numN = (int) q;
    if (pBuckets.length < numP) {
      pBuckets = new long[numP];
      pDeltas = new long[numP];
    }
    if (nBuckets.length < numN) {
      nBuckets = new long[numN];
      nDeltas = new long[numN];
    }
    Arrays.fill(pDeltas, 0, numP, 0);
    Arrays.fill(nDeltas, 0, numN, 0);
    t = r.readVarbitInt();
    cnt = r.readVarbitUint();
    zCnt = r.readVarbitUint();
    sumBits = r.readBits(64);
    for (int i = 0; i < numP; i++) {
      pBuckets[i] = r.readVarbitInt();
    }
    for (int i = 0; i < numN; i++) {
      nBuckets[i] = r.readVarbitInt();
    }
  }

  /** Spans of reserved schemas must be reducible: only the first span may have a negative offset. */
  static void checkReducible(BitReader r, long at, int schema, Span[] pos, Span[] neg)
      throws CorruptFormatException {
    if (!Resolution.needsReduction(schema)) {
      return;
    }
    for (Span[] spans : new Span[][] {pos, neg}) {
      for (int i = 1; i < spans.length; i++) {
        if (spans[i].offset() < 0) {
          throw r.corruptAt(at, "span number " + (i + 1) + " with offset " + spans[i].offset()
              + ": histogram has a span whose offset is negative");
        }
      }
    }
  }

  private void readST(BitReader r, int n, long prevT) throws CorruptFormatException {
    if (n == 0) {
      if (firstSTKnown) {
        stDiff = r.readVarint("first start timestamp");
        st = t - stDiff;
      }
    } else if (n == 1) {
      if (firstSTChangeOn == 1) {
        stDiff = r.readVarbitInt();
        st = prevT - stDiff;
      }
    } else if (firstSTChangeOn > 0 && n >= firstSTChangeOn) {
      long sdod = r.readVarbitInt();
      stDiff = n == firstSTChangeOn ? sdod : stDiff + sdod;
      st = prevT - stDiff;
    }
  }

  @Override
  public ValueType seek(long ts) throws CorruptFormatException {
    while (ts > t || numRead == 0) {
      if (next() == ValueType.NONE) {
        return ValueType.NONE;
      }
    }
    return ValueType.HISTOGRAM;
  }

  @Override
  public long atT() {
    return t;
  }

  @Override
  public long atST() {
    return st;
  }

  @Override
  public int samplesRead() {
    return numRead;
  }

  /** Whether the current sample is a staleness marker. */
  public boolean isStale() {
    return sumBits == Values.STALE_NAN_BITS;
  }

  /** Observation count (uint64 bits). */
  public long count() {
    return cnt;
  }

  /** Zero bucket count (uint64 bits). */
  public long zeroCount() {
    return zCnt;
  }

  public double sum() {
    return Double.longBitsToDouble(sumBits);
  }

  public long sumBits() {
    return sumBits;
  }

  /** The schema as stored (not reduced). */
  public int schema() {
    return schema;
  }

  public double zeroThreshold() {
    return zeroThreshold;
  }

  public int positiveBucketCount() {
    return numP;
  }

  public int negativeBucketCount() {
    return numN;
  }

  /** Positive bucket {@code i} as stored: absolute for 0, else the delta to bucket i-1. */
  public long positiveBucket(int i) {
    return pBuckets[checkIndex(i, numP)];
  }

  public long negativeBucket(int i) {
    return nBuckets[checkIndex(i, numN)];
  }

  /** Copies the delta-encoded positive buckets into {@code dst}; returns their number. */
  public int copyPositiveBuckets(long[] dst) {
    System.arraycopy(pBuckets, 0, dst, 0, numP);
    return numP;
  }

  public int copyNegativeBuckets(long[] dst) {
    System.arraycopy(nBuckets, 0, dst, 0, numN);
    return numN;
  }

  /** The chunk's positive spans (shared by all samples; do not modify). */
  public Span[] positiveSpans() {
    return pSpans.clone();
  }

  public Span[] negativeSpans() {
    return nSpans.clone();
  }

  private static int checkIndex(int i, int n) {
    if (i < 0 || i >= n) {
      throw new IndexOutOfBoundsException("bucket " + i + " of " + n);
    }
    return i;
  }

  /** The current sample as an integer histogram (Go's {@code AtHistogram}). */
  public Histogram atHistogram() {
    if (sumBits == Values.STALE_NAN_BITS) {
      return Histogram.builder().sum(Values.STALE_NAN).build();
    }
    Histogram.Builder b =
        Histogram.builder()
            .counterResetHint(header.hintAt(numRead))
            .schema(schema)
            .zeroThreshold(zeroThreshold)
            .zeroCount(zCnt)
            .count(cnt)
            .sum(Double.longBitsToDouble(sumBits))
            .customValues(customValues);
    if (Resolution.needsReduction(schema)) {
      Resolution.Reduced p =
          Resolution.reduce(pSpans, pBuckets, null, numP, schema, Histogram.EXPONENTIAL_SCHEMA_MAX);
      Resolution.Reduced q =
          Resolution.reduce(nSpans, nBuckets, null, numN, schema, Histogram.EXPONENTIAL_SCHEMA_MAX);
      return b.schema(Histogram.EXPONENTIAL_SCHEMA_MAX)
          .positiveSpans(p.spans())
          .positiveBuckets(p.deltas())
          .negativeSpans(q.spans())
          .negativeBuckets(q.deltas())
          .build();
    }
    return b.positiveSpans(pSpans)
        .negativeSpans(nSpans)
        .positiveBuckets(Arrays.copyOf(pBuckets, numP))
        .negativeBuckets(Arrays.copyOf(nBuckets, numN))
        .build();
  }

  /**
   * The current sample as a float histogram (Go's {@code AtFloatHistogram} on an integer
   * chunk): counts converted from uint64, bucket counts made absolute by summing the int64
   * deltas before converting.
   */
  public FloatHistogram atFloatHistogram() {
    if (sumBits == Values.STALE_NAN_BITS) {
      return FloatHistogram.builder().sum(Values.STALE_NAN).build();
    }
    double[] pAbs = cumulate(pBuckets, numP);
    double[] nAbs = cumulate(nBuckets, numN);
    FloatHistogram.Builder b =
        FloatHistogram.builder()
            .counterResetHint(header.hintAt(numRead))
            .schema(schema)
            .zeroThreshold(zeroThreshold)
            .zeroCount(HistogramLayout.unsignedToDouble(zCnt))
            .count(HistogramLayout.unsignedToDouble(cnt))
            .sum(Double.longBitsToDouble(sumBits))
            .customValues(customValues);
    if (Resolution.needsReduction(schema)) {
      Resolution.Reduced p =
          Resolution.reduce(pSpans, null, pAbs, numP, schema, Histogram.EXPONENTIAL_SCHEMA_MAX);
      Resolution.Reduced q =
          Resolution.reduce(nSpans, null, nAbs, numN, schema, Histogram.EXPONENTIAL_SCHEMA_MAX);
      return b.schema(Histogram.EXPONENTIAL_SCHEMA_MAX)
          .positiveSpans(p.spans())
          .positiveBuckets(p.absolute())
          .negativeSpans(q.spans())
          .negativeBuckets(q.absolute())
          .build();
    }
    return b.positiveSpans(pSpans)
        .negativeSpans(nSpans)
        .positiveBuckets(pAbs)
        .negativeBuckets(nAbs)
        .build();
  }

  private static double[] cumulate(long[] deltas, int n) {
    double[] out = new double[n];
    long current = 0;
    for (int i = 0; i < n; i++) {
      current += deltas[i];
      out[i] = current;
    }
    return out;
  }

  @Override
  public Sample at() {
    return new Sample.HistogramSample(t, st, atHistogram());
  }

  // State for HistogramAppender.resume.

  long tDelta() {
    return tDelta;
  }

  long cntDelta() {
    return cntDelta;
  }

  long zCntDelta() {
    return zCntDelta;
  }

  int window() {
    return window;
  }

  long[] rawPositiveBuckets() {
    return Arrays.copyOf(pBuckets, numP);
  }

  long[] rawNegativeBuckets() {
    return Arrays.copyOf(nBuckets, numN);
  }

  long[] rawPositiveDeltas() {
    return Arrays.copyOf(pDeltas, numP);
  }

  long[] rawNegativeDeltas() {
    return Arrays.copyOf(nDeltas, numN);
  }

  Span[] rawPositiveSpans() {
    return pSpans;
  }

  Span[] rawNegativeSpans() {
    return nSpans;
  }

  double[] rawCustomValues() {
    return customValues;
  }

  long stDiff() {
    return stDiff;
  }

  boolean firstSTKnown() {
    return firstSTKnown;
  }

  int firstSTChangeOn() {
    return firstSTChangeOn;
  }

  long bitPosition() {
    return br.position() - chunkStartBit;
  }
}
