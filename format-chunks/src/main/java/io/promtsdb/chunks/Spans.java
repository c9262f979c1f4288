package io.promtsdb.chunks;

import io.promtsdb.core.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Bucket-layout arithmetic of the histogram appenders (Go's {@code histogram_meta.go} and
 * {@code expandIntSpansAndBuckets}/{@code expandFloatSpansAndBuckets} of upstream main): which
 * buckets a new sample adds to a chunk's layout ("forward" inserts, which force a recode of
 * the chunk), which buckets it lacks that the chunk has ("backward" inserts, filled with
 * zeros), and counter-reset detection per bucket.
 */
final class Spans {
  private Spans() {}

  /** Go's {@code bucketIterator}: the absolute bucket indices covered by spans, in order. */
  static final class BucketIterator {
    private final Span[] spans;
    private int span;
    private int bucket = -1;
    private int idx = -1;

    BucketIterator(Span[] spans) {
      this.spans = spans;
      if (spans.length > 0) {
        idx += spans[0].offset();
      }
    }

    /** Whether there is a next bucket; its index is then {@link #index()}. */
    boolean next() {
      if (span >= spans.length) {
        return false;
      }
      if (bucket < spans[span].length() - 1) {
        bucket++;
        idx++;
        return true;
      }
      while (span < spans.length - 1) {
        span++;
        idx += spans[span].offset() + 1;
        bucket = 0;
        if (spans[span].length() == 0) {
          idx--;
          continue;
        }
        return true;
      }
      return false;
    }

    int index() {
      return idx;
    }
  }

  /** Mutable insert under construction (Go uses a value struct). */
  private static final class Pending {
    int pos;
    int num;
    int bucketIdx;

    Insert done() {
      return new Insert(pos, num, bucketIdx);
    }
  }

  /** Result of a forward/backward expansion; {@code ok == false} means a counter reset. */
  record Expansion(List<Insert> forward, List<Insert> backward, boolean ok) {
    static final Expansion RESET = new Expansion(List.of(), List.of(), false);
  }

  /** Go's {@code addInsert}: extends a contiguous insert or starts a new one. */
  private static List<Insert> addInsert(List<Insert> inserts, Pending insert, int otherIdx) {
    if (insert.num == 0) {
      insert.bucketIdx = otherIdx;
    } else if (insert.bucketIdx + insert.num != otherIdx) {
      inserts = add(inserts, insert.done());
      insert.num = 0;
      insert.bucketIdx = otherIdx;
    }
    insert.num++;
    return inserts;
  }

  private static List<Insert> add(List<Insert> list, Insert i) {
    List<Insert> l = list.isEmpty() ? new ArrayList<>() : list;
    l.add(i);
    return l;
  }

  /** Bucket counts as the expansion sees them: cumulative deltas, or absolute values. */

  /**
   * Go's {@code expandIntSpansAndBuckets}: forward inserts to expand {@code a} to {@code b},
   * backward inserts for buckets of {@code a} missing in {@code b} (only allowed if empty), or
   * a reset if a bucket count dropped or a used bucket disappeared. Buckets are delta-encoded.
   */
  static Expansion expandInt(Span[] a, Span[] b, long[] aBuckets, long[] bDeltas) {
    return expand(a, b, aBuckets, null, bDeltas, null);
  }

  /** Go's {@code expandFloatSpansAndBuckets}: as {@link #expandInt} for absolute counts. */
  static Expansion expandFloat(Span[] a, Span[] b, double[] aBuckets, double[] bBuckets) {
    return expand(a, b, null, aBuckets, null, bBuckets);
  }

  private static Expansion expand(
      Span[] a, Span[] b, long[] aInt, double[] aFloat, long[] bInt, double[] bFloat) {
    BucketIterator ai = new BucketIterator(a);
    BucketIterator bi = new BucketIterator(b);
    List<Insert> aInserts = List.of();
    List<Insert> bInserts = List.of();
    Pending aInter = new Pending();
    Pending bInter = new Pending();

    boolean aOK = ai.next();
    boolean bOK = bi.next();
    int aCountIdx = 0;
    int bCountIdx = 0;
    long aCountI = 0;
    long bCountI = 0;
    double aCountF = 0;
    double bCountF = 0;
    boolean ints = aInt != null;
    if (aOK) {
      if (ints) {
        aCountI = aInt[0];
      } else {
        aCountF = aFloat[0];
      }
    }
    if (bOK) {
      if (ints) {
        bCountI = bInt[0];
      } else {
        bCountF = bFloat[0];
      }
    }
    while (true) {
      if (aOK && bOK) {
        int aIdx = ai.index();
        int bIdx = bi.index();
        if (aIdx == bIdx) {
          if (ints ? aCountI > bCountI : aCountF > bCountF) {
            return Expansion.RESET;
          }
          // advanceA
          if (aInter.num > 0) {
            aInserts = add(aInserts, aInter.done());
            aInter.num = 0;
          }
          aOK = ai.next();
          aInter.pos++;
          aCountIdx++;
          if (aOK) {
            if (ints) {
              aCountI += aInt[aCountIdx];
            } else {
              aCountF = aFloat[aCountIdx];
            }
          }
          // advanceB
          if (bInter.num > 0) {
            bInserts = add(bInserts, bInter.done());
            bInter.num = 0;
          }
          bOK = bi.next();
          bInter.pos++;
          bCountIdx++;
          if (bOK) {
            if (ints) {
              bCountI += bInt[bCountIdx];
            } else {
              bCountF = bFloat[bCountIdx];
            }
          }
        } else if (aIdx < bIdx) {
          if (ints ? aCountI != 0 : aCountF != 0) {
            return Expansion.RESET;
          }
          bInserts = addInsert(bInserts, bInter, aIdx);
          if (aInter.num > 0) {
            aInserts = add(aInserts, aInter.done());
            aInter.num = 0;
          }
          aOK = ai.next();
          aInter.pos++;
          aCountIdx++;
          if (aOK) {
            if (ints) {
              aCountI += aInt[aCountIdx];
            } else {
              aCountF = aFloat[aCountIdx];
            }
          }
        } else {
          aInserts = addInsert(aInserts, aInter, bIdx);
          if (bInter.num > 0) {
            bInserts = add(bInserts, bInter.done());
            bInter.num = 0;
          }
          bOK = bi.next();
          bInter.pos++;
          bCountIdx++;
          if (bOK) {
            if (ints) {
              bCountI += bInt[bCountIdx];
            } else {
              bCountF = bFloat[bCountIdx];
            }
          }
        }
      } else if (aOK) {
        if (ints ? aCountI != 0 : aCountF != 0) {
          return Expansion.RESET;
        }
        bInserts = addInsert(bInserts, bInter, ai.index());
        if (aInter.num > 0) {
          aInserts = add(aInserts, aInter.done());
          aInter.num = 0;
        }
        aOK = ai.next();
        aInter.pos++;
        aCountIdx++;
        if (aOK) {
          if (ints) {
            aCountI += aInt[aCountIdx];
          } else {
            aCountF = aFloat[aCountIdx];
          }
        }
      } else if (bOK) {
        aInserts = addInsert(aInserts, aInter, bi.index());
        if (bInter.num > 0) {
          bInserts = add(bInserts, bInter.done());
          bInter.num = 0;
        }
        bOK = bi.next();
        bInter.pos++;
        bCountIdx++;
        if (bOK) {
          if (ints) {
            bCountI += bInt[bCountIdx];
          } else {
            bCountF = bFloat[bCountIdx];
          }
        }
      } else {
        if (aInter.num > 0) {
          aInserts = add(aInserts, aInter.done());
        }
        if (bInter.num > 0) {
          bInserts = add(bInserts, bInter.done());
        }
        return new Expansion(aInserts, bInserts, true);
      }
    }
  }

  /** Result of {@link #expandBothWays}. */
  record BothWays(List<Insert> forward, List<Insert> backward, Span[] merged) {}

  /**
   * Go's {@code expandSpansBothWays} (gauge histograms): forward inserts to cover {@code b}'s
   * buckets in {@code a}, backward inserts to cover {@code a}'s in {@code b}, and the merged
   * spans. No counter-reset checks.
   */
  static BothWays expandBothWays(Span[] a, Span[] b) {
    BucketIterator ai = new BucketIterator(a);
    BucketIterator bi = new BucketIterator(b);
    List<Insert> fInserts = List.of();
    List<Insert> bInserts = List.of();
    SpanBuilder merged = new SpanBuilder();
    Pending fInter = new Pending();
    Pending bInter = new Pending();

    boolean aOK = ai.next();
    boolean bOK = bi.next();
    while (true) {
      if (aOK && bOK) {
        int av = ai.index();
        int bv = bi.index();
        if (av == bv) {
          if (fInter.num > 0) {
            fInserts = add(fInserts, fInter.done());
            fInter.num = 0;
          }
          if (bInter.num > 0) {
            bInserts = add(bInserts, bInter.done());
            bInter.num = 0;
          }
          merged.addBucket(av);
          aOK = ai.next();
          bOK = bi.next();
          fInter.pos++;
          bInter.pos++;
        } else if (av < bv) {
          bInter.num++;
          if (fInter.num > 0) {
            fInserts = add(fInserts, fInter.done());
            fInter.num = 0;
          }
          merged.addBucket(av);
          fInter.pos++;
          aOK = ai.next();
        } else {
          fInter.num++;
          if (bInter.num > 0) {
            bInserts = add(bInserts, bInter.done());
            bInter.num = 0;
          }
          merged.addBucket(bv);
          bInter.pos++;
          bOK = bi.next();
        }
      } else if (aOK) {
        bInter.num++;
        merged.addBucket(ai.index());
        aOK = ai.next();
      } else if (bOK) {
        fInter.num++;
        merged.addBucket(bi.index());
        bOK = bi.next();
      } else {
        if (fInter.num > 0) {
          fInserts = add(fInserts, fInter.done());
        }
        if (bInter.num > 0) {
          bInserts = add(bInserts, bInter.done());
        }
        return new BothWays(fInserts, bInserts, merged.spans());
      }
    }
  }

  /** Go's {@code addBucket} closure: builds spans from increasing bucket indices. */
  private static final class SpanBuilder {
    private final List<int[]> spans = new ArrayList<>(); // {offset, length}
    private int lastBucket;

    void addBucket(int b) {
      int offset = b - lastBucket - 1;
      if (offset == 0 && !spans.isEmpty()) {
        spans.get(spans.size() - 1)[1]++;
      } else {
        if (spans.isEmpty()) {
          offset++;
        }
        spans.add(new int[] {offset, 1});
      }
      lastBucket = b;
    }

    Span[] spans() {
      Span[] out = new Span[spans.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = new Span(spans.get(i)[0], spans.get(i)[1]);
      }
      return out;
    }
  }

  /**
   * Go's {@code insert} for delta-encoded integer buckets: copies {@code in} into a new array
   * of {@code outLength} with zero buckets inserted (the delta after an insert is adjusted so
   * that the following bucket keeps its count).
   */
  static long[] insertDeltas(long[] in, int outLength, List<Insert> inserts) {
    long[] out = new long[outLength];
    int oi = 0;
    long v = 0;
    int ii = 0;
    for (int i = 0; i < in.length; i++) {
      long d = in[i];
      if (ii >= inserts.size() || i != inserts.get(ii).pos()) {
        out[oi++] = d;
        v += d;
        continue;
      }
      boolean firstInsert = true;
      while (ii < inserts.size() && i == inserts.get(ii).pos()) {
        if (firstInsert) {
          out[oi] = -v;
          firstInsert = false;
        } else {
          out[oi] = 0;
        }
        oi++;
        for (int x = 1; x < inserts.get(ii).num(); x++) {
          out[oi++] = 0;
        }
        ii++;
      }
      out[oi++] = d + v;
      v += d;
    }
    while (ii < inserts.size()) {
      if (inserts.get(ii).pos() < in.length) {
        throw new IllegalStateException("leftover inserts must be after the current buckets");
      }
      out[oi++] = -v;
      for (int x = 1; x < inserts.get(ii).num(); x++) {
        out[oi++] = 0;
      }
      ii++;
      v = 0;
    }
    return out;
  }

  /** Go's {@code insert} for absolute float buckets: zeros inserted. */
  static double[] insertAbsolute(double[] in, int outLength, List<Insert> inserts) {
    double[] out = new double[outLength];
    int oi = 0;
    int ii = 0;
    for (int i = 0; i < in.length; i++) {
      double d = in[i];
      while (ii < inserts.size() && i == inserts.get(ii).pos()) {
        oi += inserts.get(ii).num();
        ii++;
      }
      out[oi++] = d;
    }
    while (ii < inserts.size()) {
      if (inserts.get(ii).pos() < in.length) {
        throw new IllegalStateException("leftover inserts must be after the current buckets");
      }
      oi += inserts.get(ii).num();
      ii++;
    }
    return out;
  }

  /** Go's {@code adjustForInserts}: {@code spans} widened to also cover the inserted buckets. */
  static Span[] adjustForInserts(Span[] spans, List<Insert> inserts) {
    if (inserts.isEmpty()) {
      return spans;
    }
    BucketIterator it = new BucketIterator(spans);
    SpanBuilder merged = new SpanBuilder();
    int i = 0;
    int insertIdx = inserts.get(0).bucketIdx();
    int insertNum = inserts.get(0).num();
    boolean ok = it.next();
    while (ok) {
      if (i < inserts.size() && insertIdx < it.index()) {
        merged.addBucket(insertIdx);
        insertNum--;
        if (insertNum == 0) {
          i++;
          if (i < inserts.size()) {
            insertIdx = inserts.get(i).bucketIdx();
            insertNum = inserts.get(i).num();
          }
        } else {
          insertIdx++;
        }
      } else {
        merged.addBucket(it.index());
        ok = it.next();
      }
    }
    while (i < inserts.size()) {
      merged.addBucket(insertIdx);
      insertNum--;
      if (insertNum == 0) {
        i++;
        if (i < inserts.size()) {
          insertIdx = inserts.get(i).bucketIdx();
          insertNum = inserts.get(i).num();
        }
      } else {
        insertIdx++;
      }
    }
    return merged.spans();
  }
}
