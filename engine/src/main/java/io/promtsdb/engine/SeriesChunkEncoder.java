package io.promtsdb.engine;

import io.promtsdb.chunks.AppendResult;
import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.ChunkEncoding;
import io.promtsdb.chunks.FloatHistogramAppender;
import io.promtsdb.chunks.HistogramAppender;
import io.promtsdb.chunks.ValueType;
import io.promtsdb.chunks.WriterFlavor;
import io.promtsdb.chunks.XorAppender;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes samples into chunks as Prometheus re-encodes them during compaction:
 *
 * <ul>
 *   <li>{@link #encodeSplit}: Go's {@code seriesToChunkEncoder} (merged overlapping chunks): a
 *       new chunk at every change of value type, every 120 samples, and wherever a histogram
 *       append asks for a new chunk (a recode replaces the current chunk in place);
 *   <li>{@link #encodeRuns}: Go's {@code populateChunksFromIterable} (merged out-of-order
 *       chunks) and {@code OOOChunk.ToEncodedChunks}: the same without the 120-sample split;
 *   <li>{@link #encodeOne}: Go's {@code populateCurrForSingleChunk} (a chunk with deleted
 *       samples): the remaining samples into one chunk of the same kind, histograms in
 *       append-only mode.
 * </ul>
 */
final class SeriesChunkEncoder {
  /** Go's {@code seriesToChunkEncoderSplit}. */
  static final int SPLIT = 120;

  /** The sample capacity of a chunk (its 16-bit sample count). */
  static final int MAX_SAMPLES = 0xFFFF;

  private SeriesChunkEncoder() {}

  private static final class Cur {
    ValueType type = ValueType.NONE;
    XorAppender xor;
    HistogramAppender hist;
    FloatHistogramAppender fhist;
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    int n;

    final WriterFlavor flavor;

    Cur(WriterFlavor flavor) {
      this.flavor = flavor;
    }

    void start(ValueType t) {
      type = t;
      xor = null;
      hist = null;
      fhist = null;
      switch (t) {
        case FLOAT -> xor = XorAppender.create(flavor);
        case HISTOGRAM -> hist = HistogramAppender.create(ChunkEncoding.HISTOGRAM, flavor);
        case FLOAT_HISTOGRAM -> fhist = FloatHistogramAppender.create(ChunkEncoding.FLOAT_HISTOGRAM, flavor);
        default -> throw new IllegalArgumentException("no chunk for " + t);
      }
      mint = Long.MAX_VALUE;
      n = 0;
    }

    Chunk chunk() {
      return xor != null ? xor.chunk() : hist != null ? hist.chunk() : fhist.chunk();
    }

    void flushTo(List<BlockChunk> out) {
      // Go's appendChunk: nothing before the first sample.
      if (type != ValueType.NONE && mint != Long.MAX_VALUE) {
        out.add(new BlockChunk(mint, maxt, chunk()));
      }
    }
  }

  /** Go's {@code seriesToChunkEncoder.Iterator} over {@code it}'s samples. */
  static List<BlockChunk> encodeSplit(SampleIterator it, WriterFlavor flavor) throws IOException {
    return encode(it, flavor, SPLIT);
  }

  /**
   * Go's {@code populateChunksFromIterable} and {@code OOOChunk.ToEncodedChunks}: a new chunk
   * only at a change of value type or where a histogram append asks for one. Go has no bound;
   * a chunk is also cut at its encoding's sample capacity, where Go's 16-bit count would wrap.
   */
  static List<BlockChunk> encodeRuns(SampleIterator it, WriterFlavor flavor) throws IOException {
    return encode(it, flavor, Integer.MAX_VALUE);
  }

  private static List<BlockChunk> encode(SampleIterator it, WriterFlavor flavor, int split) throws IOException {
    List<BlockChunk> out = new ArrayList<>();
    Cur c = new Cur(flavor);
    for (ValueType typ = it.next(); typ != ValueType.NONE; typ = it.next()) {
      if (typ != c.type || c.n >= split || c.n >= MAX_SAMPLES) {
        c.flushTo(out);
        c.start(typ);
      }
      long t = it.atT();
      switch (typ) {
        case FLOAT -> c.xor.append(t, it.atValue());
        case HISTOGRAM -> {
          AppendResult<HistogramAppender> r = c.hist.appendHistogram(null, 0, t, it.atHistogram(), false);
          if (r.outcome() == AppendResult.Outcome.NEW_CHUNK) {
            c.flushTo(out);
            c.mint = Long.MAX_VALUE;
            c.n = 0;
          }
          c.hist = r.appender();
        }
        case FLOAT_HISTOGRAM -> {
          AppendResult<FloatHistogramAppender> r =
              c.fhist.appendFloatHistogram(null, 0, t, it.atFloatHistogram(), false);
          if (r.outcome() == AppendResult.Outcome.NEW_CHUNK) {
            c.flushTo(out);
            c.mint = Long.MAX_VALUE;
            c.n = 0;
          }
          c.fhist = r.appender();
        }
        default -> throw new IllegalStateException(String.valueOf(typ));
      }
      c.maxt = t;
      if (c.mint == Long.MAX_VALUE) {
        c.mint = t;
      }
      c.n++;
    }
    c.flushTo(out);
    return out;
  }

  /**
   * Go's {@code populateCurrForSingleChunk}: the samples of {@code it} (one chunk's, some
   * deleted) into one new chunk; null when none is left.
   *
   * @throws IOException "iterate chunk while re-encoding" if the samples do not fit one chunk
   */
  static BlockChunk encodeOne(SampleIterator it, WriterFlavor flavor) throws IOException {
    ValueType first = it.next();
    if (first == ValueType.NONE) {
      return null;
    }
    Cur c = new Cur(flavor);
    c.start(first);
    long mint = it.atT();
    long t = mint;
    for (ValueType vt = first; vt != ValueType.NONE; vt = it.next()) {
      if (vt != first) {
        throw new IOException("iterate chunk while re-encoding: found value type " + vt + " in " + first + " chunk");
      }
      t = it.atT();
      switch (vt) {
        case FLOAT -> c.xor.append(t, it.atValue());
        case HISTOGRAM -> {
          AppendResult<HistogramAppender> r = c.hist.appendHistogram(null, 0, t, it.atHistogram(), true);
          if (r.outcome() == AppendResult.Outcome.REJECTED) {
            throw new IOException("iterate chunk while re-encoding: " + r.rejection());
          }
          c.hist = r.appender();
        }
        case FLOAT_HISTOGRAM -> {
          AppendResult<FloatHistogramAppender> r =
              c.fhist.appendFloatHistogram(null, 0, t, it.atFloatHistogram(), true);
          if (r.outcome() == AppendResult.Outcome.REJECTED) {
            throw new IOException("iterate chunk while re-encoding: " + r.rejection());
          }
          c.fhist = r.appender();
        }
        default -> throw new IllegalStateException(String.valueOf(vt));
      }
    }
    return new BlockChunk(mint, t, c.chunk());
  }
}
