package io.promtsdb.chunks;

/** What a chunk iterator points at (Go's {@code chunkenc.ValueType}). */
public enum ValueType {
  /** No value: the iterator is exhausted (or has not started). */
  NONE,
  /** A float sample. */
  FLOAT,
  /** An integer native histogram. */
  HISTOGRAM,
  /** A float native histogram. */
  FLOAT_HISTOGRAM
}
