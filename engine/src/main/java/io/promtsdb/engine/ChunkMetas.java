package io.promtsdb.engine;

import java.util.Arrays;

/**
 * The chunks of one series as an index hands them out (Go's {@code []chunks.Meta}): reference,
 * closed time range and, for head data, an optional attachment a {@link ChunkView}
 * understands (an already encoded chunk, or several overlapping chunks to merge). Growable
 * primitive arrays, reused from series to series. Not thread-safe.
 */
final class ChunkMetas {
  long[] refs = new long[8];
  long[] minTimes = new long[8];
  long[] maxTimes = new long[8];
  Object[] attachments = new Object[8];
  int size;

  void clear() {
    if (size > 0) {
      Arrays.fill(attachments, 0, size, null);
    }
    size = 0;
  }

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  void add(long ref, long minTime, long maxTime, Object attachment) {
    if (size == refs.length) {
      int c = size * 2;
      refs = Arrays.copyOf(refs, c);
      minTimes = Arrays.copyOf(minTimes, c);
      maxTimes = Arrays.copyOf(maxTimes, c);
      attachments = Arrays.copyOf(attachments, c);
    }
    refs[size] = ref;
    minTimes[size] = minTime;
    maxTimes[size] = maxTime;
    attachments[size] = attachment;
    size++;
  }
}
