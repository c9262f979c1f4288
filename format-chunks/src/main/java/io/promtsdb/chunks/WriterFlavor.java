package io.promtsdb.chunks;

/**
 * Which Prometheus bit writer to match byte for byte.
 *
 * <p>Up to 2.55 Go's {@code bstream.writeByte} appended a spare zero byte whenever it wrote a
 * byte into a byte-aligned stream (fixed in 3.0, prometheus/prometheus#14854). The bits are
 * the same, but a 2.x chunk ends with one extra {@code 0x00} whenever its last write was such
 * a byte (e.g. a one-sample XOR chunk is 13 bytes in 2.x and 12 in 3.x). Readers accept both.
 */
public enum WriterFlavor {
  /** Prometheus 3.0 and later (the default). */
  PROMETHEUS_3,
  /** Prometheus 2.x: the spare trailing byte. Only for encodings 1 to 3. */
  PROMETHEUS_2
}
