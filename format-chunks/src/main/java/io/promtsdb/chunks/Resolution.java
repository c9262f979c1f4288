package io.promtsdb.chunks;

import io.promtsdb.core.Histogram;
import io.promtsdb.core.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Go's {@code reduceResolution}: merges the buckets of an exponential schema into a coarser
 * one. Readers reduce the reserved schemas 9 to 52 (written by a future Prometheus) to 8 when
 * they materialise a histogram, as Go's chunk iterators do.
 */
final class Resolution {
  private Resolution() {}

  /** Spans and buckets after a reduction. */
  record Reduced(Span[] spans, long[] deltas, double[] absolute) {}

  /** Whether a histogram of {@code schema} is reduced on materialisation. */
  static boolean needsReduction(int schema) {
    return schema > Histogram.EXPONENTIAL_SCHEMA_MAX
        && schema <= Histogram.EXPONENTIAL_SCHEMA_MAX_RESERVED;
  }

  /** Go's {@code targetIdx} with int32 shifts (counts of 32 or more yield 0 or -1). */
  static int targetIdx(int idx, int originSchema, int targetSchema) {
    int shift = originSchema - targetSchema;
    int x = idx - 1;
    int shifted = shift >= 32 ? (x < 0 ? -1 : 0) : x >> shift;
    return shifted + 1;
  }

  /**
   * Reduces {@code spans} with delta-encoded ({@code deltas != null}) or absolute buckets.
   * Spans after the first must not have negative offsets (checked by the decoder).
   */
  static Reduced reduce(
      Span[] spans, long[] deltas, double[] absolute, int count, int originSchema, int targetSchema) {
    List<int[]> targetSpans = new ArrayList<>();
    long[] tDeltas = deltas != null ? new long[count] : null;
    double[] tAbs = absolute != null ? new double[count] : null;
    int n = 0;
    int bucketIdx = 0;
    int bucketCountIdx = 0;
    long lastBucketCount = 0;
    int lastTargetBucketIdx = 0;
    long lastTargetBucketCount = 0;
    for (Span span : spans) {
      bucketIdx += span.offset();
      for (int j = 0; j < span.length(); j++) {
        int targetBucketIdx = targetIdx(bucketIdx, originSchema, targetSchema);
        if (targetSpans.isEmpty()) {
          targetSpans.add(new int[] {targetBucketIdx, 1});
          if (deltas != null) {
            tDeltas[n] = deltas[bucketCountIdx];
            lastBucketCount = deltas[bucketCountIdx];
            lastTargetBucketCount = deltas[bucketCountIdx];
          } else {
            tAbs[n] = absolute[bucketCountIdx];
          }
          n++;
          lastTargetBucketIdx = targetBucketIdx;
        } else if (lastTargetBucketIdx == targetBucketIdx) {
          if (deltas != null) {
            lastBucketCount += deltas[bucketCountIdx];
            tDeltas[n - 1] += lastBucketCount;
            lastTargetBucketCount += lastBucketCount;
          } else {
            tAbs[n - 1] += absolute[bucketCountIdx];
          }
        } else {
          if (lastTargetBucketIdx + 1 == targetBucketIdx) {
            targetSpans.get(targetSpans.size() - 1)[1]++;
            lastTargetBucketIdx++;
          } else {
            targetSpans.add(new int[] {targetBucketIdx - lastTargetBucketIdx - 1, 1});
            lastTargetBucketIdx = targetBucketIdx;
          }
          if (deltas != null) {
            lastBucketCount += deltas[bucketCountIdx];
            tDeltas[n] = lastBucketCount - lastTargetBucketCount;
            lastTargetBucketCount = lastBucketCount;
          } else {
            tAbs[n] = absolute[bucketCountIdx];
          }
          n++;
        }
        bucketIdx++;
        bucketCountIdx++;
      }
    }
    Span[] out = new Span[targetSpans.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = new Span(targetSpans.get(i)[0], targetSpans.get(i)[1]);
    }
    return new Reduced(
        out,
        tDeltas != null ? Arrays.copyOf(tDeltas, n) : null,
        tAbs != null ? Arrays.copyOf(tAbs, n) : null);
  }
}
