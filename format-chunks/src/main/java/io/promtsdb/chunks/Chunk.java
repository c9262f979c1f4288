package io.promtsdb.chunks;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Sample;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One encoded chunk: an encoding and its bytes, starting with the sample count. This is what
 * a remote-read response carries ({@code STREAMED_XOR_CHUNKS}), what a block chunk record or a
 * head chunk record holds, and what an appender produces.
 *
 * <p>A chunk is a view of a {@code byte[]} range and is treated as immutable: {@link #wrap}
 * does not copy, so the caller must not change the bytes while the chunk is in use. It also
 * carries a description and an origin offset so that decoding errors name where the bytes
 * came from (e.g. {@code 01H.../chunks/000001 [chunk 0x00000000000a41]} at its file offset).
 */
public final class Chunk {
  private final ChunkEncoding encoding;
  private final byte[] array;
  private final int offset;
  private final int length;
  private final String resource;
  private final long origin;

  private Chunk(
      ChunkEncoding encoding, byte[] array, int offset, int length, String resource, long origin) {
    this.encoding = encoding;
    this.array = array;
    this.offset = offset;
    this.length = length;
    this.resource = resource;
    this.origin = origin;
  }

  /** Bytes before the bit stream: 2 for XOR, 3 for every other encoding. */
  static int headerBytes(ChunkEncoding e) {
    return e == ChunkEncoding.XOR ? 2 : 3;
  }

  /**
   * A chunk over {@code data[offset..offset+length)} without copying.
   *
   * @throws CorruptFormatException if the range is shorter than the encoding's header
   */
  public static Chunk wrap(
      ChunkEncoding encoding, byte[] data, int offset, int length, String resource, long origin)
      throws CorruptFormatException {
    if (offset < 0 || length < 0 || offset > data.length - length) {
      throw new IllegalArgumentException(
          "range [" + offset + ", +" + length + ") outside array of " + data.length);
    }
    int header = headerBytes(encoding);
    if (length < header) {
      throw new CorruptFormatException(
          resource,
          origin,
          encoding.goName() + " chunk of " + length + " bytes: actual " + length
              + " vs expected at least " + header + " header bytes");
    }
    return new Chunk(encoding, data, offset, length, resource, origin);
  }

  /** A chunk over {@code data[offset..offset+length)}, described as {@code <memory>}. */
  public static Chunk wrap(ChunkEncoding encoding, byte[] data, int offset, int length)
      throws CorruptFormatException {
    return wrap(encoding, data, offset, length, "<memory>", 0);
  }

  /** A chunk over all of {@code data} (not copied). */
  public static Chunk wrap(ChunkEncoding encoding, byte[] data) throws CorruptFormatException {
    return wrap(encoding, data, 0, data.length);
  }

  /** A chunk with a copy of {@code length} bytes of {@code src} at {@code pos}. */
  public static Chunk read(ChunkEncoding encoding, ByteSource src, long pos, int length)
      throws CorruptFormatException {
    byte[] data = src.toByteArray(pos, length);
    return wrap(encoding, data, 0, length, src.description(), src.origin() + pos);
  }

  /** A chunk over an array an appender produced; its header is known to be present. */
  static Chunk ofOwned(ChunkEncoding encoding, byte[] data) {
    return new Chunk(encoding, data, 0, data.length, "<memory>", 0);
  }

  public ChunkEncoding encoding() {
    return encoding;
  }

  /** Length of the chunk data in bytes. */
  public int length() {
    return length;
  }

  /** The resource the bytes came from, for error messages. */
  public String resource() {
    return resource;
  }

  /** Absolute offset of the chunk's first byte in {@link #resource()}. */
  public long origin() {
    return origin;
  }

  /**
   * The number of samples in the header. For the ST histogram encodings the top two bits of
   * the count word hold the counter-reset header and are masked off (Prometheus'
   * {@code IterateAllChunks} forgets that mask; this does not).
   */
  public int numSamples() {
    int word = BigEndian.getUnsignedShort(array, offset);
    if (encoding == ChunkEncoding.HISTOGRAM_ST || encoding == ChunkEncoding.FLOAT_HISTOGRAM_ST) {
      return word & HistogramLayout.ST_SAMPLE_COUNT_MASK;
    }
    return word;
  }

  /**
   * The counter-reset header of a histogram chunk.
   *
   * @throws IllegalStateException for the float encodings (XOR, XOR2), which have none
   */
  public CounterResetHeader counterResetHeader() {
    return switch (encoding) {
      case HISTOGRAM, FLOAT_HISTOGRAM -> CounterResetHeader.fromByte(array[offset + 2]);
      case HISTOGRAM_ST, FLOAT_HISTOGRAM_ST -> CounterResetHeader.fromByte(array[offset]);
      case XOR, XOR2 -> throw new IllegalStateException(encoding + " chunks have no counter reset header");
    };
  }

  /** A copy of the chunk bytes. */
  public byte[] copyBytes() {
    return Arrays.copyOfRange(array, offset, offset + length);
  }

  /** The byte at {@code index} (0-based within the chunk). */
  public int byteAt(int index) {
    if (index < 0 || index >= length) {
      throw new IndexOutOfBoundsException(index);
    }
    return array[offset + index] & 0xFF;
  }

  byte[] array() {
    return array;
  }

  int offset() {
    return offset;
  }

  /** An iterator of the right kind for this chunk's encoding. */
  public ChunkIterator iterator() {
    return iterator(null);
  }

  /**
   * An iterator over this chunk, reusing {@code reuse} (which may be {@code null}) when it is
   * of the right kind: iterators keep their buffers, so iterating many chunks allocates
   * nothing per sample and little per chunk.
   */
  public ChunkIterator iterator(ChunkIterator reuse) {
    switch (encoding) {
      case XOR -> {
        XorIterator it = reuse instanceof XorIterator x ? x : new XorIterator();
        it.reset(this);
        return it;
      }
      case XOR2 -> {
        Xor2Iterator it = reuse instanceof Xor2Iterator x ? x : new Xor2Iterator();
        it.reset(this);
        return it;
      }
      case HISTOGRAM, HISTOGRAM_ST -> {
        HistogramIterator it = reuse instanceof HistogramIterator h ? h : new HistogramIterator();
        it.reset(this);
        return it;
      }
      default -> {
        FloatHistogramIterator it =
            reuse instanceof FloatHistogramIterator h ? h : new FloatHistogramIterator();
        it.reset(this);
        return it;
      }
    }
  }

  /**
   * A float iterator (XOR and XOR2 chunks).
   *
   * @throws IllegalStateException for histogram chunks
   */
  public FloatIterator floatIterator(FloatIterator reuse) {
    if (encoding.valueType() != ValueType.FLOAT) {
      throw new IllegalStateException(encoding + " chunks hold no float samples");
    }
    return (FloatIterator) iterator(reuse);
  }

  /**
   * An integer histogram iterator (encodings 2 and 5).
   *
   * @throws IllegalStateException for other encodings
   */
  public HistogramIterator histogramIterator(HistogramIterator reuse) {
    if (encoding.valueType() != ValueType.HISTOGRAM) {
      throw new IllegalStateException(encoding + " chunks hold no integer histograms");
    }
    return (HistogramIterator) iterator(reuse);
  }

  /**
   * A float histogram iterator (encodings 3 and 6).
   *
   * @throws IllegalStateException for other encodings
   */
  public FloatHistogramIterator floatHistogramIterator(FloatHistogramIterator reuse) {
    if (encoding.valueType() != ValueType.FLOAT_HISTOGRAM) {
      throw new IllegalStateException(encoding + " chunks hold no float histograms");
    }
    return (FloatHistogramIterator) iterator(reuse);
  }

  /** Decodes every sample. */
  public List<Sample> samples() throws CorruptFormatException {
    ChunkIterator it = iterator();
    List<Sample> out = new ArrayList<>(Math.min(numSamples(), 4096));
    while (it.next() != ValueType.NONE) {
      out.add(it.at());
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Chunk c
        && c.encoding == encoding
        && Arrays.equals(array, offset, offset + length, c.array, c.offset, c.offset + c.length);
  }

  @Override
  public int hashCode() {
    int h = encoding.hashCode();
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + array[i];
    }
    return h;
  }

  @Override
  public String toString() {
    return encoding.goName() + " chunk of " + length + " bytes, " + numSamples() + " samples";
  }
}
