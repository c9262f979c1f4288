package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Sample;
import io.promtsdb.core.Span;
import org.junit.jupiter.api.Test;

/** The public iterator API: Go's seek semantics, reuse, typed access and misuse. */
class IteratorApiTest {

  private static Chunk xor(long... ts) {
    XorAppender a = XorAppender.create();
    for (long t : ts) {
      a.append(t, t / 10.0);
    }
    return a.chunk();
  }

  @Test
  void seekFollowsGo() throws Exception {
    FloatIterator it = xor(10, 20, 30).floatIterator(null);
    // Seek before the first sample lands on the first.
    assertThat(it.seek(5)).isEqualTo(ValueType.FLOAT);
    assertThat(it.atT()).isEqualTo(10);
    // Seek to a time the current sample already satisfies does not move.
    assertThat(it.seek(7)).isEqualTo(ValueType.FLOAT);
    assertThat(it.atT()).isEqualTo(10);
    assertThat(it.seek(11)).isEqualTo(ValueType.FLOAT);
    assertThat(it.atT()).isEqualTo(20);
    assertThat(it.seek(30)).isEqualTo(ValueType.FLOAT);
    assertThat(it.atValue()).isEqualTo(3.0);
    assertThat(it.seek(31)).isEqualTo(ValueType.NONE);
    assertThat(it.next()).isEqualTo(ValueType.NONE);
    // An exhausted iterator still answers a seek the last sample satisfies, as Go's does.
    assertThat(it.seek(30)).isEqualTo(ValueType.FLOAT);
    assertThat(xor().floatIterator(null).seek(Long.MIN_VALUE)).isEqualTo(ValueType.NONE);
  }

  @Test
  void iteratorsAreReusedAcrossChunks() throws Exception {
    Chunk a = xor(1, 2, 3);
    Chunk b = xor(4, 5);
    ChunkIterator it = a.iterator();
    assertThat(b.iterator(it)).isSameAs(it);
    assertThat(it.next()).isEqualTo(ValueType.FLOAT);
    assertThat(it.atT()).isEqualTo(4);
    Xor2Appender x2 = Xor2Appender.create();
    x2.append(100, 1000, 1.5);
    ChunkIterator it2 = x2.chunk().iterator(it);
    assertThat(it2).isNotSameAs(it).isInstanceOf(Xor2Iterator.class);
    assertThat(it2.next()).isEqualTo(ValueType.FLOAT);
    assertThat(it2.at()).isEqualTo(new Sample.FloatSample(1000, 100, 1.5));
    assertThat(it2.encoding()).isEqualTo(ChunkEncoding.XOR2);
  }

  @Test
  void typedIteratorsRefuseOtherKinds() throws Exception {
    Chunk c = xor(1);
    assertThatThrownBy(() -> c.histogramIterator(null)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> c.floatHistogramIterator(null)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(c::counterResetHeader).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new HistogramIterator().reset(c)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shortChunksAreCorrupt() {
    assertThatThrownBy(() -> Chunk.wrap(ChunkEncoding.XOR, new byte[1]))
        .isInstanceOf(CorruptFormatException.class).hasMessageContaining("at least 2 header bytes");
    assertThatThrownBy(() -> Chunk.wrap(ChunkEncoding.HISTOGRAM, new byte[2]))
        .isInstanceOf(CorruptFormatException.class).hasMessageContaining("at least 3 header bytes");
  }

  @Test
  void wrappedRangesAndErrorOffsets() throws Exception {
    byte[] inner = xor(1000, 2000).copyBytes();
    byte[] outer = new byte[inner.length + 10];
    System.arraycopy(inner, 0, outer, 5, inner.length);
    Chunk c = Chunk.wrap(ChunkEncoding.XOR, outer, 5, inner.length, "remote-read frame 3", 1000);
    assertThat(c.samples()).hasSize(2);
    // Claim more samples than the bits hold: the error names the resource and an offset in it.
    outer[5] = 0;
    outer[6] = 9;
    assertThatThrownBy(() -> c.samples())
        .isInstanceOf(CorruptFormatException.class)
        .hasMessageStartingWith("remote-read frame 3 at offset 10")
        .hasMessageContaining("sample 2 of 9");
  }

  @Test
  void histogramTypedAccessorsAndMaterialisation() throws Exception {
    HistogramAppender a = HistogramAppender.create(ChunkEncoding.HISTOGRAM_ST);
    Histogram h = Histogram.builder().schema(1).zeroThreshold(0.5).zeroCount(2).count(9).sum(3.25)
        .positiveSpans(new Span(-1, 2)).positiveBuckets(3, 1).negativeSpans(new Span(0, 1)).negativeBuckets(1)
        .build();
    a.append(77, 1000, h);
    HistogramIterator it = a.chunk().histogramIterator(null);
    assertThat(it.next()).isEqualTo(ValueType.HISTOGRAM);
    assertThat(it.count()).isEqualTo(9);
    assertThat(it.zeroCount()).isEqualTo(2);
    assertThat(it.sum()).isEqualTo(3.25);
    assertThat(it.positiveBucketCount()).isEqualTo(2);
    assertThat(it.positiveBucket(1)).isEqualTo(1);
    long[] buf = new long[4];
    assertThat(it.copyPositiveBuckets(buf)).isEqualTo(2);
    assertThat(buf).startsWith(3, 1);
    assertThat(it.atST()).isEqualTo(77);
    assertThat(it.atHistogram()).isEqualTo(h);
    assertThat(it.atFloatHistogram()).isEqualTo(h.toFloatHistogram());
    assertThatThrownBy(() -> it.positiveBucket(2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void capacityLimits() {
    XorAppender x = XorAppender.create();
    for (int i = 0; i < 65535; i++) {
      x.append(i, 1);
    }
    assertThatThrownBy(() -> x.append(65535, 1)).isInstanceOf(IllegalStateException.class);
    HistogramAppender h = HistogramAppender.create(ChunkEncoding.HISTOGRAM_ST);
    Histogram v = Histogram.builder().count(1).zeroCount(1).build();
    for (int i = 0; i < 16383; i++) {
      h.append(0, i, v);
    }
    assertThat(h.chunk().numSamples()).isEqualTo(16383);
    assertThatThrownBy(() -> h.append(0, 16383, v)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void integerChunksCannotContinueAfterAStaleMarker() {
    HistogramAppender a = HistogramAppender.create(ChunkEncoding.HISTOGRAM);
    Histogram v = Histogram.builder().count(1).zeroCount(1).build();
    a.appendUnchecked(0, 1, v);
    a.appendUnchecked(0, 2, Histogram.builder().sum(io.promtsdb.core.Values.STALE_NAN).build());
    assertThatThrownBy(() -> a.appendUnchecked(0, 3, v)).hasMessageContaining("follows a stale marker");
    assertThat(a.appendHistogram(null, 0, 3, v, false).outcome()).isEqualTo(AppendResult.Outcome.NEW_CHUNK);
  }
}
