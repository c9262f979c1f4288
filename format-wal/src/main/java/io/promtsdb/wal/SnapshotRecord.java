package io.promtsdb.wal;

import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import io.promtsdb.wal.Refs.RefExemplar;
import io.promtsdb.wal.Refs.RefTombstone;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A record of a memory snapshot ({@code chunk_snapshot.NNNNNN.NNNNNNNNNN/}), written with the
 * WAL segment format but with its own type bytes: 1 series, 2 tombstones, 3 exemplars.
 * {@link SnapshotCodec} decodes and encodes them.
 */
public sealed interface SnapshotRecord {
  int TYPE_SERIES = 1;
  int TYPE_TOMBSTONES = 2;
  int TYPE_EXEMPLARS = 3;

  int typeByte();

  /**
   * A head series with its open head chunk, if it has one.
   *
   * @param chunkRange written as 0 by every version that can be read (was the chunk range)
   */
  record Series(long ref, Labels labels, long chunkRange, HeadChunk headChunk)
      implements SnapshotRecord {
    public Series {
      Objects.requireNonNull(labels);
    }

    public Series(long ref, Labels labels, HeadChunk headChunk) {
      this(ref, labels, 0, headChunk);
    }

    @Override
    public int typeByte() {
      return TYPE_SERIES;
    }
  }

  /**
   * The open head chunk of a series: time range (inclusive), chunk encoding byte and the
   * chunk bytes (opaque here; the chunks module decodes them), then the value the series
   * last had.
   */
  record HeadChunk(long mint, long maxt, int encoding, byte[] bytes, LastValue last) {
    public HeadChunk {
      Objects.requireNonNull(bytes);
      Objects.requireNonNull(last);
      if (encoding < 0 || encoding > 255) {
        throw new IllegalArgumentException("encoding must be a byte: " + encoding);
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof HeadChunk h
          && h.mint == mint
          && h.maxt == maxt
          && h.encoding == encoding
          && Arrays.equals(h.bytes, bytes)
          && h.last.equals(last);
    }

    @Override
    public int hashCode() {
      return Objects.hash(mint, maxt, encoding, Arrays.hashCode(bytes), last);
    }

    @Override
    public String toString() {
      return "HeadChunk[mint=" + mint + ", maxt=" + maxt + ", encoding=" + encoding
          + ", bytes=" + bytes.length + ", last=" + last + "]";
    }
  }

  /** What follows the chunk bytes; which variant depends on the encoding and the version. */
  sealed interface LastValue {}

  /**
   * The legacy "sampleBuf" of the last four samples (64 bytes): written for float chunks
   * (XOR, XOR2) by every version, and for every chunk by 2.42 to 2.45. Since 2.3x only the
   * last value is meaningful; the other entries are written as zeros.
   */
  record SampleBuf(long[] times, long[] valueBits) implements LastValue {
    public SampleBuf {
      if (times.length != 4 || valueBits.length != 4) {
        throw new IllegalArgumentException("sampleBuf holds exactly 4 samples");
      }
      times = times.clone();
      valueBits = valueBits.clone();
    }

    /** What current Prometheus writes: three zero samples, then (0, lastValue). */
    public static SampleBuf ofLastValue(double lastValue) {
      return new SampleBuf(
          new long[4], new long[] {0, 0, 0, Double.doubleToRawLongBits(lastValue)});
    }

    public double lastValue() {
      return Double.longBitsToDouble(valueBits[3]);
    }

    @Override
    public long[] times() {
      return times.clone();
    }

    @Override
    public long[] valueBits() {
      return valueBits.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof SampleBuf s
          && Arrays.equals(s.times, times)
          && Arrays.equals(s.valueBits, valueBits);
    }

    @Override
    public int hashCode() {
      return 31 * Arrays.hashCode(times) + Arrays.hashCode(valueBits);
    }

    @Override
    public String toString() {
      return "SampleBuf[last=" + lastValue() + "]";
    }
  }

  /** The last integer histogram (histogram chunks, 2.46+). */
  record LastHistogram(Histogram histogram) implements LastValue {
    public LastHistogram {
      Objects.requireNonNull(histogram);
    }
  }

  /** The last float histogram (float histogram chunks, 2.46+). */
  record LastFloatHistogram(FloatHistogram histogram) implements LastValue {
    public LastFloatHistogram {
      Objects.requireNonNull(histogram);
    }
  }

  /** All tombstones of the head, embedded as {@code tombstones.Encode} bytes. */
  record Tombstones(List<RefTombstone> tombstones) implements SnapshotRecord {
    public Tombstones {
      tombstones = List.copyOf(tombstones);
    }

    @Override
    public int typeByte() {
      return TYPE_TOMBSTONES;
    }
  }

  /** Up to 10 000 exemplars, in the head's circular-buffer order. */
  record Exemplars(long baseRef, long baseTime, List<RefExemplar> exemplars)
      implements SnapshotRecord {
    public Exemplars {
      exemplars = List.copyOf(exemplars);
    }

    public static Exemplars of(List<RefExemplar> exemplars) {
      return exemplars.isEmpty()
          ? new Exemplars(0, 0, exemplars)
          : new Exemplars(exemplars.get(0).ref(), exemplars.get(0).t(), exemplars);
    }

    @Override
    public int typeByte() {
      return TYPE_EXEMPLARS;
    }
  }
}
