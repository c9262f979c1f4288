package io.promtsdb.cli;

import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.ChunkEncoding;
import io.promtsdb.chunks.FloatIterator;
import io.promtsdb.chunks.ValueType;
import io.promtsdb.chunks.Xor2Appender;
import io.promtsdb.chunks.XorAppender;
import io.promtsdb.engine.Block;
import io.promtsdb.engine.Matcher;
import io.promtsdb.index.ChunkMetaList;
import io.promtsdb.index.Postings;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

/**
 * How well other encodings would store a block's float samples, chunk by chunk (the same
 * chunk boundaries as stored): XOR (what Prometheus stores), XOR2 (Prometheus 3.11+), plain
 * delta and delta-of-delta varint encodings, and LZ4 and zstd over raw and over delta-encoded
 * samples. Reports bytes per sample and encode/decode time per sample, measured once over the
 * block after one warm-up pass: indicative numbers, not a benchmark (see the JMH benchmarks).
 */
final class CompressionStudy {
  private final List<long[]> ts = new ArrayList<>();
  private final List<long[]> vs = new ArrayList<>();
  private final List<Chunk> stored = new ArrayList<>();
  private long samples;
  private final List<Row> rows = new ArrayList<>();

  record Row(String name, long bytes, double encodeNs, double decodeNs) {}

  /** Reads the float chunks of the series {@code matchers} select (all if empty) and measures. */
  static CompressionStudy run(Block block, List<Matcher> matchers) throws IOException {
    CompressionStudy s = new CompressionStudy();
    Postings p = matchers.isEmpty() ? block.index().allPostings() : block.postings(matchers);
    ChunkMetaList chks = new ChunkMetaList();
    FloatIterator it = null;
    for (long ref = p.next(); ref != Postings.END; ref = p.next()) {
      block.index().series(ref, chks);
      for (int i = 0; i < chks.size(); i++) {
        Chunk c = block.chunks().chunk(chks.ref(i));
        if (c.encoding() != ChunkEncoding.XOR) {
          continue;
        }
        int n = c.numSamples();
        long[] t = new long[n];
        long[] v = new long[n];
        it = c.floatIterator(it);
        int k = 0;
        while (it.next() == ValueType.FLOAT && k < n) {
          t[k] = it.atT();
          v[k] = it.atValueBits();
          k++;
        }
        s.ts.add(t);
        s.vs.add(v);
        s.stored.add(c);
        s.samples += n;
      }
    }
    if (s.samples > 0) {
      for (int round = 0; round < 2; round++) {
        s.rows.clear(); // the first round warms the JIT up
        s.measure();
      }
    }
    return s;
  }

  private interface Codec {
    byte[] encode(long[] t, long[] v);

    void decode(byte[] b, int n, long[] t, long[] v);
  }

  private void measure() {
    // XOR as stored: bytes as on disk, decode through the chunk iterator, encode by re-appending.
    long bytes = 0;
    long t0 = System.nanoTime();
    for (int i = 0; i < ts.size(); i++) {
      XorAppender a = XorAppender.create();
      long[] t = ts.get(i);
      long[] v = vs.get(i);
      for (int k = 0; k < t.length; k++) {
        a.appendBits(t[k], v[k]);
      }
      bytes += a.sizeBytes();
    }
    long enc = System.nanoTime() - t0;
    t0 = System.nanoTime();
    long sink = 0;
    FloatIterator it = null;
    for (Chunk c : stored) {
      it = c.floatIterator(it);
      try {
        while (it.next() == ValueType.FLOAT) {
          sink += it.atValueBits();
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    long dec = System.nanoTime() - t0;
    long storedBytes = 0;
    for (Chunk c : stored) {
      storedBytes += c.length();
    }
    rows.add(new Row("XOR (stored chunks)", storedBytes, perSample(enc), perSample(dec)));

    // XOR2.
    bytes = 0;
    List<Chunk> xor2 = new ArrayList<>(ts.size());
    t0 = System.nanoTime();
    for (int i = 0; i < ts.size(); i++) {
      Xor2Appender a = Xor2Appender.create();
      long[] t = ts.get(i);
      long[] v = vs.get(i);
      for (int k = 0; k < t.length; k++) {
        a.appendBits(0, t[k], v[k]);
      }
      Chunk c = a.chunk();
      bytes += c.length();
      xor2.add(c);
    }
    enc = System.nanoTime() - t0;
    t0 = System.nanoTime();
    for (Chunk c : xor2) {
      it = c.floatIterator(null);
      try {
        while (it.next() == ValueType.FLOAT) {
          sink += it.atValueBits();
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    dec = System.nanoTime() - t0;
    rows.add(new Row("XOR2", bytes, perSample(enc), perSample(dec)));

    Codec raw = new Codec() {
      @Override
      public byte[] encode(long[] t, long[] v) {
        byte[] b = new byte[t.length * 16];
        for (int k = 0; k < t.length; k++) {
          putLong(b, k * 16, t[k]);
          putLong(b, k * 16 + 8, v[k]);
        }
        return b;
      }

      @Override
      public void decode(byte[] b, int n, long[] t, long[] v) {
        for (int k = 0; k < n; k++) {
          t[k] = getLong(b, k * 16);
          v[k] = getLong(b, k * 16 + 8);
        }
      }
    };
    Codec delta = new VarintCodec(false);
    Codec dod = new VarintCodec(true);
    sink += codecRow("raw (16 bytes/sample)", raw);
    sink += codecRow("delta varint (t deltas; values raw)", delta);
    sink += codecRow("delta-of-delta varint (t dods; values XOR varint)", dod);
    sink += compressedRow("LZ4 over raw", raw, true);
    sink += compressedRow("LZ4 over delta-of-delta varint", dod, true);
    sink += compressedRow("zstd over raw", raw, false);
    sink += compressedRow("zstd over delta-of-delta varint", dod, false);
    if (sink == 42) {
      rows.add(new Row("", 0, 0, 0)); // keeps the decoded values alive for the JIT
    }
  }

  private double perSample(long nanos) {
    return samples == 0 ? 0 : (double) nanos / samples;
  }

  private long codecRow(String name, Codec codec) {
    List<byte[]> enc = new ArrayList<>(ts.size());
    long t0 = System.nanoTime();
    long bytes = 0;
    for (int i = 0; i < ts.size(); i++) {
      byte[] b = codec.encode(ts.get(i), vs.get(i));
      bytes += b.length;
      enc.add(b);
    }
    long e = System.nanoTime() - t0;
    long sink = 0;
    t0 = System.nanoTime();
    for (int i = 0; i < enc.size(); i++) {
      int n = ts.get(i).length;
      long[] t = new long[n];
      long[] v = new long[n];
      codec.decode(enc.get(i), n, t, v);
      sink += n > 0 ? v[n - 1] : 0;
    }
    long d = System.nanoTime() - t0;
    rows.add(new Row(name, bytes, perSample(e), perSample(d)));
    return sink;
  }

  private long compressedRow(String name, Codec codec, boolean lz4) {
    List<byte[]> plain = new ArrayList<>(ts.size());
    for (int i = 0; i < ts.size(); i++) {
      plain.add(codec.encode(ts.get(i), vs.get(i)));
    }
    LZ4Compressor lc = LZ4Factory.fastestJavaInstance().fastCompressor();
    LZ4FastDecompressor ld = LZ4Factory.fastestJavaInstance().fastDecompressor();
    ZstdCompressor zc = new ZstdCompressor();
    ZstdDecompressor zd = new ZstdDecompressor();
    List<byte[]> comp = new ArrayList<>(plain.size());
    long bytes = 0;
    long t0 = System.nanoTime();
    for (byte[] p : plain) {
      byte[] out;
      if (lz4) {
        out = lc.compress(p);
      } else {
        byte[] buf = new byte[zc.maxCompressedLength(p.length)];
        int n = zc.compress(p, 0, p.length, buf, 0, buf.length);
        out = java.util.Arrays.copyOf(buf, n);
      }
      bytes += out.length;
      comp.add(out);
    }
    long e = System.nanoTime() - t0;
    long sink = 0;
    t0 = System.nanoTime();
    for (int i = 0; i < comp.size(); i++) {
      byte[] dst = new byte[plain.get(i).length];
      if (lz4) {
        ld.decompress(comp.get(i), 0, dst, 0, dst.length);
      } else {
        zd.decompress(comp.get(i), 0, comp.get(i).length, dst, 0, dst.length);
      }
      int n = ts.get(i).length;
      long[] t = new long[n];
      long[] v = new long[n];
      codec.decode(dst, n, t, v);
      sink += n > 0 ? t[n - 1] : 0;
    }
    long d = System.nanoTime() - t0;
    rows.add(new Row(name, bytes, perSample(e), perSample(d)));
    return sink;
  }

  /** Timestamps as zig-zag varint deltas (or deltas of deltas), values raw or as varint XORs. */
  private static final class VarintCodec implements Codec {
    private final boolean dod;

    VarintCodec(boolean dod) {
      this.dod = dod;
    }

    @Override
    public byte[] encode(long[] t, long[] v) {
      byte[] b = new byte[t.length * 20 + 10];
      int pos = 0;
      long prevT = 0;
      long prevD = 0;
      long prevV = 0;
      for (int k = 0; k < t.length; k++) {
        long d = t[k] - prevT;
        pos = putVarint(b, pos, dod ? d - prevD : d);
        prevD = d;
        prevT = t[k];
        if (dod) {
          pos = putUvarint(b, pos, Long.reverse(v[k] ^ prevV));
          prevV = v[k];
        } else {
          putLong(b, pos, v[k]);
          pos += 8;
        }
      }
      return java.util.Arrays.copyOf(b, pos);
    }

    @Override
    public void decode(byte[] b, int n, long[] t, long[] v) {
      int[] pos = {0};
      long prevT = 0;
      long prevD = 0;
      long prevV = 0;
      for (int k = 0; k < n; k++) {
        long x = getVarint(b, pos);
        long d = dod ? prevD + x : x;
        prevD = d;
        prevT += d;
        t[k] = prevT;
        if (dod) {
          prevV ^= Long.reverse(getUvarint(b, pos));
          v[k] = prevV;
        } else {
          v[k] = getLong(b, pos[0]);
          pos[0] += 8;
        }
      }
    }
  }

  static void putLong(byte[] b, int off, long x) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) x;
      x >>>= 8;
    }
  }

  static long getLong(byte[] b, int off) {
    long x = 0;
    for (int i = 0; i < 8; i++) {
      x = (x << 8) | (b[off + i] & 0xFF);
    }
    return x;
  }

  static int putUvarint(byte[] b, int pos, long x) {
    while ((x & ~0x7FL) != 0) {
      b[pos++] = (byte) ((x & 0x7F) | 0x80);
      x >>>= 7;
    }
    b[pos++] = (byte) x;
    return pos;
  }

  static int putVarint(byte[] b, int pos, long x) {
    return putUvarint(b, pos, (x << 1) ^ (x >> 63));
  }

  static long getUvarint(byte[] b, int[] pos) {
    long x = 0;
    int shift = 0;
    while (true) {
      int c = b[pos[0]++] & 0xFF;
      x |= (long) (c & 0x7F) << shift;
      if (c < 0x80) {
        return x;
      }
      shift += 7;
    }
  }

  static long getVarint(byte[] b, int[] pos) {
    long u = getUvarint(b, pos);
    return (u >>> 1) ^ -(u & 1);
  }

  List<Row> rows() {
    return rows;
  }

  long samples() {
    return samples;
  }

  String render() {
    StringBuilder b = new StringBuilder();
    b.append("\nCompression study (").append(samples).append(" float samples in ").append(ts.size())
        .append(" XOR chunks; times from one pass after a warm-up pass, indicative only):\n");
    if (samples == 0) {
      b.append("no float samples\n");
      return b.toString();
    }
    GoFormat.TabWriter tw = new GoFormat.TabWriter(0, 2);
    tw.row("ENCODING", "BYTES", "BYTES/SAMPLE", "ENCODE NS/SAMPLE", "DECODE NS/SAMPLE");
    for (Row r : rows) {
      if (r.name().isEmpty()) {
        continue;
      }
      tw.row(
          r.name(),
          Long.toString(r.bytes()),
          String.format(Locale.ROOT, "%.3f", (double) r.bytes() / samples),
          String.format(Locale.ROOT, "%.1f", r.encodeNs()),
          String.format(Locale.ROOT, "%.1f", r.decodeNs()));
    }
    b.append(tw.render());
    return b.toString();
  }
}
