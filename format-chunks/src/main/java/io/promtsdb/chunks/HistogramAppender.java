package io.promtsdb.chunks;

import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Span;
import io.promtsdb.core.Values;
import java.util.List;

/**
 * Writes integer histogram chunks (encoding 2, and with start timestamps encoding 5), byte for
 * byte and decision for decision as Go's {@code HistogramAppender} and
 * {@code HistogramSTAppender}.
 *
 * <pre>
 * encoding 2: bytes 0-1 sample count (uint16), byte 2 bits 7-6 counter-reset header
 * encoding 5: byte 0 bits 7-6 counter-reset header, bits 13-0 of bytes 0-1 sample count,
 *             byte 2 ST header (see StEncoder)
 * then the layout (HistogramLayout), then per sample:
 * sample 0    &lt;varbit_int&gt; t, &lt;varbit_uint&gt; count, &lt;varbit_uint&gt; zero count, 64 bits sum,
 *             &lt;varbit_int&gt; per positive then negative bucket (delta-encoded counts)
 * sample n    &lt;varbit_int&gt; delta-of-delta of t, count and zero count, &lt;varbit_xor&gt; sum,
 *             &lt;varbit_int&gt; delta-of-delta per bucket; a stale sum ends the sample
 * [ST]        encoding 5: the sample's start-timestamp data
 * </pre>
 *
 * <p>{@link #appendHistogram} is the engine's entry point: it checks appendability, pads
 * samples that lack empty buckets, recodes the chunk when new buckets appear and cuts a new
 * chunk on counter resets and layout changes. Not thread-safe.
 */
public final class HistogramAppender {
  private final ChunkEncoding encoding;
  private final boolean stMode;
  private final WriterFlavor flavor;
  private final BitWriter w;
  private final StEncoder stEncoder = new StEncoder();
  private int num;
  private final AppendResult<HistogramAppender> appended = AppendResult.appended(this);

  private int schema;
  private double zThreshold;
  private Span[] pSpans = HistogramLayout.NO_SPANS;
  private Span[] nSpans = HistogramLayout.NO_SPANS;
  private double[] customValues = HistogramLayout.NO_VALUES;

  private long t = Long.MIN_VALUE;
  private long cnt;
  private long zCnt;
  private long tDelta;
  private long cntDelta;
  private long zCntDelta;
  private long[] pBuckets = new long[0];
  private long[] nBuckets = new long[0];
  private long[] pBucketsDelta = new long[0];
  private long[] nBucketsDelta = new long[0];
  private long sumBits;
  private int window = Varbit.WINDOW_UNSET;

  private HistogramAppender(ChunkEncoding encoding, WriterFlavor flavor) {
    if (encoding != ChunkEncoding.HISTOGRAM && encoding != ChunkEncoding.HISTOGRAM_ST) {
      throw new IllegalArgumentException("not an integer histogram encoding: " + encoding);
    }
    if (encoding == ChunkEncoding.HISTOGRAM_ST && flavor == WriterFlavor.PROMETHEUS_2) {
      throw new IllegalArgumentException("Prometheus 2.x has no " + encoding + " chunks");
    }
    this.encoding = encoding;
    this.stMode = encoding == ChunkEncoding.HISTOGRAM_ST;
    this.flavor = flavor;
    this.w = new BitWriter(HistogramLayout.HEADER_BYTES, 128, flavor);
  }

  /** An appender for a new chunk of {@code encoding} (HISTOGRAM or HISTOGRAM_ST), 3.x bytes. */
  public static HistogramAppender create(ChunkEncoding encoding) {
    return new HistogramAppender(encoding, WriterFlavor.PROMETHEUS_3);
  }

  public static HistogramAppender create(ChunkEncoding encoding, WriterFlavor flavor) {
    return new HistogramAppender(encoding, flavor);
  }

  /** {@link #resume(Chunk, WriterFlavor)} with Prometheus 3.x bytes. */
  public static HistogramAppender resume(Chunk chunk) throws CorruptFormatException {
    return resume(chunk, WriterFlavor.PROMETHEUS_3);
  }

  /**
   * An appender continuing {@code chunk} (Go's {@code Chunk.Appender()} on existing data), with
   * its state rebuilt by decoding every sample. Writing resumes at the exact bit after the last
   * sample (Go does so for encoding 5; for encoding 2 Go would resume at the next byte, so
   * Prometheus never appends to such a chunk rebuilt from bytes).
   */
  public static HistogramAppender resume(Chunk chunk, WriterFlavor flavor)
      throws CorruptFormatException {
    HistogramAppender a = new HistogramAppender(chunk.encoding(), flavor);
    HistogramIterator it = chunk.histogramIterator(null);
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
      a.cnt = it.count();
      a.zCnt = it.zeroCount();
      a.tDelta = it.tDelta();
      a.cntDelta = it.cntDelta();
      a.zCntDelta = it.zCntDelta();
      a.pBuckets = it.rawPositiveBuckets();
      a.nBuckets = it.rawNegativeBuckets();
      a.pBucketsDelta = it.rawPositiveDeltas();
      a.nBucketsDelta = it.rawNegativeDeltas();
      a.sumBits = it.sumBits();
      a.window = it.window();
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

  /** The chunk written so far (a copy). */
  public Chunk chunk() {
    return Chunk.ofOwned(encoding, w.toByteArray());
  }

  public int sizeBytes() {
    return w.byteLength();
  }

  public CounterResetHeader counterResetHeader() {
    return CounterResetHeader.fromByte(w.getByte(stMode ? 0 : 2));
  }

  /** Sets the counter-reset bits of the chunk header. */
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
   * Go's {@code AppendHistogram(prev, st, t, h, appendOnly)}.
   *
   * <ul>
   *   <li>First sample of a chunk: written with its own layout; the header becomes GAUGE for a
   *       gauge hint, COUNTER_RESET for a reset hint, else {@code prev.appendable(h)}'s verdict
   *       when {@code prev} (the appender of the series' previous chunk) is given.
   *   <li>Counter histograms: a counter reset, schema/threshold/custom-bounds change or a sample
   *       after a stale one start a new chunk; buckets the chunk has but the sample lacks are
   *       added to the sample as zeros; buckets the sample adds make the whole chunk be
   *       recoded with the union layout.
   *   <li>Gauge histograms: layouts are merged both ways; only schema, threshold or bound
   *       changes start a new chunk.
   * </ul>
   *
   * With {@code appendOnly}, anything but a plain append (or an append with padding) is
   * rejected and the chunk is left unchanged.
   *
   * @throws IllegalStateException if the chunk already holds the maximum number of samples
   * @throws IllegalArgumentException if {@code h}'s buckets do not match its spans
   */
  public AppendResult<HistogramAppender> appendHistogram(
      HistogramAppender prev, long st, long t, Histogram h, boolean appendOnly) {
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
        setCounterResetHeader(prev.appendable(h).counterResetHint());
      }
      return appended;
    }

    if (h.counterResetHint() != CounterResetHint.GAUGE) {
      if (sameLayoutNoReset(h)) {
        // What appendable() decides for most samples, without building its result.
        appendSample(st, t, h, null, null, null, null);
        return appended;
      }
      HistogramAppendability ap = appendable(h);
      if (!ap.ok() || ap.counterResetHint() != CounterResetHeader.NOT_COUNTER_RESET) {
        if (appendOnly) {
          return AppendResult.rejected(this,
              ap.counterResetHint() == CounterResetHeader.COUNTER_RESET
                  ? "histogram counter reset" : "histogram schema change");
        }
        HistogramAppender next = new HistogramAppender(encoding, flavor);
        next.setCounterResetHeader(ap.counterResetHint());
        next.appendSample(st, t, h, null, null, null, null);
        return AppendResult.newChunk(next);
      }
      Span[] ps = null;
      Span[] ns = null;
      long[] pb = null;
      long[] nb = null;
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
          return AppendResult.rejected(this, "histogram layout change with "
              + ap.forwardPositive().size() + " positive and " + ap.forwardNegative().size()
              + " negative forwards inserts");
        }
        HistogramAppender next = recode(ap.forwardPositive(), ap.forwardNegative(),
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
        return AppendResult.rejected(this, "gauge histogram schema change");
      }
      HistogramAppender next = new HistogramAppender(encoding, flavor);
      next.setCounterResetHeader(CounterResetHeader.GAUGE);
      next.appendSample(st, t, h, null, null, null, null);
      return AppendResult.newChunk(next);
    }
    Span[] ps = null;
    Span[] ns = null;
    long[] pb = null;
    long[] nb = null;
    if (!g.backwardPositive().isEmpty() || !g.backwardNegative().isEmpty()) {
      if (appendOnly) {
        return AppendResult.rejected(this, "gauge histogram layout change with "
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
        return AppendResult.rejected(this, "gauge histogram layout change with "
            + g.forwardPositive().size() + " positive and " + g.forwardNegative().size()
            + " negative forwards inserts");
      }
      HistogramAppender next = recode(g.forwardPositive(), g.forwardNegative(),
          ps != null ? ps : h.positiveSpans(), ns != null ? ns : h.negativeSpans());
      next.appendSample(st, t, h, ps, ns, pb, nb);
      return AppendResult.recoded(next);
    }
    appendSample(st, t, h, ps, ns, pb, nb);
    return appended;
  }

  /**
   * Writes a sample without any appendability check (Go's internal
   * {@code appendHistogram}): the first sample sets the layout, later samples are encoded
   * against it whatever their counts do. This is what re-encoding a decoded chunk needs, since
   * Prometheus 2.x wrote float histogram chunks without checks. The header is not touched.
   *
   * @throws IllegalArgumentException if {@code h}'s buckets do not match its spans, or (after
   *     the first sample) do not number as the chunk layout's, or if a value follows a stale
   *     marker (which integer histogram chunks cannot represent)
   * @throws IllegalStateException if the chunk is full
   */
  public void appendUnchecked(long st, long t, Histogram h) {
    if (num == maxSamples()) {
      throw new IllegalStateException(encoding + " chunk capacity of " + maxSamples() + " samples exceeded");
    }
    checkShape(h);
    if (num > 0 && !h.isStale()
        && (h.positiveBucketCount() != pBuckets.length || h.negativeBucketCount() != nBuckets.length)) {
      throw new IllegalArgumentException("sample at " + t + " has " + h.positiveBucketCount() + "+"
          + h.negativeBucketCount() + " buckets, the chunk layout " + pBuckets.length + "+" + nBuckets.length);
    }
    if (num > 0 && sumBits == Values.STALE_NAN_BITS && !h.isStale()) {
      // Go's encoder keeps the pre-stale count deltas while writing zero count dods for the
      // stale sample, so a later value would decode with wrong counts. Prometheus never does it.
      throw new IllegalArgumentException("sample at " + t + " follows a stale marker in the same chunk");
    }
    appendSample(st, t, h, null, null, null, null);
  }

  /**
   * Appends a sample that must fit the chunk as is (Go's {@code AppendHistogram} with
   * {@code appendOnly}, failing on rejection). Convenient for writing chunks whose samples are
   * known to share a layout, such as re-encoding a decoded chunk.
   *
   * @throws IllegalArgumentException if the sample needs a recode or a new chunk
   */
  public void append(long st, long t, Histogram h) {
    AppendResult<HistogramAppender> r = appendHistogram(null, st, t, h, true);
    if (r.outcome() != AppendResult.Outcome.APPENDED) {
      throw new IllegalArgumentException("sample at " + t + " does not fit the chunk: " + r.rejection());
    }
  }

  /** Go's {@code recodeHistogram}: the sample's delta buckets with zeros inserted. */
  private static long[] padded(long[] deltas, Span[] spans, List<Insert> inserts) {
    if (inserts.isEmpty()) {
      return deltas;
    }
    return Spans.insertDeltas(deltas, (int) HistogramLayout.countBuckets(spans), inserts);
  }

  private static void checkShape(Histogram h) {
    if (h.isStale()) {
      return;
    }
    if (countSpans(h, true) != h.positiveBucketCount() || countSpans(h, false) != h.negativeBucketCount()) {
      throw new IllegalArgumentException("histogram buckets do not match its spans: " + h);
    }
  }

  private static long countSpans(Histogram h, boolean positive) {
    long n = 0;
    int spans = positive ? h.positiveSpanCount() : h.negativeSpanCount();
    for (int i = 0; i < spans; i++) {
      n += (positive ? h.positiveSpan(i) : h.negativeSpan(i)).length();
    }
    return n;
  }

  /** Go's {@code appendable}; see {@link HistogramAppendability}. */
  public HistogramAppendability appendable(Histogram h) {
    List<Insert> none = List.of();
    if (num > 0 && counterResetHeader() == CounterResetHeader.GAUGE) {
      return new HistogramAppendability(none, none, none, none, false, CounterResetHeader.NOT_COUNTER_RESET);
    }
    if (h.counterResetHint() == CounterResetHint.COUNTER_RESET) {
      return new HistogramAppendability(none, none, none, none, false, CounterResetHeader.COUNTER_RESET);
    }
    if (h.isStale()) {
      return new HistogramAppendability(none, none, none, none, true, CounterResetHeader.NOT_COUNTER_RESET);
    }
    if (sumBits == Values.STALE_NAN_BITS) {
      return new HistogramAppendability(none, none, none, none, false, CounterResetHeader.UNKNOWN);
    }
    if (Long.compareUnsigned(h.count(), cnt) < 0) {
      return new HistogramAppendability(none, none, none, none, false, CounterResetHeader.COUNTER_RESET);
    }
    if (h.schema() != schema || h.zeroThreshold() != zThreshold) {
      return new HistogramAppendability(none, none, none, none, false, CounterResetHeader.UNKNOWN);
    }
    if (h.usesCustomBuckets() && !boundsMatch(h, customValues)) {
      return new HistogramAppendability(none, none, none, none, false, CounterResetHeader.COUNTER_RESET);
    }
    if (Long.compareUnsigned(h.zeroCount(), zCnt) < 0) {
      return new HistogramAppendability(none, none, none, none, false, CounterResetHeader.COUNTER_RESET);
    }
    if (sameSpans(h, true) && sameSpans(h, false)) {
      // Same layout: the general expansion reduces to a per-bucket reset check.
      if (bucketReset(h, true) || bucketReset(h, false)) {
        return new HistogramAppendability(none, none, none, none, false, CounterResetHeader.COUNTER_RESET);
      }
      return new HistogramAppendability(none, none, none, none, true, CounterResetHeader.NOT_COUNTER_RESET);
    }
    Spans.Expansion p = Spans.expandInt(pSpans, h.positiveSpans(), pBuckets, h.positiveBuckets());
    if (!p.ok()) {
      return new HistogramAppendability(none, none, none, none, false, CounterResetHeader.COUNTER_RESET);
    }
    Spans.Expansion q = Spans.expandInt(nSpans, h.negativeSpans(), nBuckets, h.negativeBuckets());
    if (!q.ok()) {
      return new HistogramAppendability(none, none, none, none, false, CounterResetHeader.COUNTER_RESET);
    }
    return new HistogramAppendability(
        p.forward(), q.forward(), p.backward(), q.backward(), true, CounterResetHeader.NOT_COUNTER_RESET);
  }

  /**
   * The common outcome of {@link #appendable} in one pass: a non-stale counter sample with the
   * chunk's schema, threshold, bounds and exact spans, and no count or bucket going down.
   */
  private boolean sameLayoutNoReset(Histogram h) {
    return num > 0
        && counterResetHeader() != CounterResetHeader.GAUGE
        && h.counterResetHint() != CounterResetHint.COUNTER_RESET
        && !h.isStale()
        && sumBits != Values.STALE_NAN_BITS
        && Long.compareUnsigned(h.count(), cnt) >= 0
        && h.schema() == schema
        && h.zeroThreshold() == zThreshold
        && (!h.usesCustomBuckets() || boundsMatch(h, customValues))
        && Long.compareUnsigned(h.zeroCount(), zCnt) >= 0
        && sameSpans(h, true)
        && sameSpans(h, false)
        && !bucketReset(h, true)
        && !bucketReset(h, false);
  }

  private boolean sameSpans(Histogram h, boolean positive) {
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

  /** With identical spans: whether any cumulative bucket count decreased. */
  private boolean bucketReset(Histogram h, boolean positive) {
    long[] mine = positive ? pBuckets : nBuckets;
    int n = positive ? h.positiveBucketCount() : h.negativeBucketCount();
    long a = 0;
    long b = 0;
    for (int i = 0; i < n; i++) {
      a += mine[i];
      b += positive ? h.positiveBucket(i) : h.negativeBucket(i);
      if (a > b) {
        return true;
      }
    }
    return false;
  }

  /** Go's {@code CustomBucketBoundsMatch} (upstream main: float equality). */
  static boolean boundsMatch(Histogram h, double[] bounds) {
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

  /** Go's {@code appendableGauge}; see {@link GaugeAppendability}. */
  public GaugeAppendability appendableGauge(Histogram h) {
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

  /**
   * Go's {@code recode}: a new chunk with every sample of this one re-encoded with the wider
   * layout ({@code inserts} add zero buckets), with this chunk's counter-reset header.
   */
  private HistogramAppender recode(
      List<Insert> pInserts, List<Insert> nInserts, Span[] newPos, Span[] newNeg) {
    HistogramAppender next = new HistogramAppender(encoding, flavor);
    int p = (int) HistogramLayout.countBuckets(newPos);
    int q = (int) HistogramLayout.countBuckets(newNeg);
    HistogramIterator it = chunk().histogramIterator(null);
    try {
      while (it.next() != ValueType.NONE) {
        long[] pb = it.rawPositiveBuckets();
        long[] nb = it.rawNegativeBuckets();
        if (!pInserts.isEmpty()) {
          pb = Spans.insertDeltas(pb, p, pInserts);
        }
        if (!nInserts.isEmpty()) {
          nb = Spans.insertDeltas(nb, q, nInserts);
        }
        next.writeSample(it.atST(), it.atT(), it.schema(), it.zeroThreshold(), it.count(), it.zeroCount(),
            it.sumBits(), it.rawCustomValues(), newPos, newNeg, pb, nb, null);
      }
    } catch (CorruptFormatException e) {
      throw new IllegalStateException("cannot decode a chunk this appender wrote", e);
    }
    next.setCounterResetHeader(counterResetHeader());
    return next;
  }

  /** Go's {@code appendHistogram}: writes a sample; spans and buckets may be overridden. */
  private void appendSample(long st, long t, Histogram h, Span[] ps, Span[] ns, long[] pb, long[] nb) {
    writeSample(st, t, h.schema(), h.zeroThreshold(), h.count(), h.zeroCount(),
        Double.doubleToRawLongBits(h.sum()), null, ps, ns, pb, nb, h);
  }

  /**
   * Writes one sample. Bucket values come from {@code pb}/{@code nb} when given, else from
   * {@code h}; the layout (first sample only) from {@code ps}/{@code ns} or {@code h}.
   */
  private void writeSample(long st, long t, int hSchema, double hThreshold, long hCount, long hZero,
      long hSumBits, double[] hCustom, Span[] ps, Span[] ns, long[] pb, long[] nb, Histogram h) {
    long prevT = this.t;
    int n = num;
    boolean stale = hSumBits == Values.STALE_NAN_BITS;
    long newTDelta = 0;
    long newCntDelta = 0;
    long newZCntDelta = 0;
    if (stale) {
      // Go replaces a stale sample by {Sum: StaleNaN}: no layout, no counts, no buckets.
      hSchema = 0;
      hThreshold = 0;
      hCount = 0;
      hZero = 0;
    }
    int pCount;
    int nCount;
    if (stale) {
      pCount = 0;
      nCount = 0;
    } else {
      pCount = pb != null ? pb.length : h.positiveBucketCount();
      nCount = nb != null ? nb.length : h.negativeBucketCount();
    }
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
      pBucketsDelta = new long[np];
      nBuckets = new long[nn];
      nBucketsDelta = new long[nn];
      Varbit.putInt(w, t);
      Varbit.putUint(w, hCount);
      Varbit.putUint(w, hZero);
      w.writeBits(hSumBits, 64);
      for (int i = 0; i < pCount; i++) {
        Varbit.putInt(w, pb != null ? pb[i] : h.positiveBucket(i));
      }
      for (int i = 0; i < nCount; i++) {
        Varbit.putInt(w, nb != null ? nb[i] : h.negativeBucket(i));
      }
    } else {
      if (pCount > pBuckets.length || nCount > nBuckets.length) {
        throw new IllegalArgumentException("histogram has more buckets than the chunk layout");
      }
      newTDelta = t - this.t;
      newCntDelta = hCount - cnt;
      newZCntDelta = hZero - zCnt;
      long cntDod = newCntDelta - cntDelta;
      long zCntDod = newZCntDelta - zCntDelta;
      if (stale) {
        cntDod = 0;
        zCntDod = 0;
      }
      Varbit.putInt(w, newTDelta - tDelta);
      Varbit.putInt(w, cntDod);
      Varbit.putInt(w, zCntDod);
      window = Varbit.putXor(w, hSumBits, sumBits, window);
      for (int i = 0; i < pCount; i++) {
        long delta = (pb != null ? pb[i] : h.positiveBucket(i)) - pBuckets[i];
        Varbit.putInt(w, delta - pBucketsDelta[i]);
        pBucketsDelta[i] = delta;
      }
      for (int i = 0; i < nCount; i++) {
        long delta = (nb != null ? nb[i] : h.negativeBucket(i)) - nBuckets[i];
        Varbit.putInt(w, delta - nBucketsDelta[i]);
        nBucketsDelta[i] = delta;
      }
    }
    this.t = t;
    cnt = hCount;
    zCnt = hZero;
    tDelta = newTDelta;
    cntDelta = newCntDelta;
    zCntDelta = newZCntDelta;
    for (int i = 0; i < pCount; i++) {
      pBuckets[i] = pb != null ? pb[i] : h.positiveBucket(i);
    }
    for (int i = 0; i < nCount; i++) {
      nBuckets[i] = nb != null ? nb[i] : h.negativeBucket(i);
    }
    sumBits = hSumBits;
    if (stMode) {
      stEncoder.encode(w, 2, n + 1, t, prevT, st);
    }
    setNumSamples(n + 1);
  }
}
