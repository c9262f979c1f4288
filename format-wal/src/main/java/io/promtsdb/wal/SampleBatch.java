package io.promtsdb.wal;

import io.promtsdb.wal.Refs.RefSample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Float samples in columns, filled by {@link RecordDecoder#samples} and reused from record to
 * record (Go's {@code []record.RefSample} passed back as {@code samples[:0]}): replaying a WAL
 * allocates nothing per sample. Values are kept as raw IEEE-754 bits, so NaN payloads (the
 * stale marker) survive exactly. Not thread-safe.
 */
public final class SampleBatch {
  // Package-private: RecordDecoder fills them directly after ensureCapacity.
  long[] refs;
  long[] sts;
  long[] ts;
  long[] values;
  int size;

  public SampleBatch() {
    this(256);
  }

  public SampleBatch(int capacity) {
    int c = Math.max(1, capacity);
    refs = new long[c];
    sts = new long[c];
    ts = new long[c];
    values = new long[c];
  }

  public int size() {
    return size;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Forgets every sample; keeps the memory. */
  public void clear() {
    size = 0;
  }

  /** Series reference of sample {@code i} (an unsigned 64-bit value). */
  public long ref(int i) {
    check(i);
    return refs[i];
  }

  /** Start timestamp of sample {@code i}, 0 if none (SamplesV2 records only). */
  public long st(int i) {
    check(i);
    return sts[i];
  }

  /** Timestamp of sample {@code i}. */
  public long t(int i) {
    check(i);
    return ts[i];
  }

  public double v(int i) {
    check(i);
    return Double.longBitsToDouble(values[i]);
  }

  /** The value's raw bits, as stored (see {@link io.promtsdb.core.Values}). */
  public long vBits(int i) {
    check(i);
    return values[i];
  }

  /** Sample {@code i} as an entry object. */
  public RefSample get(int i) {
    check(i);
    return new RefSample(refs[i], sts[i], ts[i], Double.longBitsToDouble(values[i]));
  }

  /** The samples as entry objects. */
  public List<RefSample> toList() {
    List<RefSample> out = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      out.add(get(i));
    }
    return out;
  }

  /** Appends a sample. */
  public void add(long ref, long st, long t, double v) {
    add(ref, st, t, Double.doubleToRawLongBits(v));
  }

  void add(long ref, long st, long t, long vBits) {
    int n = size;
    if (n == refs.length) {
      grow();
    }
    refs[n] = ref;
    sts[n] = st;
    ts[n] = t;
    values[n] = vBits;
    size = n + 1;
  }

  /** Drops the samples from {@code n} on. */
  void truncate(int n) {
    if (n < 0 || n > size) {
      throw new IndexOutOfBoundsException(n);
    }
    size = n;
  }

  private void grow() {
    int c = refs.length >= (Integer.MAX_VALUE - 8) / 2 ? Integer.MAX_VALUE - 8 : refs.length * 2;
    if (c == refs.length) {
      throw new OutOfMemoryError("sample batch is full");
    }
    resize(c);
  }

  /** Makes room for {@code n} samples in all. */
  void ensureCapacity(int n) {
    if (n > refs.length) {
      resize(Math.max(n, (int) Math.min(Integer.MAX_VALUE - 8, refs.length * 2L)));
    }
  }

  private void resize(int c) {
    refs = Arrays.copyOf(refs, c);
    sts = Arrays.copyOf(sts, c);
    ts = Arrays.copyOf(ts, c);
    values = Arrays.copyOf(values, c);
  }

  private void check(int i) {
    if (i < 0 || i >= size) {
      throw new IndexOutOfBoundsException("sample " + i + " of " + size);
    }
  }

  @Override
  public String toString() {
    return "SampleBatch[" + size + " samples]";
  }
}
