package io.promtsdb.chunks;

import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Span;
import io.promtsdb.core.Values;
import java.util.Arrays;
import java.util.List;

/**
 * Writes float histogram chunks (encoding 3, and with start timestamps encoding 6), byte for
 * byte and decision for decision as Go's {@code FloatHistogramAppender} and
 * {@code FloatHistogramSTAppender}.
 *
 * <pre>
 * header      as for integer histograms (HistogramAppender), then the layout
 * sample 0    &lt;varbit_int&gt; t, then 64 raw bits each: count, zero count, sum, every positive
 *             and every negative bucket (absolute counts)
 * sample n    &lt;varbit_int&gt; delta-of-delta of t, then &lt;varbit_xor&gt; of count, zero count, sum
 *             and each bucket against the same field of the previous sample, each field with
 *             its own leading/trailing window; a stale sum ends the sample
 * [ST]        encoding 6: the sample's start-timestamp data
 * </pre>
 */
public final class FloatHistogramAppender {
  private final ChunkEncoding encoding;
  private final boolean stMode;
  private final WriterFlavor flavor;
  private final BitWriter w;
  private final StEncoder stEncoder = new StEncoder();
  private int num;
  private final AppendResult<FloatHistogramAppender> appended = AppendResult.appended(this);

  private int schema;
  private double zThreshold;
  private Span[] pSpans = HistogramLayout.NO_SPANS;
  private Span[] nSpans = HistogramLayout.NO_SPANS;
  private double[] customValues = HistogramLayout.NO_VALUES;

  private long t = Long.MIN_VALUE;
  private long tDelta;
  private long cntBits;
  private int cntWindow = Varbit.WINDOW_UNSET;
  private long zCntBits;
  private int zCntWindow = Varbit.WINDOW_UNSET;
  private long sumBits;
  private int sumWindow = Varbit.WINDOW_UNSET;
  private long[] pBuckets = new long[0];
  private long[] nBuckets = new long[0];
  private int[] pWindows = new int[0];
  private int[] nWindows = new int[0];

  private FloatHistogramAppender(ChunkEncoding encoding, WriterFlavor flavor) {
    if (encoding != ChunkEncoding.FLOAT_HISTOGRAM && encoding != ChunkEncoding.FLOAT_HISTOGRAM_ST) {
      throw new IllegalArgumentException("not a float histogram encoding: " + encoding);
    }
    if (encoding == ChunkEncoding.FLOAT_HISTOGRAM_ST && flavor == WriterFlavor.PROMETHEUS_2) {
      throw new IllegalArgumentException("Prometheus 2.x has no " + encoding + " chunks");
    }
    this.encoding = encoding;
    this.stMode = encoding == ChunkEncoding.FLOAT_HISTOGRAM_ST;
    this.flavor = flavor;
    this.w = new BitWriter(HistogramLayout.HEADER_BYTES, 128, flavor);
  }

  public static FloatHistogramAppender create(ChunkEncoding encoding) {
    return new FloatHistogramAppender(encoding, WriterFlavor.PROMETHEUS_3);
  }

  public static FloatHistogramAppender create(ChunkEncoding encoding, WriterFlavor flavor) {
    return new FloatHistogramAppender(encoding, flavor);
  }

  /** {@link #resume(Chunk, WriterFlavor)} with Prometheus 3.x bytes. */
  public static FloatHistogramAppender resume(Chunk chunk) throws CorruptFormatException {
    return resume(chunk, WriterFlavor.PROMETHEUS_3);
  }

  /**
   * An appender continuing {@code chunk}, state rebuilt by decoding it; writing resumes at the
   * exact bit after the last sample (see {@link HistogramAppender#resume}).
   */
  public static FloatHistogramAppender resume(Chunk chunk, WriterFlavor flavor)
      throws CorruptFormatException {
    FloatHistogramAppender a = new FloatHistogramAppender(chunk.encoding(), flavor);
    FloatHistogramIterator it = chunk.floatHistogramIterator(null);
    while (it.next() != ValueType.NONE) {
      // Decode to the end for the state.
    }
    a.num = chunk.numSamples();
    a.w.resumeAt(chunk.copyBytes(), chunk.length(), a.num == 0 ? HistogramLayout.HEADER_BYTES * 8L : it.bitPosition());
    if (a.num > 0) {
      a.schema = it.schema();
      a.zThreshold = it.zeroThreshold();
      a.pSpans = it.rawPositiveSpans();
      a.nSpans = it.rawNegativeSpans();
      a.customValues = it.rawCustomValues();
      a.t = it.atT();
      a.tDelta = it.tDelta();
      a.cntBits = it.countBits();
      a.cntWindow = it.cntWindow();
      a.zCntBits = it.zeroCountBits();
      a.zCntWindow = it.zCntWindow();
      a.sumBits = it.sumBits();
      a.sumWindow = it.sumWindow();
      a.pBuckets = it.rawPositiveBuckets();
      a.nBuckets = it.rawNegativeBuckets();
      a.pWindows = it.rawPositiveWindows();
      a.nWindows = it.rawNegativeWindows();
      a.stEncoder.st = it.atST();
      a.stEncoder.stDiff = it.stDiff();
      a.stEncoder.firstSTKnown = it.firstSTKnown();
      a.stEncoder.firstSTChangeOn = it.firstSTChangeOn();
    }
    return a;
  }

  public ChunkEncoding encoding() {
    return encoding;
  }

  public int numSamples() {
    return num;
  }

  public Chunk chunk() {
    return Chunk.ofOwned(encoding, w.toByteArray());
  }

  public int sizeBytes() {
    return w.byteLength();
  }

  public CounterResetHeader counterResetHeader() {
    return CounterResetHeader.fromByte(w.getByte(stMode ? 0 : 2));
  }

  public void setCounterResetHeader(CounterResetHeader h) {
    int idx = stMode ? 0 : 2;
    w.setByte(idx, (w.getByte(idx) & 0x3F) | h.bits());
  }

  private void setNumSamples(int n) {
    num = n;
    if (stMode) {
      int crBits = w.getByte(0) & 0xC0;
      w.setShort(0, (crBits << 8) | (n & HistogramLayout.ST_SAMPLE_COUNT_MASK));
    } else {
      w.setShort(0, n);
    }
  }

  private int maxSamples() {
    return stMode ? HistogramLayout.ST_SAMPLE_COUNT_MASK : 0xFFFF;
  }

  /**
   * Go's {@code AppendFloatHistogram(prev, st, t, h, appendOnly)}; see
   * {@link HistogramAppender#appendHistogram} for the rules. Differences from integer
   * histograms, as in Go: a chunk cut for a schema or threshold change gets header UNKNOWN,
   * and a first sample continuing {@code prev} gets COUNTER_RESET or NOT_COUNTER_RESET.
   */
  public AppendResult<FloatHistogramAppender> appendFloatHistogram(
      FloatHistogramAppender prev, long st, long t, FloatHistogram h, boolean appendOnly) {
    int n = num;
    if (n == maxSamples()) {
      throw new IllegalStateException(encoding + " chunk capacity of " + maxSamples() + " samples exceeded");
    }
    checkShape(h);
    if (n == 0) {
      appendSample(st, t, h, null, null, null, null);
      if (h.counterResetHint() == CounterResetHint.GAUGE) {
        setCounterResetHeader(CounterResetHeader.GAUGE);
      } else if (h.counterResetHint() == CounterResetHint.COUNTER_RESET) {
        setCounterResetHeader(CounterResetHeader.COUNTER_RESET);
      } else if (prev != null) {
        setCounterResetHeader(prev.appendable(h).counterReset()
            ? CounterResetHeader.COUNTER_RESET : CounterResetHeader.NOT_COUNTER_RESET);
      }
      return appended;
    }

    if (h.counterResetHint() != CounterResetHint.GAUGE) {
      if (sameLayoutNoReset(h)) {
        // What appendable() decides for most samples, without building its result.
        appendSample(st, t, h, null, null, null, null);
        return appended;
      }
      FloatHistogramAppendability ap = appendable(h);
      if (!ap.ok() || ap.counterReset()) {
        if (appendOnly) {
          return AppendResult.rejected(this,
              ap.counterReset() ? "float histogram counter reset" : "float histogram schema change");
        }
        FloatHistogramAppender next = new FloatHistogramAppender(encoding, flavor);
        if (ap.counterReset()) {
          next.setCounterResetHeader(CounterResetHeader.COUNTER_RESET);
        }
        next.appendSample(st, t, h, null, null, null, null);
        return AppendResult.newChunk(next);
      }
      Span[] ps = null;
      Span[] ns = null;
      double[] pb = null;
      double[] nb = null;
      boolean forward = !ap.forwardPositive().isEmpty() || !ap.forwardNegative().isEmpty();
      if (!ap.backwardPositive().isEmpty() || !ap.backwardNegative().isEmpty()) {
        if (!forward) {
          ps = pSpans.clone();
          ns = nSpans.clone();
        } else {
          ps = Spans.adjustForInserts(h.positiveSpans(), ap.backwardPositive());
          ns = Spans.adjustForInserts(h.negativeSpans(), ap.backwardNegative());
        }
        pb = padded(h.positiveBuckets(), ps, ap.backwardPositive());
        nb = padded(h.negativeBuckets(), ns, ap.backwardNegative());
      }
      if (forward) {
        if (appendOnly) {
          return AppendResult.rejected(this, "float histogram layout change with "
              + ap.forwardPositive().size() + " positive and " + ap.forwardNegative().size()
              + " negative forwards inserts");
        }
        FloatHistogramAppender next = recode(ap.forwardPositive(), ap.forwardNegative(),
            ps != null ? ps : h.positiveSpans(), ns != null ? ns : h.negativeSpans());
        next.appendSample(st, t, h, ps, ns, pb, nb);
        return AppendResult.recoded(next);
      }
      appendSample(st, t, h, ps, ns, pb, nb);
      return appended;
    }

    GaugeAppendability g = appendableGauge(h);
    if (!g.ok()) {
      if (appendOnly) {
        return AppendResult.rejected(this, "float gauge histogram schema change");
      }
      FloatHistogramAppender next = new FloatHistogramAppender(encoding, flavor);
      next.setCounterResetHeader(CounterResetHeader.GAUGE);
      next.appendSample(st, t, h, null, null, null, null);
      return AppendResult.newChunk(next);
    }
    Span[] ps = null;
    Span[] ns = null;
    double[] pb = null;
    double[] nb = null;
    if (!g.backwardPositive().isEmpty() || !g.backwardNegative().isEmpty()) {
      if (appendOnly) {
        return AppendResult.rejected(this, "float gauge histogram layout change with "
            + g.backwardPositive().size() + " positive and " + g.backwardNegative().size()
            + " negative backwards inserts");
      }
      ps = g.mergedPositive();
      ns = g.mergedNegative();
      pb = padded(h.positiveBuckets(), ps, g.backwardPositive());
      nb = padded(h.negativeBuckets(), ns, g.backwardNegative());
    }
    if (!g.forwardPositive().isEmpty() || !g.forwardNegative().isEmpty()) {
      if (appendOnly) {
        return AppendResult.rejected(this, "float gauge histogram layout change with "
            + g.forwardPositive().size() + " positive and " + g.forwardNegative().size()
            + " negative forwards inserts");
      }
      FloatHistogramAppender next = recode(g.forwardPositive(), g.forwardNegative(),
          ps != null ? ps : h.positiveSpans(), ns != null ? ns : h.negativeSpans());
      next.appendSample(st, t, h, ps, ns, pb, nb);
      return AppendResult.recoded(next);
    }
    appendSample(st, t, h, ps, ns, pb, nb);
    return appended;
  }

  /**
   * Writes a sample without any appendability check (Go's internal
   * {@code appendFloatHistogram}): the first sample sets the layout, later samples are encoded
   * against it whatever their counts do. This is what re-encoding a decoded chunk needs, since
   * Prometheus 2.x wrote float histogram chunks without checks. The header is not touched.
   *
   * @throws IllegalArgumentException if {@code h}'s buckets do not match its spans, or (after
   *     the first sample) do not number as the chunk layout's
   * @throws IllegalStateException if the chunk is full
   */
  public void appendUnchecked(long st, long t, FloatHistogram h) {
    if (num == maxSamples()) {
      throw new IllegalStateException(encoding + " chunk capacity of " + maxSamples() + " samples exceeded");
    }
    checkShape(h);
    if (num > 0 && !h.isStale()
        && (h.positiveBucketCount() != pBuckets.length || h.negativeBucketCount() != nBuckets.length)) {
      throw new IllegalArgumentException("sample at " + t + " has " + h.positiveBucketCount() + "+"
          + h.negativeBucketCount() + " buckets, the chunk layout " + pBuckets.length + "+" + nBuckets.length);
    }
    appendSample(st, t, h, null, null, null, null);
  }

  /**
   * Appends a sample that must fit the chunk as is ({@code appendOnly}).
   *
   * @throws IllegalArgumentException if the sample needs a recode or a new chunk
   */
  public void append(long st, long t, FloatHistogram h) {
    AppendResult<FloatHistogramAppender> r = appendFloatHistogram(null, st, t, h, true);
    if (r.outcome() != AppendResult.Outcome.APPENDED) {
      throw new IllegalArgumentException("sample at " + t + " does not fit the chunk: " + r.rejection());
    }
  }

  private static double[] padded(double[] buckets, Span[] spans, List<Insert> inserts) {
    if (inserts.isEmpty()) {
      return buckets;
    }
    return Spans.insertAbsolute(buckets, (int) HistogramLayout.countBuckets(spans), inserts);
  }

  private static void checkShape(FloatHistogram h) {
    if (h.isStale()) {
      return;
    }
    long p = 0;
    for (int i = 0; i < h.positiveSpanCount(); i++) {
      p += h.positiveSpan(i).length();
    }
    long q = 0;
    for (int i = 0; i < h.negativeSpanCount(); i++) {
      q += h.negativeSpan(i).length();
    }
    if (p != h.positiveBucketCount() || q != h.negativeBucketCount()) {
      throw new IllegalArgumentException("histogram buckets do not match its spans: " + h);
    }
  }

  /** Go's {@code FloatHistogramAppender.appendable}. */
  public FloatHistogramAppendability appendable(FloatHistogram h) {
    List<Insert> none = List.of();
    if (num > 0 && counterResetHeader() == CounterResetHeader.GAUGE) {
      return new FloatHistogramAppendability(none, none, none, none, false, false);
    }
    if (h.counterResetHint() == CounterResetHint.COUNTER_RESET) {
      return new FloatHistogramAppendability(none, none, none, none, false, true);
    }
    if (h.isStale()) {
      return new FloatHistogramAppendability(none, none, none, none, true, false);
    }
    if (sumBits == Values.STALE_NAN_BITS) {
      return new FloatHistogramAppendability(none, none, none, none, false, false);
    }
    if (h.count() < Double.longBitsToDouble(cntBits)) {
      return new FloatHistogramAppendability(none, none, none, none, false, true);
    }
    if (h.schema() != schema || h.zeroThreshold() != zThreshold) {
      return new FloatHistogramAppendability(none, none, none, none, false, false);
    }
    if (h.usesCustomBuckets() && !boundsMatch(h, customValues)) {
      return new FloatHistogramAppendability(none, none, none, none, false, true);
    }
    if (h.zeroCount() < Double.longBitsToDouble(zCntBits)) {
      return new FloatHistogramAppendability(none, none, none, none, false, true);
    }
    if (sameSpans(h, true) && sameSpans(h, false)) {
      if (bucketReset(h, true) || bucketReset(h, false)) {
        return new FloatHistogramAppendability(none, none, none, none, false, true);
      }
      return new FloatHistogramAppendability(none, none, none, none, true, false);
    }
    Spans.Expansion p =
        Spans.expandFloat(pSpans, h.positiveSpans(), toDoubles(pBuckets), h.positiveBuckets());
    if (!p.ok()) {
      return new FloatHistogramAppendability(none, none, none, none, false, true);
    }
    Spans.Expansion q =
        Spans.expandFloat(nSpans, h.negativeSpans(), toDoubles(nBuckets), h.negativeBuckets());
    if (!q.ok()) {
      return new FloatHistogramAppendability(none, none, none, none, false, true);
    }
    return new FloatHistogramAppendability(
        p.forward(), q.forward(), p.backward(), q.backward(), true, false);
  }

  private static double[] toDoubles(long[] bits) {
    double[] out = new double[bits.length];
    for (int i = 0; i < bits.length; i++) {
      out[i] = Double.longBitsToDouble(bits[i]);
    }
    return out;
  }

  /** The common outcome of {@link #appendable} in one pass (see HistogramAppender). */
  private boolean sameLayoutNoReset(FloatHistogram h) {
    return num > 0
        && counterResetHeader() != CounterResetHeader.GAUGE
        && h.counterResetHint() != CounterResetHint.COUNTER_RESET
        && !h.isStale()
        && sumBits != Values.STALE_NAN_BITS
        && !(h.count() < Double.longBitsToDouble(cntBits))
        && h.schema() == schema
        && h.zeroThreshold() == zThreshold
        && (!h.usesCustomBuckets() || boundsMatch(h, customValues))
        && !(h.zeroCount() < Double.longBitsToDouble(zCntBits))
        && sameSpans(h, true)
        && sameSpans(h, false)
        && !bucketReset(h, true)
        && !bucketReset(h, false);
  }

  private boolean sameSpans(FloatHistogram h, boolean positive) {
    Span[] mine = positive ? pSpans : nSpans;
    int n = positive ? h.positiveSpanCount() : h.negativeSpanCount();
    if (n != mine.length) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (!mine[i].equals(positive ? h.positiveSpan(i) : h.negativeSpan(i))) {
        return false;
      }
    }
    return true;
  }

  private boolean bucketReset(FloatHistogram h, boolean positive) {
    long[] mine = positive ? pBuckets : nBuckets;
    int n = positive ? h.positiveBucketCount() : h.negativeBucketCount();
    for (int i = 0; i < n; i++) {
      double b = positive ? h.positiveBucket(i) : h.negativeBucket(i);
      if (Double.longBitsToDouble(mine[i]) > b) {
        return true;
      }
    }
    return false;
  }

  private static boolean boundsMatch(FloatHistogram h, double[] bounds) {
    if (h.customValueCount() != bounds.length) {
      return false;
    }
    for (int i = 0; i < bounds.length; i++) {
      if (h.customValue(i) != bounds[i]) {
        return false;
      }
    }
    return true;
  }

  /** Go's {@code appendableGauge} for float histograms. */
  public GaugeAppendability appendableGauge(FloatHistogram h) {
    List<Insert> none = List.of();
    GaugeAppendability no = new GaugeAppendability(none, none, none, none, null, null, false);
    if (num > 0 && counterResetHeader() != CounterResetHeader.GAUGE) {
      return no;
    }
    if (h.isStale()) {
      return new GaugeAppendability(none, none, none, none, null, null, true);
    }
    if (sumBits == Values.STALE_NAN_BITS) {
      return no;
    }
    if (h.schema() != schema || h.zeroThreshold() != zThreshold) {
      return no;
    }
    if (h.usesCustomBuckets() && !boundsMatch(h, customValues)) {
      return no;
    }
    Spans.BothWays p = Spans.expandBothWays(pSpans, h.positiveSpans());
    Spans.BothWays q = Spans.expandBothWays(nSpans, h.negativeSpans());
    return new GaugeAppendability(
        p.forward(), q.forward(), p.backward(), q.backward(), p.merged(), q.merged(), true);
  }

  /** Go's {@code recode} for float histograms. */
  private FloatHistogramAppender recode(
      List<Insert> pInserts, List<Insert> nInserts, Span[] newPos, Span[] newNeg) {
    FloatHistogramAppender next = new FloatHistogramAppender(encoding, flavor);
    int p = (int) HistogramLayout.countBuckets(newPos);
    int q = (int) HistogramLayout.countBuckets(newNeg);
    FloatHistogramIterator it = chunk().floatHistogramIterator(null);
    try {
      while (it.next() != ValueType.NONE) {
        long[] pb = it.rawPositiveBuckets();
        long[] nb = it.rawNegativeBuckets();
        if (!pInserts.isEmpty()) {
          pb = insertBits(pb, p, pInserts);
        }
        if (!nInserts.isEmpty()) {
          nb = insertBits(nb, q, nInserts);
        }
        next.writeSample(it.atST(), it.atT(), it.schema(), it.zeroThreshold(), it.countBits(),
            it.zeroCountBits(), it.sumBits(), it.rawCustomValues(), newPos, newNeg, pb, nb, null);
      }
    } catch (CorruptFormatException e) {
      throw new IllegalStateException("cannot decode a chunk this appender wrote", e);
    }
    next.setCounterResetHeader(counterResetHeader());
    return next;
  }

  /** Go's {@code insert} with absolute values, on raw bits: inserted buckets are +0.0. */
  private static long[] insertBits(long[] bits, int outLength, List<Insert> inserts) {
    long[] out = new long[outLength];
    int oi = 0;
    int ii = 0;
    for (int i = 0; i < bits.length; i++) {
      while (ii < inserts.size() && i == inserts.get(ii).pos()) {
        oi += inserts.get(ii).num();
        ii++;
      }
      out[oi++] = bits[i];
    }
    return out;
  }

  private void appendSample(
      long st, long t, FloatHistogram h, Span[] ps, Span[] ns, double[] pb, double[] nb) {
    long[] pbits = pb != null ? toBits(pb) : null;
    long[] nbits = nb != null ? toBits(nb) : null;
    writeSample(st, t, h.schema(), h.zeroThreshold(), Double.doubleToRawLongBits(h.count()),
        Double.doubleToRawLongBits(h.zeroCount()), Double.doubleToRawLongBits(h.sum()), null,
        ps, ns, pbits, nbits, h);
  }

  private static long[] toBits(double[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = Double.doubleToRawLongBits(v[i]);
    }
    return out;
  }

  /** Go's {@code appendFloatHistogram}. Buckets from {@code pb}/{@code nb} when given. */
  private void writeSample(long st, long t, int hSchema, double hThreshold, long hCountBits,
      long hZeroBits, long hSumBits, double[] hCustom, Span[] ps, Span[] ns, long[] pb, long[] nb,
      FloatHistogram h) {
    long prevT = this.t;
    int n = num;
    boolean stale = hSumBits == Values.STALE_NAN_BITS;
    long newTDelta = 0;
    if (stale) {
      hSchema = 0;
      hThreshold = 0;
      hCountBits = 0;
      hZeroBits = 0;
    }
    int pCount = stale ? 0 : pb != null ? pb.length : h.positiveBucketCount();
    int nCount = stale ? 0 : nb != null ? nb.length : h.negativeBucketCount();
    if (n == 0) {
      Span[] pos = stale ? HistogramLayout.NO_SPANS : ps != null ? ps : h.positiveSpans();
      Span[] neg = stale ? HistogramLayout.NO_SPANS : ns != null ? ns : h.negativeSpans();
      double[] custom = stale ? HistogramLayout.NO_VALUES
          : hCustom != null ? hCustom : h.customValues();
      HistogramLayout.write(w, hSchema, hThreshold, pos, neg, custom);
      schema = hSchema;
      zThreshold = hThreshold;
      pSpans = pos;
      nSpans = neg;
      customValues = custom;
      int np = (int) HistogramLayout.countBuckets(pos);
      int nn = (int) HistogramLayout.countBuckets(neg);
      pBuckets = new long[np];
      nBuckets = new long[nn];
      pWindows = new int[np];
      nWindows = new int[nn];
      Arrays.fill(pWindows, Varbit.WINDOW_UNSET);
      Arrays.fill(nWindows, Varbit.WINDOW_UNSET);
      Varbit.putInt(w, t);
      w.writeBits(hCountBits, 64);
      w.writeBits(hZeroBits, 64);
      w.writeBits(hSumBits, 64);
      cntBits = hCountBits;
      zCntBits = hZeroBits;
      sumBits = hSumBits;
      for (int i = 0; i < pCount; i++) {
        long b = pb != null ? pb[i] : Double.doubleToRawLongBits(h.positiveBucket(i));
        pBuckets[i] = b;
        w.writeBits(b, 64);
      }
      for (int i = 0; i < nCount; i++) {
        long b = nb != null ? nb[i] : Double.doubleToRawLongBits(h.negativeBucket(i));
        nBuckets[i] = b;
        w.writeBits(b, 64);
      }
    } else {
      if (pCount > pBuckets.length || nCount > nBuckets.length) {
        throw new IllegalArgumentException("histogram has more buckets than the chunk layout");
      }
      newTDelta = t - this.t;
      Varbit.putInt(w, newTDelta - tDelta);
      cntWindow = Varbit.putXor(w, hCountBits, cntBits, cntWindow);
      cntBits = hCountBits;
      zCntWindow = Varbit.putXor(w, hZeroBits, zCntBits, zCntWindow);
      zCntBits = hZeroBits;
      sumWindow = Varbit.putXor(w, hSumBits, sumBits, sumWindow);
      sumBits = hSumBits;
      for (int i = 0; i < pCount; i++) {
        long b = pb != null ? pb[i] : Double.doubleToRawLongBits(h.positiveBucket(i));
        pWindows[i] = Varbit.putXor(w, b, pBuckets[i], pWindows[i]);
        pBuckets[i] = b;
      }
      for (int i = 0; i < nCount; i++) {
        long b = nb != null ? nb[i] : Double.doubleToRawLongBits(h.negativeBucket(i));
        nWindows[i] = Varbit.putXor(w, b, nBuckets[i], nWindows[i]);
        nBuckets[i] = b;
      }
    }
    this.t = t;
    tDelta = newTDelta;
    if (stMode) {
      stEncoder.encode(w, 2, n + 1, t, prevT, st);
    }
    setNumSamples(n + 1);
  }
}
