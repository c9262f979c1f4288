/**
 * Prometheus TSDB chunks, byte-exact with Prometheus 2.x and 3.x.
 *
 * <h2>Decoding chunk bytes</h2>
 *
 * <pre>{@code
 * // e.g. a chunk of a remote-read STREAMED_XOR_CHUNKS response: type and data
 * Chunk chunk = Chunk.wrap(ChunkEncoding.fromWireByte(type, "remote read", 0), data, offset, length);
 * ChunkIterator it = chunk.iterator();
 * while (it.next() != ValueType.NONE) {
 *   Sample s = it.at();            // FloatSample, HistogramSample or FloatHistogramSample
 * }
 *
 * // Floats without allocating: typed iterator, reused across chunks, or whole batches
 * FloatIterator f = chunk.floatIterator(null);
 * long[] ts = new long[256], bits = new long[256];
 * for (int n; (n = f.readBatch(ts, bits, 0, ts.length)) > 0; ) { ... }
 * }</pre>
 *
 * <h2>Writing chunks</h2>
 *
 * {@link io.promtsdb.chunks.XorAppender}, {@link io.promtsdb.chunks.Xor2Appender},
 * {@link io.promtsdb.chunks.HistogramAppender} and
 * {@link io.promtsdb.chunks.FloatHistogramAppender} write chunks as Prometheus does (3.x bytes
 * by default, 2.x on request with {@link io.promtsdb.chunks.WriterFlavor}); the histogram
 * appenders also take Prometheus' decisions on recoding and cutting chunks.
 * {@link io.promtsdb.chunks.ChunkEncoder} encodes a list of samples in one call.
 *
 * <h2>Files</h2>
 *
 * {@link io.promtsdb.chunks.ChunkSegmentReader} and {@link io.promtsdb.chunks.ChunkSegmentWriter}
 * handle a block's {@code chunks/} segment files ({@link io.promtsdb.chunks.BlockChunkRef});
 * {@link io.promtsdb.chunks.HeadChunkReader} and {@link io.promtsdb.chunks.HeadChunkWriter} the
 * {@code chunks_head/} files ({@link io.promtsdb.chunks.ChunkDiskMapperRef}).
 *
 * <p>Bad bytes are reported as {@link io.promtsdb.core.CorruptFormatException} (never another
 * exception) naming the file, the chunk and the offset.
 */
package io.promtsdb.chunks;
