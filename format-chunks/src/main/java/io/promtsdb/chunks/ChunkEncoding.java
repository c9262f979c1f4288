package io.promtsdb.chunks;

import io.promtsdb.core.CorruptFormatException;

/**
 * A chunk encoding and its byte on disk (Go's {@code chunkenc.Encoding}). The wire bytes are
 * written out, never derived from {@link #ordinal()}.
 *
 * <p>In head chunk files ({@code chunks_head/}) the byte may carry {@link #OUT_OF_ORDER_FLAG}
 * on top of the encoding; block chunk files never set it.
 */
public enum ChunkEncoding {
  /** Gorilla-style float chunk, Prometheus 2.0+. */
  XOR((byte) 1, "XOR", ValueType.FLOAT, false),
  /** Integer native histograms, Prometheus 2.40+. */
  HISTOGRAM((byte) 2, "histogram", ValueType.HISTOGRAM, false),
  /** Float native histograms, Prometheus 2.42+. */
  FLOAT_HISTOGRAM((byte) 3, "floathistogram", ValueType.FLOAT_HISTOGRAM, false),
  /** Floats with joint timestamp/value control bits and optional start timestamps, 3.11+. */
  XOR2((byte) 4, "XOR2", ValueType.FLOAT, true),
  /** Integer native histograms with start timestamps, 3.14+. */
  HISTOGRAM_ST((byte) 5, "histogramST", ValueType.HISTOGRAM, true),
  /** Float native histograms with start timestamps, 3.14+. */
  FLOAT_HISTOGRAM_ST((byte) 6, "floathistogramST", ValueType.FLOAT_HISTOGRAM, true);

  /** Set on the encoding byte of out-of-order chunks in head chunk files (Go {@code OutOfOrderMask}). */
  public static final int OUT_OF_ORDER_FLAG = 0x80;

  private final byte wireByte;
  private final String goName;
  private final ValueType valueType;
  private final boolean startTimestamps;

  ChunkEncoding(byte wireByte, String goName, ValueType valueType, boolean startTimestamps) {
    this.wireByte = wireByte;
    this.goName = goName;
    this.valueType = valueType;
    this.startTimestamps = startTimestamps;
  }

  /** The byte stored in chunk records. */
  public byte wireByte() {
    return wireByte;
  }

  /** Go's {@code Encoding.String()}: {@code XOR}, {@code histogram}, ... */
  public String goName() {
    return goName;
  }

  /** The kind of sample a chunk of this encoding holds. */
  public ValueType valueType() {
    return valueType;
  }

  /** Whether the encoding stores start timestamps (XOR2 and the ST histogram encodings). */
  public boolean hasStartTimestamps() {
    return startTimestamps;
  }

  /** The encoding for a wire byte (OOO flag not allowed), or {@code null} if there is none. */
  public static ChunkEncoding forWireByte(int b) {
    return switch (b) {
      case 1 -> XOR;
      case 2 -> HISTOGRAM;
      case 3 -> FLOAT_HISTOGRAM;
      case 4 -> XOR2;
      case 5 -> HISTOGRAM_ST;
      case 6 -> FLOAT_HISTOGRAM_ST;
      default -> null;
    };
  }

  /**
   * The encoding for a wire byte read at {@code offset} of {@code resource}.
   *
   * @throws CorruptFormatException if the byte names no encoding
   */
  public static ChunkEncoding fromWireByte(int b, String resource, long offset)
      throws CorruptFormatException {
    ChunkEncoding e = forWireByte(b & 0xFF);
    if (e == null) {
      throw CorruptFormatException.mismatch(
          resource, offset, "chunk encoding", "0x" + Integer.toHexString(b & 0xFF), "1 to 6");
    }
    return e;
  }

  @Override
  public String toString() {
    return goName;
  }
}
