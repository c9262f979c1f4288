package io.promtsdb.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A reusable, growable list of chunk metas in three primitive arrays, so that decoding or
 * writing millions of series allocates nothing per chunk. Not thread-safe.
 */
public final class ChunkMetaList {
  private long[] refs;
  private long[] minTimes;
  private long[] maxTimes;
  private int size;

  public ChunkMetaList() {
    this(8);
  }

  public ChunkMetaList(int initialCapacity) {
    int c = Math.max(1, initialCapacity);
    refs = new long[c];
    minTimes = new long[c];
    maxTimes = new long[c];
  }

  /** A list holding {@code metas}. */
  public static ChunkMetaList of(List<ChunkMeta> metas) {
    ChunkMetaList l = new ChunkMetaList(metas.size());
    for (ChunkMeta m : metas) {
      l.add(m.ref(), m.minTime(), m.maxTime());
    }
    return l;
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  public void clear() {
    size = 0;
  }

  public void add(long ref, long minTime, long maxTime) {
    if (size == refs.length) {
      int c = refs.length * 2;
      refs = Arrays.copyOf(refs, c);
      minTimes = Arrays.copyOf(minTimes, c);
      maxTimes = Arrays.copyOf(maxTimes, c);
    }
    refs[size] = ref;
    minTimes[size] = minTime;
    maxTimes[size] = maxTime;
    size++;
  }

  public void add(ChunkMeta meta) {
    add(meta.ref(), meta.minTime(), meta.maxTime());
  }

  public long ref(int i) {
    checkIndex(i);
    return refs[i];
  }

  public long minTime(int i) {
    checkIndex(i);
    return minTimes[i];
  }

  public long maxTime(int i) {
    checkIndex(i);
    return maxTimes[i];
  }

  public ChunkMeta get(int i) {
    checkIndex(i);
    return new ChunkMeta(refs[i], minTimes[i], maxTimes[i]);
  }

  /** An immutable copy as records. */
  public List<ChunkMeta> toList() {
    List<ChunkMeta> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(new ChunkMeta(refs[i], minTimes[i], maxTimes[i]));
    }
    return Collections.unmodifiableList(out);
  }

  private void checkIndex(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("chunk " + i + " of " + size);
    }
  }

  @Override
  public String toString() {
    return toList().toString();
  }
}
