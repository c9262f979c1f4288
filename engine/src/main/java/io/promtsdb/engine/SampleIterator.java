package io.promtsdb.engine;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import java.io.IOException;

/**
 * Walks the samples of one series in time order (Go's {@code chunkenc.Iterator}).
 *
 * <pre>{@code
 * for (ValueType t = it.next(); t != ValueType.NONE; t = it.next()) {
 *   switch (t) {
 *     case FLOAT -> use(it.atT(), it.atValue());
 *     case HISTOGRAM -> use(it.atT(), it.atHistogram());
 *     case FLOAT_HISTOGRAM -> use(it.atT(), it.atFloatHistogram());
 *   }
 * }
 * }</pre>
 *
 * <p>A series may switch between floats and histograms from one sample to the next; {@link
 * #next()} says what the current sample is. Once {@link #next()} has returned {@link
 * ValueType#NONE} it keeps doing so. Corrupt chunk bytes surface as a {@link
 * io.promtsdb.core.CorruptFormatException} naming the file and offset. Not thread-safe.
 */
public interface SampleIterator {

  /** Advances to the next sample and returns its type, {@link ValueType#NONE} at the end. */
  ValueType next() throws IOException;

  /**
   * Advances to the first sample at or after {@code t} and returns its type. If the current
   * sample already qualifies it stays (Go's semantics); {@link ValueType#NONE} if no sample
   * does.
   */
  ValueType seek(long t) throws IOException;

  /** The current sample's timestamp in milliseconds. */
  long atT();

  /** The current float value (after {@link ValueType#FLOAT}); bits are kept, stale NaN included. */
  double atValue();

  /** The current integer histogram (after {@link ValueType#HISTOGRAM}). */
  Histogram atHistogram();

  /**
   * The current sample as a float histogram (after {@link ValueType#FLOAT_HISTOGRAM}, or
   * converted from an integer histogram after {@link ValueType#HISTOGRAM}).
   */
  FloatHistogram atFloatHistogram();

  /** An iterator without samples. */
  static SampleIterator empty() {
    return EmptySampleIterator.INSTANCE;
  }

  /** The shared empty iterator. */
  final class EmptySampleIterator implements SampleIterator {
    static final EmptySampleIterator INSTANCE = new EmptySampleIterator();

    private EmptySampleIterator() {}

    @Override
    public ValueType next() {
      return ValueType.NONE;
    }

    @Override
    public ValueType seek(long t) {
      return ValueType.NONE;
    }

    @Override
    public long atT() {
      throw new IllegalStateException("no sample");
    }

    @Override
    public double atValue() {
      throw new IllegalStateException("no sample");
    }

    @Override
    public Histogram atHistogram() {
      throw new IllegalStateException("no sample");
    }

    @Override
    public FloatHistogram atFloatHistogram() {
      throw new IllegalStateException("no sample");
    }
  }
}
