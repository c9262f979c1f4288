package io.promtsdb.conformance;

import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.ChunkEncoding;
import io.promtsdb.chunks.XorAppender;
import io.promtsdb.core.Sample;
import java.util.List;
import java.util.Map;

/**
 * The XOR suite as a user with an XOR codec of their own would extend it: here the codec is
 * PromTSDB's XOR appender and chunk, wired by hand, with the 3.x writer only (so the cases of
 * 2.x bytes are skipped by target) and one opt-out to show the mechanism.
 */
class PromTsdbXorChunkConformanceTest extends AbstractXorChunkConformanceTest {
  @Override
  protected DecodeChunk decoder() {
    return (encoding, bytes) -> new DecodedChunk(Chunk.wrap(ChunkEncoding.XOR, bytes).samples(), null);
  }

  @Override
  protected EncodeChunk encoder() {
    return (encoding, header, samples, target) -> {
      XorAppender a = XorAppender.create();
      for (Sample s : samples) {
        a.appendBits(s.timestamp(), Double.doubleToRawLongBits(((Sample.FloatSample) s).value()));
      }
      return a.chunk().copyBytes();
    };
  }

  @Override
  protected List<String> targets() {
    return List.of("3.5.3");
  }

  @Override
  protected Map<String, String> optOuts() {
    return Map.of("decode-chunk/corrupt-xor-empty", "demonstrates an opt-out: the case still passes when run");
  }

  @Override
  protected boolean realPrometheus() {
    return false;
  }
}
