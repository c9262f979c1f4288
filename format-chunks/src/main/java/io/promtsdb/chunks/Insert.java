package io.promtsdb.chunks;

/**
 * {@code num} new buckets to insert before the {@code pos}-th bucket of a bucket list (Go's
 * {@code chunkenc.Insert}); {@code bucketIdx} is the (schema) index of the first inserted
 * bucket, used to adjust spans.
 */
public record Insert(int pos, int num, int bucketIdx) {}
