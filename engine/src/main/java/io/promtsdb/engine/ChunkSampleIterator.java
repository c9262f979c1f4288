package io.promtsdb.engine;

import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.ChunkIterator;
import io.promtsdb.chunks.FloatHistogramIterator;
import io.promtsdb.chunks.FloatIterator;
import io.promtsdb.chunks.HistogramIterator;
import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.CorruptFormatException;

/** The samples of one encoded chunk, through the chunk module's iterators. Reusable. */
final class ChunkSampleIterator implements SampleIterator {
  private ChunkIterator it;
  private FloatIterator floats;
  private HistogramIterator histograms;
  private FloatHistogramIterator floatHistograms;

  ChunkSampleIterator reset(Chunk chunk) {
    it = chunk.iterator(it);
    floats = it instanceof FloatIterator f ? f : null;
    histograms = it instanceof HistogramIterator h ? h : null;
    floatHistograms = it instanceof FloatHistogramIterator fh ? fh : null;
    return this;
  }

  static ChunkSampleIterator of(Chunk chunk, SampleIterator reuse) {
    ChunkSampleIterator c = reuse instanceof ChunkSampleIterator r ? r : new ChunkSampleIterator();
    return c.reset(chunk);
  }

  @Override
  public ValueType next() throws CorruptFormatException {
    return it.next();
  }

  @Override
  public ValueType seek(long t) throws CorruptFormatException {
    return it.seek(t);
  }

  @Override
  public long atT() {
    return it.atT();
  }

  @Override
  public double atValue() {
    return floats.atValue();
  }

  @Override
  public Histogram atHistogram() {
    return histograms.atHistogram();
  }

  @Override
  public FloatHistogram atFloatHistogram() {
    return histograms != null ? histograms.atFloatHistogram() : floatHistograms.atFloatHistogram();
  }
}
