package io.promtsdb.benchmarks.wal;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.wal.RecordCodec;
import io.promtsdb.wal.RecordDecoder;
import io.promtsdb.wal.SampleBatch;
import io.promtsdb.wal.SegmentReader;
import io.promtsdb.wal.WalRecord;
import io.promtsdb.wal.Refs.RefExemplar;
import io.promtsdb.wal.Refs.RefFloatHistogramSample;
import io.promtsdb.wal.Refs.RefHistogramSample;
import io.promtsdb.wal.Refs.RefMetadata;
import io.promtsdb.wal.Refs.RefMmapMarker;
import io.promtsdb.wal.Refs.RefSeries;
import io.promtsdb.wal.Refs.RefTombstone;
import java.util.ArrayList;
import java.util.List;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reading and decoding a real WAL segment written by Prometheus 3.5.3 (testdata fixture
 * p3-none, p3-snappy or p3-zstd, crash copy, segment 00000000: series, samples, exemplars and
 * histogram records), held in memory, beside the Go benchmark {@code BenchmarkReadSegment} /
 * {@code BenchmarkDecodeSegment} (benchmarks/go/wal: 2.42's wlog.Reader and record.Decoder on
 * the same file, zstd decompressed as Prometheus 3.x does). One operation = the whole
 * segment; MB/s = file size / time, records/s = records per segment / time (994 records in
 * each).
 *
 * <p>The fixture is found through {@code -Dpromtsdb.testdata} or by walking up from the
 * working directory to {@code testdata/}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class WalReadBenchmark {
  @Param({"p3-none", "p3-snappy", "p3-zstd"})
  public String fixture;

  private byte[] segment;

  @Setup
  public void setup() throws IOException {
    segment = Files.readAllBytes(testdata().resolve("fixtures/" + fixture + "/crash/wal/00000000"));
  }

  static Path testdata() {
    String p = System.getProperty("promtsdb.testdata");
    if (p != null) {
      return Paths.get(p);
    }
    for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
      if (Files.isDirectory(d.resolve("testdata/fixtures"))) {
        return d.resolve("testdata");
      }
    }
    throw new IllegalStateException("testdata/ not found; set -Dpromtsdb.testdata");
  }

  /** Framing only: fragments, CRCs, decompression; records handed out, not decoded. */
  @Benchmark
  public long read() throws CorruptFormatException {
    SegmentReader r = new SegmentReader(ByteSource.of("00000000", segment), "wal", 0);
    long n = 0;
    while (r.next()) {
      n += r.recordLength();
    }
    return n;
  }

  /**
   * Framing and decoding of every record into its entries, as Go's benchmark does: one
   * decoder and one buffer per entry kind for the segment, each refilled from empty per
   * record (Go's {@code samples[:0]}); float samples into a columnar batch.
   */
  @Benchmark
  public void readAndDecode(Blackhole bh) throws CorruptFormatException {
    SegmentReader r = new SegmentReader(ByteSource.of("00000000", segment), "wal", 0);
    RecordDecoder dec = new RecordDecoder();
    SampleBatch samples = new SampleBatch();
    List<RefSeries> series = new ArrayList<>();
    List<RefHistogramSample> hs = new ArrayList<>();
    List<RefFloatHistogramSample> fhs = new ArrayList<>();
    List<RefExemplar> exemplars = new ArrayList<>();
    List<RefTombstone> stones = new ArrayList<>();
    List<RefMmapMarker> markers = new ArrayList<>();
    List<RefMetadata> meta = new ArrayList<>();
    while (r.next()) {
      ByteSource rec = r.record();
      switch (RecordDecoder.type(rec)) {
        case SAMPLES, SAMPLES_V2 -> {
          samples.clear();
          dec.samples(rec, samples);
        }
        case SERIES -> {
          series.clear();
          dec.series(rec, series);
        }
        case HISTOGRAM_SAMPLES, CUSTOM_BUCKETS_HISTOGRAM_SAMPLES, HISTOGRAM_SAMPLES_V2 -> {
          hs.clear();
          dec.histogramSamples(rec, hs);
        }
        case FLOAT_HISTOGRAM_SAMPLES, CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES,
            FLOAT_HISTOGRAM_SAMPLES_V2 -> {
          fhs.clear();
          dec.floatHistogramSamples(rec, fhs);
        }
        case EXEMPLARS -> {
          exemplars.clear();
          dec.exemplars(rec, exemplars);
        }
        case TOMBSTONES -> {
          stones.clear();
          dec.tombstones(rec, stones);
        }
        case MMAP_MARKERS -> {
          markers.clear();
          dec.mmapMarkers(rec, markers);
        }
        case METADATA -> {
          meta.clear();
          dec.metadata(rec, meta);
        }
      }
    }
    bh.consume(samples);
    bh.consume(series);
    bh.consume(hs);
    bh.consume(fhs);
    bh.consume(exemplars);
    bh.consume(stones);
    bh.consume(markers);
    bh.consume(meta);
  }

  /**
   * The same through the convenience API, one immutable {@link WalRecord} per record with an
   * object per sample (no Go counterpart; for comparison with {@link #readAndDecode}).
   */
  @Benchmark
  public void readAndDecodeToRecords(Blackhole bh) throws CorruptFormatException {
    SegmentReader r = new SegmentReader(ByteSource.of("00000000", segment), "wal", 0);
    while (r.next()) {
      WalRecord rec = RecordCodec.decode(r.record());
      bh.consume(rec);
    }
  }
}
