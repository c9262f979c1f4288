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
 * Decodes a float histogram chunk (encoding 3) or its start-timestamp variant (encoding 6); see
 * {@link FloatHistogramAppender} for the layout. Counts are kept as IEEE-754 bits; the typed
 * accessors allocate nothing.
 */
public final class FloatHistogramIterator implements ChunkIterator {
  private final BitReader br = new BitReader();
  private ChunkEncoding encoding = ChunkEncoding.FLOAT_HISTOGRAM;
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
  private long cntBits;
  private int cntWindow;
  private long zCntBits;
  private int zCntWindow;
  private long sumBits;
  private int sumWindow;
  private int numP;
  private int numN;
  private long[] pBuckets = new long[0];
  private long[] nBuckets = new long[0];
  private int[] pWindows = new int[0];
  private int[] nWindows = new int[0];

  private boolean firstSTKnown;
  private int firstSTChangeOn;
  private long st;
  private long stDiff;
  private long chunkStartBit;

  public FloatHistogramIterator() {}

  /** Starts over on {@code chunk}, which must be a FLOAT_HISTOGRAM or FLOAT_HISTOGRAM_ST chunk. */
  public void reset(Chunk chunk) {
    ChunkEncoding e = chunk.encoding();
    if (e != ChunkEncoding.FLOAT_HISTOGRAM && e != ChunkEncoding.FLOAT_HISTOGRAM_ST) {
      throw new IllegalArgumentException("not a float histogram chunk: " + e);
    }
    encoding = e;
    stMode = e == ChunkEncoding.FLOAT_HISTOGRAM_ST;
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
    cntBits = 0;
    zCntBits = 0;
    sumBits = 0;
    cntWindow = 0;
    zCntWindow = 0;
    sumWindow = 0;
    numP = 0;
    numN = 0;
    st = 0;
    stDiff = 0;
  }

  @Override
  public ChunkEncoding encoding() {
    return encoding;
  }

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
        cntBits = r.readXor(cntBits, cntWindow);
        cntWindow = r.window;
        zCntBits = r.readXor(zCntBits, zCntWindow);
        zCntWindow = r.window;
        sumBits = r.readXor(sumBits, sumWindow);
        sumWindow = r.window;
        if (sumBits != Values.STALE_NAN_BITS) {
          readBuckets(r, pBuckets, pWindows, numP);
          readBuckets(r, nBuckets, nWindows, numN);
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
    return ValueType.FLOAT_HISTOGRAM;
  }

  private static void readBuckets(BitReader r, long[] buckets, int[] windows, int count)
      throws CorruptFormatException {
    r.readXorBuckets(buckets, windows, count);
  }

  private void readFirst(BitReader r) throws CorruptFormatException {
    long start = r.position();
    HistogramLayout.Layout layout = HistogramLayout.read(r);
    long p = HistogramLayout.countBuckets(layout.positive());
    long q = HistogramLayout.countBuckets(layout.negative());
    // Every bucket of the first sample takes 64 bits.
    if (p + q > Math.max(0, r.remainingBits()) / 64) {
      throw r.corruptAt(start, "layout of " + (p + q) + " buckets exceeds what the remaining "
          + Math.max(0, r.remainingBits()) + " bits can hold");
    }
    HistogramIterator.checkReducible(r, start, layout.schema(), layout.positive(), layout.negative());
    schema = layout.schema();
    zeroThreshold = layout.zeroThreshold();
    pSpans = layout.positive();
    nSpans = layout.negative();
    customValues = layout.customValues();
    numP = (int) p;
    numN = (int) q;
    if (pBuckets.length < numP) {
      pBuckets = new long[numP];
      pWindows = new int[numP];
    }
    if (nBuckets.length < numN) {
      nBuckets = new long[numN];
      nWindows = new int[numN];
    }
    Arrays.fill(pWindows, 0, numP, 0);
    Arrays.fill(nWindows, 0, numN, 0);
    t = r.readVarbitInt();
    cntBits = r.readBits(64);
    zCntBits = r.readBits(64);
    sumBits = r.readBits(64);
    for (int i = 0; i < numP; i++) {
      pBuckets[i] = r.readBits(64);
    }
    for (int i = 0; i < numN; i++) {
      nBuckets[i] = r.readBits(64);
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
    return ValueType.FLOAT_HISTOGRAM;
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

  public boolean isStale() {
    return sumBits == Values.STALE_NAN_BITS;
  }

  public double count() {
    return Double.longBitsToDouble(cntBits);
  }

  public double zeroCount() {
    return Double.longBitsToDouble(zCntBits);
  }

  public double sum() {
    return Double.longBitsToDouble(sumBits);
  }

  public long countBits() {
    return cntBits;
  }

  public long zeroCountBits() {
    return zCntBits;
  }

  public long sumBits() {
    return sumBits;
  }

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

  /** The absolute count of positive bucket {@code i}. */
  public double positiveBucket(int i) {
    if (i < 0 || i >= numP) {
      throw new IndexOutOfBoundsException("bucket " + i + " of " + numP);
    }
    return Double.longBitsToDouble(pBuckets[i]);
  }

  public double negativeBucket(int i) {
    if (i < 0 || i >= numN) {
      throw new IndexOutOfBoundsException("bucket " + i + " of " + numN);
    }
    return Double.longBitsToDouble(nBuckets[i]);
  }

  /** Copies the absolute positive bucket counts into {@code dst}; returns their number. */
  public int copyPositiveBuckets(double[] dst) {
    for (int i = 0; i < numP; i++) {
      dst[i] = Double.longBitsToDouble(pBuckets[i]);
    }
    return numP;
  }

  public int copyNegativeBuckets(double[] dst) {
    for (int i = 0; i < numN; i++) {
      dst[i] = Double.longBitsToDouble(nBuckets[i]);
    }
    return numN;
  }

  public Span[] positiveSpans() {
    return pSpans.clone();
  }

  public Span[] negativeSpans() {
    return nSpans.clone();
  }

  /** The current sample (Go's {@code AtFloatHistogram}). */
  public FloatHistogram atFloatHistogram() {
    if (sumBits == Values.STALE_NAN_BITS) {
      return FloatHistogram.builder().sum(Values.STALE_NAN).build();
    }
    double[] pb = toDoubles(pBuckets, numP);
    double[] nb = toDoubles(nBuckets, numN);
    FloatHistogram.Builder b =
        FloatHistogram.builder()
            .counterResetHint(header.hintAt(numRead))
            .schema(schema)
            .zeroThreshold(zeroThreshold)
            .zeroCount(Double.longBitsToDouble(zCntBits))
            .count(Double.longBitsToDouble(cntBits))
            .sum(Double.longBitsToDouble(sumBits))
            .customValues(customValues);
    if (Resolution.needsReduction(schema)) {
      Resolution.Reduced p =
          Resolution.reduce(pSpans, null, pb, numP, schema, Histogram.EXPONENTIAL_SCHEMA_MAX);
      Resolution.Reduced q =
          Resolution.reduce(nSpans, null, nb, numN, schema, Histogram.EXPONENTIAL_SCHEMA_MAX);
      return b.schema(Histogram.EXPONENTIAL_SCHEMA_MAX)
          .positiveSpans(p.spans())
          .positiveBuckets(p.absolute())
          .negativeSpans(q.spans())
          .negativeBuckets(q.absolute())
          .build();
    }
    return b.positiveSpans(pSpans)
        .negativeSpans(nSpans)
        .positiveBuckets(pb)
        .negativeBuckets(nb)
        .build();
  }

  private static double[] toDoubles(long[] bits, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = Double.longBitsToDouble(bits[i]);
    }
    return out;
  }

  @Override
  public Sample at() {
    return new Sample.FloatHistogramSample(t, st, atFloatHistogram());
  }

  // State for FloatHistogramAppender.resume and recode.

  long tDelta() {
    return tDelta;
  }

  int cntWindow() {
    return cntWindow;
  }

  int zCntWindow() {
    return zCntWindow;
  }

  int sumWindow() {
    return sumWindow;
  }

  long[] rawPositiveBuckets() {
    return Arrays.copyOf(pBuckets, numP);
  }

  long[] rawNegativeBuckets() {
    return Arrays.copyOf(nBuckets, numN);
  }

  int[] rawPositiveWindows() {
    return Arrays.copyOf(pWindows, numP);
  }

  int[] rawNegativeWindows() {
    return Arrays.copyOf(nWindows, numN);
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
