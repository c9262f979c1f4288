/**
 * The base every PromTSDB format module depends on, and nothing else: positional byte
 * sources over arrays and memory-mapped files of any size, Go-compatible varints, CRC32C
 * and section framing, the corruption exceptions, and the labels, sample and native
 * histogram model.
 */
module io.promtsdb.core {
  exports io.promtsdb.core;
}
