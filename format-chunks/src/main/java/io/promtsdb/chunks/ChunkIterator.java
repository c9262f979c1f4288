package io.promtsdb.chunks;

import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Sample;

/**
 * Walks the samples of one chunk in order (Go's {@code chunkenc.Iterator}).
 *
 * <pre>{@code
 * ChunkIterator it = chunk.iterator();
 * while (it.next() != ValueType.NONE) {
 *   long t = it.atT();
 *   Sample s = it.at();
 * }
 * }</pre>
 *
 * <p>Each kind of chunk has its own final iterator class with typed, allocation-free accessors
 * ({@link FloatIterator#atValue()}, {@link HistogramIterator#count()}, ...); {@link #at()}
 * materialises the current sample as a {@link Sample} for any kind. Iterators are reusable
 * ({@link Chunk#iterator(ChunkIterator)}) and not thread-safe.
 *
 * <p>Corrupt bytes surface as a {@link CorruptFormatException} from {@link #next()} or
 * {@link #seek(long)}, naming the chunk's resource and the offset of the bad sample; the
 * iterator is exhausted afterwards.
 */
public sealed interface ChunkIterator permits FloatIterator, HistogramIterator, FloatHistogramIterator {

  /**
   * Advances to the next sample and returns its type, or {@link ValueType#NONE} once all
   * samples have been read.
   */
  ValueType next() throws CorruptFormatException;

  /**
   * Advances to the first sample with a timestamp at or after {@code t}. Has no effect if the
   * current sample already qualifies (Go's semantics: a sample found by a previous call stays).
   * Returns {@link ValueType#NONE} if there is no such sample.
   */
  ValueType seek(long t) throws CorruptFormatException;

  /** The current sample's timestamp; unspecified before the first {@link #next()}. */
  long atT();

  /** The current sample's start timestamp, or 0 if the encoding stores none or it is unset. */
  long atST();

  /** The current sample, materialised. */
  Sample at();

  /** The encoding of the chunk being iterated. */
  ChunkEncoding encoding();

  /** Number of samples read so far. */
  int samplesRead();
}
