package io.promtsdb.chunks;

import io.promtsdb.core.Sample;
import java.util.List;

/**
 * Encodes a list of samples into one chunk, without the appendability checks of the
 * histogram appenders: the first histogram sets the layout and every later one must have the
 * same number of buckets. That holds for the samples of any decoded chunk, so
 * {@code encode(decode(chunk))} reproduces the chunk; use the appenders' {@code
 * appendHistogram} to get Prometheus' cutting and recoding.
 */
public final class ChunkEncoder {
  private ChunkEncoder() {}

  /** Encodes with Prometheus 3.x bytes and, for histograms, the UNKNOWN counter-reset header. */
  public static Chunk encode(ChunkEncoding encoding, List<? extends Sample> samples) {
    return encode(encoding, samples, CounterResetHeader.UNKNOWN, WriterFlavor.PROMETHEUS_3);
  }

  /**
   * Encodes {@code samples} as {@code encoding}.
   *
   * @param header counter-reset header set before the first histogram is appended (ignored for
   *     float encodings); as in Go, a first sample hinting a gauge or a counter reset overrides it
   * @param flavor the Prometheus bit writer to match
   * @throws IllegalArgumentException if a sample is of the wrong kind or does not match the chunk layout
   */
  public static Chunk encode(
      ChunkEncoding encoding, List<? extends Sample> samples, CounterResetHeader header, WriterFlavor flavor) {
    switch (encoding.valueType()) {
      case FLOAT -> {
        FloatAppender a = encoding == ChunkEncoding.XOR
            ? XorAppender.create(flavor) : Xor2Appender.create();
        for (Sample s : samples) {
          if (!(s instanceof Sample.FloatSample f)) {
            throw new IllegalArgumentException(encoding + " chunks hold float samples, not " + s);
          }
          if (a instanceof XorAppender x) {
            x.appendBits(f.timestamp(), Double.doubleToRawLongBits(f.value()));
          } else {
            ((Xor2Appender) a).appendBits(f.startTimestamp(), f.timestamp(), Double.doubleToRawLongBits(f.value()));
          }
        }
        return a.chunk();
      }
      case HISTOGRAM -> {
        HistogramAppender a = HistogramAppender.create(encoding, flavor);
        a.setCounterResetHeader(header);
        for (Sample s : samples) {
          if (!(s instanceof Sample.HistogramSample h)) {
            throw new IllegalArgumentException(encoding + " chunks hold integer histograms, not " + s);
          }
          a.appendUnchecked(h.startTimestamp(), h.timestamp(), h.histogram());
        }
        return a.chunk();
      }
      case FLOAT_HISTOGRAM -> {
        FloatHistogramAppender a = FloatHistogramAppender.create(encoding, flavor);
        a.setCounterResetHeader(header);
        for (Sample s : samples) {
          if (!(s instanceof Sample.FloatHistogramSample h)) {
            throw new IllegalArgumentException(encoding + " chunks hold float histograms, not " + s);
          }
          a.appendUnchecked(h.startTimestamp(), h.timestamp(), h.histogram());
        }
        return a.chunk();
      }
      default -> throw new IllegalArgumentException("no samples for " + encoding);
    }
  }
}
