package io.promtsdb.cli;

import io.promtsdb.chunks.BlockChunkRef;
import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.ChunkDiskMapperRef;
import io.promtsdb.chunks.ChunkIterator;
import io.promtsdb.chunks.ChunkSegmentReader;
import io.promtsdb.chunks.HeadChunkReader;
import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.ByteSource;
import io.promtsdb.core.Crc32c;
import io.promtsdb.core.DataReader;
import io.promtsdb.core.GoQuote;
import io.promtsdb.core.Labels;
import io.promtsdb.core.MappedFileSource;
import io.promtsdb.engine.BlockMeta;
import io.promtsdb.index.ChunkMetaList;
import io.promtsdb.index.IndexReader;
import io.promtsdb.index.Postings;
import io.promtsdb.index.Toc;
import io.promtsdb.tombstones.TombstoneEntry;
import io.promtsdb.tombstones.TombstonesFile;
import io.promtsdb.wal.Compression;
import io.promtsdb.wal.RecordCodec;
import io.promtsdb.wal.RecordType;
import io.promtsdb.wal.SegmentReader;
import io.promtsdb.wal.SnapshotCodec;
import io.promtsdb.wal.SnapshotRecord;
import io.promtsdb.wal.WalRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.TreeMap;

/**
 * An annotated, human-readable view of one TSDB file, for people learning the formats and for
 * looking at a damaged file: the file's kind (from its magic number or place), its sections
 * with their offsets, and decoded entries (up to a limit per section).
 */
final class Inspector {
  private final Path file;
  private final int limit;
  private final Output out;

  Inspector(Path file, int limit, Output out) {
    this.file = file;
    this.limit = limit;
    this.out = out;
  }

  private void p(String s) throws IOException {
    out.write(s);
    out.write("\n");
  }

  void run() throws IOException {
    if (Files.isDirectory(file)) {
      throw new IOException(file + ": is a directory; inspect takes one file (index, chunks/000001, wal/00000000, ...)");
    }
    if (file.getFileName().toString().equals(BlockMeta.FILE_NAME)) {
      meta();
      return;
    }
    try (MappedFileSource src = MappedFileSource.open(file)) {
      int magic = src.length() >= 4 ? src.be32(0) : 0;
      String parent = file.getParent() == null ? "" : file.getParent().getFileName().toString();
      switch (magic) {
        case 0xBAAAD700 -> index(src);
        case 0x85BD40DD -> blockChunks(src);
        case 0x0130BC91 -> headChunks(src);
        case 0x0130BA30 -> tombstones(src);
        default -> {
          if (parent.startsWith("chunk_snapshot.")) {
            segment(src, true);
          } else if (file.getFileName().toString().chars().allMatch(Character::isDigit)) {
            segment(src, false);
          } else {
            throw new IOException(file + ": not a TSDB file I know (magic 0x" + Integer.toHexString(magic)
                + "; WAL segments are recognised by their numeric name)");
          }
        }
      }
    }
  }

  private void meta() throws IOException {
    byte[] b = Files.readAllBytes(file);
    BlockMeta m = BlockMeta.parse(b, file.toString());
    p("meta.json: " + file + " (" + b.length + " bytes)");
    p("  ulid " + m.ulid() + " (created " + GoFormat.unixUtc(m.ulid().timestamp()) + ")");
    p("  time range [" + m.minTime() + ", " + m.maxTime() + ") = " + GoFormat.unixUtc(m.minTime()) + " to "
        + GoFormat.unixUtc(m.maxTime()) + ", " + GoFormat.duration(m.durationMillis() * 1_000_000L) + " (maxTime is exclusive)");
    BlockMeta.Stats s = m.stats();
    p("  stats: samples " + Long.toUnsignedString(s.numSamples()) + ", series " + Long.toUnsignedString(s.numSeries())
        + ", chunks " + Long.toUnsignedString(s.numChunks()) + ", tombstones " + Long.toUnsignedString(s.numTombstones())
        + (s.numFloatSamples() != 0 || s.numHistogramSamples() != 0
            ? ", float samples " + s.numFloatSamples() + ", histogram samples " + s.numHistogramSamples() : ""));
    BlockMeta.Compaction c = m.compaction();
    p("  compaction: level " + c.level() + ", " + c.sources().size() + " source(s), " + c.parents().size() + " parent(s)"
        + (c.deletable() ? ", deletable" : "") + (c.failed() ? ", failed" : "") + (c.hints().isEmpty() ? "" : ", hints " + c.hints()));
    for (BlockMeta.BlockDesc d : c.parents()) {
      p("    parent " + d.ulid() + " [" + d.minTime() + ", " + d.maxTime() + ")");
    }
    p("  meta version " + m.version());
    boolean goBytes = java.util.Arrays.equals(m.toJson(), b);
    p("  " + (goBytes ? "bytes are exactly what Go's json.MarshalIndent writes" : "bytes differ from Go's json.MarshalIndent output (key order, spacing or unknown keys)"));
  }

  private void index(ByteSource src) throws IOException {
    IndexReader ir = IndexReader.open(src);
    p("index: " + file + " (" + src.length() + " bytes)");
    p("  header at 0: magic 0xBAAAD700, version " + ir.version() + (ir.version() == 1 ? " (V1: symbol refs and series IDs are offsets)" : ""));
    Toc t = ir.toc();
    p("  TOC at " + (src.length() - 52) + " (52 bytes, CRC32C verified): symbols " + t.symbols() + ", series " + t.series()
        + ", label indices " + t.labelIndices() + ", label offset table " + t.labelOffsetTable() + ", postings " + t.postings()
        + ", postings offset table " + t.postingsOffsetTable());
    p("  symbol table at " + t.symbols() + ": " + ir.symbolCount() + " symbols, sorted by raw bytes, CRC32C verified");
    Iterator<String> syms = ir.symbols();
    for (int i = 0; syms.hasNext(); i++) {
      String s = syms.next();
      if (i < limit) {
        p("    #" + i + " " + GoQuote.quote(s));
      }
    }
    if (ir.symbolCount() > limit) {
      p("    ... " + (ir.symbolCount() - limit) + " more");
    }
    Postings all = ir.allPostings();
    long total = Postings.count(ir.allPostings());
    p("  series section at " + t.series() + ": " + total + " series" + (ir.version() == 1 ? "" : ", each 16-byte aligned, ID = offset / 16"));
    ChunkMetaList chks = new ChunkMetaList();
    int shown = 0;
    for (long ref = all.next(); ref != Postings.END && shown < limit; ref = all.next(), shown++) {
      Labels l = ir.series(ref, chks);
      long off = ir.version() == 1 ? ref : ref * 16;
      p("    series " + ref + " at " + off + ": " + l + ", " + chks.size() + " chunk(s)");
      for (int i = 0; i < chks.size() && i < 4; i++) {
        p("      chunk [" + chks.minTime(i) + ", " + chks.maxTime(i) + "] ref " + BlockChunkRef.toString(chks.ref(i)));
      }
      if (chks.size() > 4) {
        p("      ... " + (chks.size() - 4) + " more chunks");
      }
    }
    if (total > limit) {
      p("    ... " + (total - limit) + " more series");
    }
    postingsOffsetTable(src, t);
    List<String> labelIndexNames = ir.labelIndexNames();
    p("  legacy label index sections: " + (labelIndexNames.isEmpty() ? "none (not written since Prometheus 3.7)" : labelIndexNames.size() + " " + labelIndexNames));
  }

  private void postingsOffsetTable(ByteSource src, Toc t) throws IOException {
    long at = t.postingsOffsetTable();
    DataReader r = new DataReader(src);
    r.position(at);
    long len = r.be32Unsigned();
    long n = r.be32Unsigned();
    p("  postings offset table at " + at + ": " + len + " bytes, " + n + " postings lists, CRC32C verified");
    for (long i = 0; i < n && i < limit; i++) {
      long keys = r.uvarint();
      String name = keys >= 1 ? r.uvarintString() : "";
      String value = keys >= 2 ? r.uvarintString() : "";
      for (long k = 2; k < keys; k++) {
        r.uvarintString();
      }
      long off = r.uvarint();
      long count = src.be32(off + 4) & 0xFFFFFFFFL;
      p("    (" + GoQuote.quote(name) + ", " + GoQuote.quote(value) + ") -> postings list at " + off + ": " + count + " series"
          + (name.isEmpty() && value.isEmpty() ? " (the all-series list)" : ""));
    }
    if (n > limit) {
      p("    ... " + (n - limit) + " more");
    }
  }

  private void blockChunks(ByteSource src) throws IOException {
    ChunkSegmentReader r = ChunkSegmentReader.of(List.of(src));
    p("chunk segment: " + file + " (" + src.length() + " bytes; segment index 0 in these references)");
    p("  header at 0: magic 0x85BD40DD, version " + src.u8(4) + ", 3 padding bytes");
    p("  records: uvarint length | encoding byte | data | CRC32C(encoding and data)");
    long[] count = {0};
    r.forEachChunk(
        (ref, c) -> {
          if (count[0]++ < limit) {
            p("    " + describeChunk(BlockChunkRef.offset(ref), c));
          }
        });
    if (count[0] > limit) {
      p("    ... " + (count[0] - limit) + " more chunks");
    }
    p("  " + count[0] + " chunks, every CRC32C verified");
  }

  private static String describeChunk(long offset, Chunk c) throws IOException {
    ChunkIterator it = c.iterator();
    long first = 0;
    long last = 0;
    int n = 0;
    for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
      if (n++ == 0) {
        first = it.atT();
      }
      last = it.atT();
    }
    return "at " + offset + ": " + c.encoding().goName() + ", " + c.length() + " data bytes, " + c.numSamples() + " samples"
        + (n > 0 ? ", t " + first + " .. " + last : "")
        + (c.numSamples() > 0 ? String.format(", %.2f bytes/sample", (double) c.length() / c.numSamples()) : "");
  }

  private void headChunks(ByteSource src) throws IOException {
    long fileNo;
    try {
      fileNo = Long.parseLong(file.getFileName().toString());
    } catch (NumberFormatException e) {
      fileNo = 1;
    }
    TreeMap<Long, ByteSource> m = new TreeMap<>();
    m.put(fileNo, src);
    HeadChunkReader r = HeadChunkReader.of(m);
    p("head chunk file: " + file + " (" + src.length() + " bytes, file number " + fileNo + ")");
    p("  header at 0: magic 0x0130BC91, version " + src.u8(4) + ", 3 padding bytes");
    p("  records: series ref BE64 | mint BE64 | maxt BE64 | encoding (0x80: out of order) | uvarint length | data | CRC32C(all before)");
    List<HeadChunkReader.HeadChunkMeta> recs = r.records();
    for (int i = 0; i < recs.size() && i < limit; i++) {
      HeadChunkReader.HeadChunkMeta h = recs.get(i);
      p("    at " + ChunkDiskMapperRef.offset(h.ref()) + ": series " + h.seriesRef() + ", [" + h.mint() + ", " + h.maxt() + "], "
          + h.encoding().goName() + (h.outOfOrder() ? " (out of order)" : "") + ", " + h.dataLength() + " data bytes, "
          + h.numSamples() + " samples");
    }
    if (recs.size() > limit) {
      p("    ... " + (recs.size() - limit) + " more");
    }
    p("  " + recs.size() + " chunks, every CRC32C verified; the rest of the file is preallocated zeros (Prometheus does not truncate head chunk files)");
  }

  private void tombstones(ByteSource src) throws IOException {
    TombstonesFile t = TombstonesFile.open(src);
    List<TombstoneEntry> es = t.entries();
    p("tombstones: " + file + " (" + src.length() + " bytes)");
    p("  header at 0: magic 0x0130BA30, version " + src.u8(4));
    p("  " + es.size() + " entries (uvarint series ref | varint mint | varint maxt), in Go's random map order");
    for (int i = 0; i < es.size() && i < limit; i++) {
      TombstoneEntry e = es.get(i);
      p("    series " + Long.toUnsignedString(e.ref()) + ": deleted [" + e.mint() + ", " + e.maxt() + "]");
    }
    if (es.size() > limit) {
      p("    ... " + (es.size() - limit) + " more");
    }
    p("  CRC32C at " + (src.length() - 4) + " over the entries (not magic and version): verified");
  }

  private static final int PAGE = 32 * 1024;

  private void segment(ByteSource src, boolean snapshot) throws IOException {
    p((snapshot ? "memory snapshot segment: " : "WAL/WBL/checkpoint segment: ") + file + " (" + src.length() + " bytes, "
        + ((src.length() + PAGE - 1) / PAGE) + " pages of 32 KiB)");
    p("  fragments: type (1 full, 2 first, 3 middle, 4 last; +8 snappy, +16 zstd) | BE16 length | BE32 CRC32C(payload) | payload");
    long pos = 0;
    int shown = 0;
    long fragments = 0;
    while (pos < src.length()) {
      long pageEnd = (pos / PAGE + 1) * PAGE;
      if (pageEnd - pos < 7) {
        pos = pageEnd;
        continue;
      }
      int type = src.u8(pos);
      if (type == 0) {
        if (shown++ < limit) {
          p("    at " + pos + ": page padding to " + Math.min(pageEnd, src.length()));
        }
        pos = pageEnd;
        continue;
      }
      if (pos + 7 > src.length()) {
        p("    at " + pos + ": torn fragment header (" + (src.length() - pos) + " bytes left)");
        break;
      }
      int len = src.be16(pos + 1);
      int crc = src.be32(pos + 3);
      boolean fits = pos + 7 + len <= src.length();
      String crcState = fits ? (Crc32c.compute(src, pos + 7, len) == crc ? "CRC ok" : "CRC MISMATCH") : "TORN: runs past the end";
      fragments++;
      if (shown++ < limit) {
        p("    at " + pos + ": " + fragmentType(type) + ", " + len + " bytes, " + crcState);
      }
      if (!fits) {
        break;
      }
      pos += 7 + len;
    }
    if (shown > limit) {
      p("    ... " + (shown - limit) + " more");
    }
    p("  " + fragments + " fragments");
    p("  records:");
    long n = 0;
    try (SegmentReader r = new SegmentReader(src, file.getParent() == null ? "" : file.getParent().toString(), -1)) {
      while (r.next()) {
        String desc;
        if (snapshot) {
          SnapshotRecord rec = SnapshotCodec.decode(r.record());
          desc = rec.toString();
        } else {
          RecordType type = RecordCodec.type(r.record());
          desc = type == null ? "unknown record type " + (r.recordLength() == 0 ? "(empty)" : r.record().u8(0)) : describe(RecordCodec.decode(r.record()));
        }
        if (n++ < limit) {
          Compression c = r.recordCompression();
          p("    at " + r.recordOffset() + ": " + (c == Compression.NONE ? "" : c.name().toLowerCase() + ", ") + desc);
        }
      }
    } catch (IOException e) {
      p("    stopped: " + Errors.describe(e));
    }
    if (n > limit) {
      p("    ... " + (n - limit) + " more");
    }
    p("  " + n + " records");
  }

  private static String fragmentType(int t) {
    String kind = switch (t & 7) {
      case 1 -> "FULL";
      case 2 -> "FIRST";
      case 3 -> "MIDDLE";
      case 4 -> "LAST";
      default -> "invalid fragment type " + (t & 7);
    };
    if ((t & 8) != 0) {
      kind += " snappy";
    }
    if ((t & 16) != 0) {
      kind += " zstd";
    }
    return kind;
  }

  private static String describe(WalRecord rec) {
    String head = rec.type().goName() + " (" + rec.type().code() + "), " + rec.size() + " entries";
    String first = "";
    if (rec instanceof WalRecord.Series s && !s.series().isEmpty()) {
      first = ": ref " + s.series().get(0).ref() + " " + s.series().get(0).labels();
    } else if (rec instanceof WalRecord.Samples s && !s.samples().isEmpty()) {
      first = ": first ref " + s.samples().get(0).ref() + " t " + s.samples().get(0).t() + " v " + s.samples().get(0).v();
    } else if (rec instanceof WalRecord.Tombstones t && !t.tombstones().isEmpty()) {
      first = ": first ref " + t.tombstones().get(0).ref() + " [" + t.tombstones().get(0).mint() + ", " + t.tombstones().get(0).maxt() + "]";
    } else if (rec instanceof WalRecord.HistogramSamples h && !h.histograms().isEmpty()) {
      first = ": first ref " + h.histograms().get(0).ref() + " t " + h.histograms().get(0).t() + " " + h.histograms().get(0).h();
    } else if (rec instanceof WalRecord.FloatHistogramSamples h && !h.histograms().isEmpty()) {
      first = ": first ref " + h.histograms().get(0).ref() + " t " + h.histograms().get(0).t() + " " + h.histograms().get(0).fh();
    }
    return head + first;
  }
}
