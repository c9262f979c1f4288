package io.promtsdb.cli;

import io.promtsdb.chunks.ChunkEncoding;
import io.promtsdb.engine.Block;
import io.promtsdb.engine.ReadOnlyDb;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Numbers promtool does not print: for every block, bytes per sample (whole block and chunk
 * data alone) and how full its chunks are against Prometheus' targets (120 samples per float
 * chunk, 1024 bytes per histogram chunk).
 */
final class Extras {
  private Extras() {}

  /** Per-block chunk statistics. */
  record BlockStats(
      Block block,
      long samples,
      long chunks,
      long chunkBytes,
      long floatChunks,
      long fullFloatChunks,
      long floatSamples,
      long histogramChunks,
      long histogramBytes,
      int[] floatFill) {

    double bytesPerSample() {
      return samples == 0 ? 0 : (double) block.size() / samples;
    }

    double chunkBytesPerSample() {
      return samples == 0 ? 0 : (double) chunkBytes / samples;
    }

    double avgFloatFill() {
      return floatChunks == 0 ? 0 : (double) floatSamples / floatChunks / 120.0;
    }

    double avgHistogramFill() {
      return histogramChunks == 0 ? 0 : (double) histogramBytes / histogramChunks / 1024.0;
    }
  }

  /** Reads every chunk of every block (headers only are decoded). */
  static List<BlockStats> stats(ReadOnlyDb db) throws IOException {
    List<BlockStats> out = new ArrayList<>();
    for (Block b : db.blocks()) {
      out.add(stats(b));
    }
    return out;
  }

  static BlockStats stats(Block b) throws IOException {
    long[] acc = new long[8];
    int[] fill = new int[11]; // float chunks by samples/120 in tenths, last bucket: 100% and more
    b.chunks()
        .forEachChunk(
            (ref, c) -> {
              int n = c.numSamples();
              acc[0] += n;
              acc[1]++;
              acc[2] += c.length();
              if (c.encoding() == ChunkEncoding.XOR || c.encoding() == ChunkEncoding.XOR2) {
                acc[3]++;
                acc[5] += n;
                if (n >= 120) {
                  acc[4]++;
                }
                fill[Math.min(10, n * 10 / 120)]++;
              } else {
                acc[6]++;
                acc[7] += c.length();
              }
            });
    return new BlockStats(b, acc[0], acc[1], acc[2], acc[3], acc[4], acc[5], acc[6], acc[7], fill);
  }

  static String render(ReadOnlyDb db) throws IOException {
    StringBuilder s = new StringBuilder();
    s.append("\nBlocks (bytes per sample, chunk fullness against 120 samples per float chunk and 1024 bytes per histogram chunk):\n");
    GoFormat.TabWriter tw = new GoFormat.TabWriter(0, 2);
    tw.row(
        "BLOCK ULID", "SAMPLES", "CHUNKS", "BYTES/SAMPLE", "CHUNK BYTES/SAMPLE", "FLOAT CHUNKS FULL",
        "AVG FLOAT FILL", "AVG HISTOGRAM FILL");
    for (BlockStats st : stats(db)) {
      tw.row(
          st.block().ulid().toString(),
          Long.toString(st.samples()),
          Long.toString(st.chunks()),
          String.format(Locale.ROOT, "%.3f", st.bytesPerSample()),
          String.format(Locale.ROOT, "%.3f", st.chunkBytesPerSample()),
          st.floatChunks() == 0 ? "-" : st.fullFloatChunks() + "/" + st.floatChunks(),
          st.floatChunks() == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * st.avgFloatFill()),
          st.histogramChunks() == 0 ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * st.avgHistogramFill()));
    }
    s.append(tw.render());
    return s.toString();
  }
}
