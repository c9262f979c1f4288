package io.promtsdb.engine;

import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.ChunkEncoding;
import io.promtsdb.chunks.FloatHistogramAppender;
import io.promtsdb.chunks.HistogramAppender;
import io.promtsdb.chunks.XorAppender;
import io.promtsdb.core.CorruptFormatException;

/**
 * A head chunk being appended to (Go's {@code memChunk} with its appender): one of an XOR, a
 * histogram or a float histogram appender, and the chunk's time range.
 */
final class MemChunk {
  final ChunkEncoding encoding;
  XorAppender xor;
  HistogramAppender histogram;
  FloatHistogramAppender floatHistogram;
  long minTime;
  long maxTime;

  /**
   * Bytes an XOR head chunk starts with when nothing better is known: room for about ten
   * samples (a young series, or one scraped rarely, keeps a small buffer; Go starts at 128).
   */
  static final int FIRST_XOR_CAPACITY = 64;

  MemChunk(ChunkEncoding encoding, long minTime) {
    this(encoding, minTime, FIRST_XOR_CAPACITY);
  }

  /** A new chunk; an XOR chunk's buffer starts at {@code xorCapacity} bytes (it grows as needed). */
  MemChunk(ChunkEncoding encoding, long minTime, int xorCapacity) {
    this.encoding = encoding;
    this.minTime = minTime;
    this.maxTime = Long.MIN_VALUE;
    switch (encoding) {
      case HISTOGRAM -> histogram = HistogramAppender.create(ChunkEncoding.HISTOGRAM);
      case FLOAT_HISTOGRAM -> floatHistogram = FloatHistogramAppender.create(ChunkEncoding.FLOAT_HISTOGRAM);
      default -> xor = XorAppender.create(xorCapacity);
    }
  }

  private MemChunk(ChunkEncoding encoding, long minTime, long maxTime) {
    this.encoding = encoding;
    this.minTime = minTime;
    this.maxTime = maxTime;
  }

  /** A head chunk continuing {@code chunk} (from a memory snapshot) over {@code [minTime, maxTime]}. */
  static MemChunk resume(Chunk chunk, long minTime, long maxTime) throws CorruptFormatException {
    MemChunk c = new MemChunk(chunk.encoding(), minTime, maxTime);
    switch (chunk.encoding()) {
      case HISTOGRAM, HISTOGRAM_ST -> c.histogram = HistogramAppender.resume(chunk);
      case FLOAT_HISTOGRAM, FLOAT_HISTOGRAM_ST -> c.floatHistogram = FloatHistogramAppender.resume(chunk);
      default -> c.xor = XorAppender.resume(chunk);
    }
    return c;
  }

  int numSamples() {
    return xor != null ? xor.numSamples() : histogram != null ? histogram.numSamples() : floatHistogram.numSamples();
  }

  int sizeBytes() {
    return xor != null ? xor.sizeBytes() : histogram != null ? histogram.sizeBytes() : floatHistogram.sizeBytes();
  }

  /** The bytes written so far (a copy). */
  Chunk chunk() {
    return xor != null ? xor.chunk() : histogram != null ? histogram.chunk() : floatHistogram.chunk();
  }
}
