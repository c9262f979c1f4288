package io.promtsdb.conformance;

import io.promtsdb.chunks.BlockChunkRef;
import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.ChunkEncoder;
import io.promtsdb.chunks.ChunkEncoding;
import io.promtsdb.chunks.ChunkSegmentReader;
import io.promtsdb.chunks.ChunkSegmentWriter;
import io.promtsdb.chunks.CounterResetHeader;
import io.promtsdb.chunks.ValueType;
import io.promtsdb.chunks.WriterFlavor;
import io.promtsdb.chunks.XorAppender;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.CounterResetHint;
import io.promtsdb.core.Labels;
import io.promtsdb.core.MappedFileSource;
import io.promtsdb.core.Sample;
import io.promtsdb.engine.Backfill;
import io.promtsdb.engine.BlockMeta;
import io.promtsdb.engine.Matcher;
import io.promtsdb.engine.Querier;
import io.promtsdb.engine.ReadOnlyDb;
import io.promtsdb.engine.SampleIterator;
import io.promtsdb.engine.Series;
import io.promtsdb.engine.SeriesSet;
import io.promtsdb.index.ChunkMeta;
import io.promtsdb.index.ChunkMetaList;
import io.promtsdb.index.IndexReader;
import io.promtsdb.index.IndexSeries;
import io.promtsdb.index.IndexWriter;
import io.promtsdb.index.Postings;
import io.promtsdb.tombstones.Intervals;
import io.promtsdb.tombstones.TombstoneEntry;
import io.promtsdb.tombstones.Tombstones;
import io.promtsdb.tombstones.TombstonesFile;
import io.promtsdb.wal.Compression;
import io.promtsdb.wal.RecordCodec;
import io.promtsdb.wal.UnknownRecordTypeException;
import io.promtsdb.wal.WalReader;
import io.promtsdb.wal.WalRecord;
import io.promtsdb.wal.WalWriter;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;

/**
 * PromTSDB for Java as an implementation under test: the codec capabilities on the format
 * modules, {@code dump-dir} on the engine's {@link ReadOnlyDb}, {@code write-blocks} on the
 * engine's {@link Backfill} (what {@code promtsdb tsdb create-blocks-from openmetrics} runs).
 */
public final class PromTsdb {
  private PromTsdb() {}

  /** The Prometheus versions whose bytes this implementation writes on request. */
  public static final List<String> TARGETS = List.of("2.53.3", "3.5.3", "3.14.0");

  /** The release of PromTSDB under test. */
  public static final String VERSION = "0.1.0-SNAPSHOT";

  /** Samples per float chunk, as Prometheus' head cuts them. */
  static final int SAMPLES_PER_CHUNK = 120;

  /** Capabilities PromTSDB does not have, and why: reported with the cases they skip (none). */
  public static final java.util.Map<Capability, String> MISSING = java.util.Map.of();

  public static JavaImplementation implementation() {
    return builder().build();
  }

  /** The builder of {@link #implementation()}, to add or drop capabilities. */
  public static JavaImplementation.Builder builder() {
    return JavaImplementation.builder("promtsdb", VERSION, TARGETS)
        .decodeChunk(PromTsdb::decodeChunk)
        .encodeChunk(PromTsdb::encodeChunk)
        .readIndex(PromTsdb::readIndex)
        .writeIndex(PromTsdb::writeIndex)
        .readWal(PromTsdb::readWal)
        .writeWal(PromTsdb::writeWal)
        .readTombstones(PromTsdb::readTombstones)
        .writeTombstones((file, entries) -> Files.write(file, TombstonesFile.encode(entries)))
        .readBlock(PromTsdb::readBlock)
        .writeBlock(PromTsdb::writeBlock)
        .dumpDir(PromTsdb::dumpDir)
        .listBlocks(PromTsdb::listBlocks)
        .writeBlocks(PromTsdb::writeBlocks)
        .missing(MISSING);
  }

  // ---- blocks from OpenMetrics ----

  /**
   * promtool's {@code tsdb create-blocks-from openmetrics FILE DIR} with its defaults (2 h
   * blocks, no extra labels); for a target before 3.0.0, promtool 2.53's bytes. promtool's
   * error message becomes a {@code corrupt} answer at the failing entry's offset.
   */
  public static List<String> writeBlocks(Path openMetrics, Path outputDir, PrometheusVersion target) throws IOException {
    Backfill.Options options = Backfill.Options.DEFAULT
        .withFlavor(target.major() < 3 ? WriterFlavor.PROMETHEUS_2 : WriterFlavor.PROMETHEUS_3);
    List<BlockMeta> blocks;
    try {
      blocks = Backfill.fromOpenMetrics(openMetrics, outputDir, options);
    } catch (Backfill.BackfillException e) {
      long offset = e.offset() < 0 ? CorruptFormatException.NO_OFFSET : e.offset();
      throw new CorruptFormatException(openMetrics.getFileName().toString(), offset, e.getMessage());
    }
    List<String> ulids = new ArrayList<>(blocks.size());
    for (BlockMeta m : blocks) {
      ulids.add(m.ulid().toString());
    }
    return ulids;
  }

  // ---- chunks ----

  static DecodedChunk decodeChunk(int encoding, byte[] data) throws IOException {
    Chunk c = Chunk.wrap(ChunkEncoding.fromWireByte(encoding, "chunk", 0), data, 0, data.length, "chunk", 0);
    return new DecodedChunk(c.samples(), header(c));
  }

  private static CounterResetHint header(Chunk c) {
    if (c.encoding().valueType() == ValueType.FLOAT) {
      return null;
    }
    return switch (c.counterResetHeader()) {
      case UNKNOWN -> CounterResetHint.UNKNOWN;
      case COUNTER_RESET -> CounterResetHint.COUNTER_RESET;
      case NOT_COUNTER_RESET -> CounterResetHint.NOT_COUNTER_RESET;
      case GAUGE -> CounterResetHint.GAUGE;
    };
  }

  static byte[] encodeChunk(int encoding, CounterResetHint header, List<Sample> samples, PrometheusVersion target)
      throws IOException {
    ChunkEncoding e = ChunkEncoding.fromWireByte(encoding, "request", 0);
    WriterFlavor flavor =
        target.major() < 3 && !e.hasStartTimestamps() ? WriterFlavor.PROMETHEUS_2 : WriterFlavor.PROMETHEUS_3;
    CounterResetHeader h = header == null ? CounterResetHeader.UNKNOWN : CounterResetHeader.fromHint(header);
    return ChunkEncoder.encode(e, samples, h, flavor).copyBytes();
  }

  // ---- index ----

  static IndexContent readIndex(Path file) throws IOException {
    try (IndexReader r = IndexReader.open(file)) {
      List<String> symbols = new ArrayList<>(r.symbolCount());
      for (Iterator<String> it = r.symbols(); it.hasNext(); ) {
        symbols.add(it.next());
      }
      List<IndexSeries> series = new ArrayList<>();
      Postings all = r.allPostings();
      for (long ref = all.next(); ref != Postings.END; ref = all.next()) {
        series.add(r.series(ref));
      }
      List<IndexContent.PostingsList> postings = new ArrayList<>();
      postings.add(postingsList(r, "", ""));
      for (String name : r.labelNames()) {
        for (String value : r.labelValues(name)) {
          postings.add(postingsList(r, name, value));
        }
      }
      return new IndexContent(r.version(), symbols, series, postings);
    }
  }

  private static IndexContent.PostingsList postingsList(IndexReader r, String name, String value)
      throws CorruptFormatException {
    List<Long> refs = new ArrayList<>();
    Postings p = r.postings(name, value);
    for (long ref = p.next(); ref != Postings.END; ref = p.next()) {
      refs.add(ref);
    }
    return new IndexContent.PostingsList(name, value, refs);
  }

  static void writeIndex(Path output, List<String> symbols, List<WriteIndex.Series> series, PrometheusVersion target)
      throws IOException {
    IndexWriter.Layout layout = target.atLeast("3.7.0")
        ? IndexWriter.Layout.WITHOUT_LABEL_INDICES : IndexWriter.Layout.WITH_LABEL_INDICES;
    try (IndexWriter w = IndexWriter.create(output, IndexWriter.Options.DEFAULT.withLayout(layout))) {
      w.addSymbols(symbols);
      for (WriteIndex.Series s : series) {
        w.addSeries(s.labels(), s.chunks());
      }
    }
  }

  // ---- WAL ----

  static List<ReadWal.Entry> readWal(Path dir) throws IOException {
    List<ReadWal.Entry> out = new ArrayList<>();
    try (WalReader r = WalReader.open(dir)) {
      while (r.next()) {
        byte[] rec = r.copyRecord();
        int type = rec.length == 0 ? 255 : rec[0] & 0xFF;
        WalRecord decoded;
        try {
          decoded = RecordCodec.decode(rec);
        } catch (UnknownRecordTypeException e) {
          decoded = null; // Prometheus skips records of types it does not know.
        }
        out.add(new ReadWal.Entry(r.segment(), type, decoded));
      }
    }
    return out;
  }

  static void writeWal(Path dir, List<WalRecord> records, String compression, int segmentSize) throws IOException {
    Compression c;
    try {
      c = Compression.fromName(compression);
    } catch (IllegalArgumentException e) {
      throw new UnsupportedOperationException(e.getMessage());
    }
    try (WalWriter w = WalWriter.open(dir, WalWriter.Options.defaults(c).withSegmentSize(segmentSize))) {
      for (WalRecord r : records) {
        w.log(RecordCodec.encode(r));
      }
    }
  }

  // ---- tombstones ----

  static List<TombstoneEntry> readTombstones(Path file) throws IOException {
    try (MappedFileSource src = MappedFileSource.open(file)) {
      return merged(TombstonesFile.open(src).toTombstones(Integer.MAX_VALUE));
    }
  }

  /** One entry per merged interval, series ascending by unsigned reference. */
  static List<TombstoneEntry> merged(Tombstones t) {
    List<TombstoneEntry> out = new ArrayList<>();
    List<Long> refs = new ArrayList<>(t.refs());
    refs.sort(Long::compareUnsigned);
    for (long ref : refs) {
      Intervals iv = t.get(ref);
      for (int i = 0; i < iv.size(); i++) {
        out.add(new TombstoneEntry(ref, iv.mint(i), iv.maxt(i)));
      }
    }
    return out;
  }

  // ---- blocks ----

  static BlockContent readBlock(Path dir) throws IOException {
    BlockInfo meta = MetaJson.read(dir);
    List<BlockContent.Series> series = new ArrayList<>();
    try (IndexReader index = IndexReader.open(dir.resolve("index"));
        ChunkSegmentReader chunks = ChunkSegmentReader.open(dir.resolve("chunks"))) {
      Postings all = index.allPostings();
      ChunkMetaList metas = new ChunkMetaList();
      for (long ref = all.next(); ref != Postings.END; ref = all.next()) {
        Labels labels = index.series(ref, metas);
        List<BlockContent.Chunk> cs = new ArrayList<>(metas.size());
        for (int i = 0; i < metas.size(); i++) {
          Chunk c = chunks.chunk(metas.ref(i));
          cs.add(new BlockContent.Chunk(metas.ref(i), metas.minTime(i), metas.maxTime(i),
              c.encoding().wireByte(), header(c), c.samples()));
        }
        series.add(new BlockContent.Series(ref, labels, cs));
      }
    }
    return new BlockContent(meta, series, merged(TombstonesFile.read(dir)));
  }

  /**
   * A level-1 block as Prometheus' head compaction writes one: series sorted by labels, float
   * chunks of {@value #SAMPLES_PER_CHUNK} samples, histogram chunks cut where the appender
   * says (counter resets, layout changes) or at {@value #SAMPLES_PER_CHUNK} samples, a new
   * chunk wherever the sample type changes.
   */
  static String writeBlock(Path outputDir, List<SeriesSamples> input, PrometheusVersion target) throws IOException {
    List<SeriesSamples> series = new ArrayList<>(input);
    series.sort(Comparator.comparing(SeriesSamples::labels));
    long mint = Long.MAX_VALUE;
    long maxt = Long.MIN_VALUE;
    long floats = 0;
    long histograms = 0;
    TreeSet<byte[]> symbols = new TreeSet<>(java.util.Arrays::compareUnsigned);
    for (SeriesSamples s : series) {
      s.labels().forEach((n, v) -> {
        symbols.add(n.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        symbols.add(v.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      });
      for (Sample x : s.samples()) {
        mint = Math.min(mint, x.timestamp());
        maxt = Math.max(maxt, x.timestamp());
        if (x instanceof Sample.FloatSample) {
          floats++;
        } else {
          histograms++;
        }
      }
    }
    if (floats + histograms == 0) {
      throw new UnsupportedOperationException("a block needs at least one sample");
    }
    String ulid = Ulid.generate(System.currentTimeMillis());
    Path dir = Files.createDirectories(outputDir.resolve(ulid));
    long numChunks = 0;
    IndexWriter.Layout layout = target.atLeast("3.7.0")
        ? IndexWriter.Layout.WITHOUT_LABEL_INDICES : IndexWriter.Layout.WITH_LABEL_INDICES;
    try (ChunkSegmentWriter cw = ChunkSegmentWriter.create(dir.resolve("chunks"));
        IndexWriter iw = IndexWriter.create(dir.resolve("index"), IndexWriter.Options.DEFAULT.withLayout(layout))) {
      for (byte[] s : symbols) {
        iw.addSymbol(s);
      }
      WriterFlavor flavor = target.major() < 3 ? WriterFlavor.PROMETHEUS_2 : WriterFlavor.PROMETHEUS_3;
      for (SeriesSamples s : series) {
        List<List<Sample>> runs = BlockChunks.cut(s.samples());
        List<Chunk> chunks = new ArrayList<>(runs.size());
        for (List<Sample> run : runs) {
          chunks.add(BlockChunks.encode(run, flavor));
        }
        long[] refs = cw.writeChunks(chunks);
        List<ChunkMeta> metas = new ArrayList<>(runs.size());
        for (int i = 0; i < runs.size(); i++) {
          List<Sample> run = runs.get(i);
          metas.add(new ChunkMeta(refs[i], run.get(0).timestamp(), run.get(run.size() - 1).timestamp()));
        }
        numChunks += metas.size();
        iw.addSeries(s.labels(), metas);
      }
    }
    TombstonesFile.write(dir, List.of());
    BlockInfo info = new BlockInfo(ulid, mint, maxt + 1, floats + histograms, series.size(), numChunks);
    MetaJson.write(dir, info, floats, histograms, target.atLeast("3.6.0"));
    return ulid;
  }

  // ---- data directories ----

  /**
   * What {@code promtool tsdb dump --min-time --max-time DIR} selects, read with the engine
   * as promtool reads it (blocks and the head replayed from WAL, head chunks and WBL, no
   * memory snapshot; overlaps merged, tombstones applied), series sorted by labels. Every
   * sample is returned: promtool's printing quirks are the dump projection's business.
   */
  public static List<SeriesSamples> dumpDir(Path dataDir, long minTime, long maxTime) throws IOException {
    List<SeriesSamples> out = new ArrayList<>();
    try (ReadOnlyDb db = ReadOnlyDb.open(dataDir);
        Querier q = db.querier(minTime, maxTime)) {
      // promtool's default selector {__name__=~'(?s:.*)'}: matches every series.
      SeriesSet ss = q.select(true, List.of(Matcher.of(io.promtsdb.engine.MatchType.REGEX, "__name__", "(?s:.*)")));
      SampleIterator it = null;
      while (ss.next()) {
        Series s = ss.at();
        it = s.iterator(it);
        List<Sample> samples = new ArrayList<>();
        for (ValueType t = it.next(); t != ValueType.NONE; t = it.next()) {
          samples.add(switch (t) {
            case FLOAT -> new Sample.FloatSample(it.atT(), it.atValue());
            case HISTOGRAM -> new Sample.HistogramSample(it.atT(), it.atHistogram());
            case FLOAT_HISTOGRAM -> new Sample.FloatHistogramSample(it.atT(), it.atFloatHistogram());
            case NONE -> throw new IllegalStateException("unreachable");
          });
        }
        out.add(new SeriesSamples(s.labels(), samples));
      }
    }
    return out;
  }

  public static List<BlockInfo> listBlocks(Path dataDir) throws IOException {
    List<BlockInfo> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dataDir)) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        if (Files.isDirectory(p) && Ulid.isValid(name) && Files.exists(p.resolve("meta.json"))) {
          out.add(MetaJson.read(p));
        }
      }
    } catch (NoSuchFileException e) {
      throw new CorruptFormatException(dataDir.toString(), CorruptFormatException.NO_OFFSET, "no such directory");
    }
    out.sort(Comparator.comparingLong(BlockInfo::minTime).thenComparing(BlockInfo::ulid));
    return out;
  }

  /** Chunk cutting for {@link #writeBlock}. */
  static final class BlockChunks {
    private BlockChunks() {}

    static List<List<Sample>> cut(List<Sample> samples) {
      List<List<Sample>> runs = new ArrayList<>();
      List<Sample> run = new ArrayList<>();
      Class<?> kind = null;
      for (Sample s : samples) {
        boolean cut = !run.isEmpty()
            && (s.getClass() != kind || run.size() == SAMPLES_PER_CHUNK || resets(run.get(run.size() - 1), s));
        if (cut) {
          runs.add(run);
          run = new ArrayList<>();
        }
        run.add(s);
        kind = s.getClass();
      }
      if (!run.isEmpty()) {
        runs.add(run);
      }
      return runs;
    }

    /** A histogram counter reset or a layout change starts a new chunk (no recoding needed). */
    private static boolean resets(Sample prev, Sample next) {
      if (prev instanceof Sample.HistogramSample a && next instanceof Sample.HistogramSample b) {
        return a.histogram().count() > b.histogram().count() || !sameLayout(a.histogram(), b.histogram());
      }
      if (prev instanceof Sample.FloatHistogramSample a && next instanceof Sample.FloatHistogramSample b) {
        return a.histogram().count() > b.histogram().count()
            || a.histogram().schema() != b.histogram().schema()
            || !java.util.Arrays.equals(a.histogram().positiveSpans(), b.histogram().positiveSpans())
            || !java.util.Arrays.equals(a.histogram().negativeSpans(), b.histogram().negativeSpans())
            || Double.doubleToRawLongBits(a.histogram().zeroThreshold())
                != Double.doubleToRawLongBits(b.histogram().zeroThreshold());
      }
      return false;
    }

    private static boolean sameLayout(io.promtsdb.core.Histogram a, io.promtsdb.core.Histogram b) {
      return a.schema() == b.schema()
          && java.util.Arrays.equals(a.positiveSpans(), b.positiveSpans())
          && java.util.Arrays.equals(a.negativeSpans(), b.negativeSpans())
          && Double.doubleToRawLongBits(a.zeroThreshold()) == Double.doubleToRawLongBits(b.zeroThreshold())
          && java.util.Arrays.equals(a.customValues(), b.customValues());
    }

    static Chunk encode(List<Sample> run, WriterFlavor flavor) {
      Sample first = run.get(0);
      if (first instanceof Sample.FloatSample) {
        XorAppender a = XorAppender.create(flavor);
        for (Sample s : run) {
          a.appendBits(s.timestamp(), Double.doubleToRawLongBits(((Sample.FloatSample) s).value()));
        }
        return a.chunk();
      }
      ChunkEncoding e = first instanceof Sample.HistogramSample ? ChunkEncoding.HISTOGRAM : ChunkEncoding.FLOAT_HISTOGRAM;
      return ChunkEncoder.encode(e, run, CounterResetHeader.UNKNOWN, flavor);
    }
  }

  static String chunkRef(long ref) {
    return BlockChunkRef.toString(ref);
  }
}
