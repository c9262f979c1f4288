package io.promtsdb.cli;

import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.ChunkIterator;
import io.promtsdb.chunks.HeadChunkReader;
import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.ByteSource;
import io.promtsdb.core.MappedFileSource;
import io.promtsdb.engine.Block;
import io.promtsdb.engine.BlockMeta;
import io.promtsdb.engine.Progress;
import io.promtsdb.engine.Ulid;
import io.promtsdb.index.ChunkMetaList;
import io.promtsdb.index.IntegrityReport;
import io.promtsdb.index.Postings;
import io.promtsdb.wal.RecordCodec;
import io.promtsdb.wal.SegmentReader;
import io.promtsdb.wal.SnapshotCodec;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * A full integrity pass over a data directory: every byte of every file is read and every
 * checksum verified, every chunk decoded, every WAL record decoded, and the files of a block
 * checked against each other (chunk references resolve, chunk sample counts and time ranges
 * match the index, meta.json statistics match the contents). Problems are collected, each
 * naming the file and offset; nothing stops at the first.
 */
final class Verifier {
  private final Path dir;
  private final Progress progress;
  private final List<String> problems = new ArrayList<>();
  private final List<String> checked = new ArrayList<>();

  Verifier(Path dir, Progress progress) {
    this.dir = dir;
    this.progress = progress;
  }

  List<String> problems() {
    return problems;
  }

  List<String> checked() {
    return checked;
  }

  void run() throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new java.nio.file.NoSuchFileException(dir.toString(), null, "not a directory");
    }
    List<Path> entries = list(dir);
    List<Path> blocks = entries.stream().filter(p -> Files.isDirectory(p) && Ulid.isValid(p.getFileName().toString())).toList();
    int i = 0;
    for (Path b : blocks) {
      progress.update("verify blocks", i++, blocks.size());
      block(b);
    }
    progress.done("verify blocks");
    Path chunksHead = dir.resolve("chunks_head");
    if (Files.isDirectory(chunksHead)) {
      headChunks(chunksHead);
    }
    Path wal = dir.resolve("wal");
    if (Files.isDirectory(wal)) {
      for (Path p : list(wal)) {
        if (Files.isDirectory(p) && p.getFileName().toString().startsWith("checkpoint.")) {
          segments(p, false);
        }
      }
      segments(wal, false);
    }
    Path wbl = dir.resolve("wbl");
    if (Files.isDirectory(wbl)) {
      segments(wbl, false);
    }
    for (Path p : entries) {
      if (Files.isDirectory(p) && p.getFileName().toString().startsWith("chunk_snapshot.")
          && !p.getFileName().toString().endsWith(".tmp")) {
        segments(p, true);
      }
    }
  }

  private static List<Path> list(Path d) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
      ds.forEach(out::add);
    }
    out.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return out;
  }

  private void problem(String where, Exception e) {
    String d = Errors.describe(e);
    for (String p : problems) {
      if (p.endsWith(d)) {
        return; // the same damage seen again through another file (index -> chunk)
      }
    }
    problems.add(where.isEmpty() ? d : where + ": " + d);
  }

  private void block(Path b) {
    Block block;
    try {
      block = Block.open(b);
    } catch (IOException | RuntimeException e) {
      problem("", e);
      return;
    }
    try (block) {
      String name = b.getFileName().toString();
      BlockMeta meta = block.meta();
      if (!meta.ulid().toString().equals(name)) {
        problems.add(b.resolve(BlockMeta.FILE_NAME) + ": ulid " + meta.ulid() + " differs from the directory name " + name);
      }
      IntegrityReport ir;
      try {
        ir = block.index().checkIntegrity();
      } catch (IOException | RuntimeException e) {
        problem("", e);
        return;
      }
      try {
        block.chunks().checkIntegrity(true);
      } catch (IOException | RuntimeException e) {
        problem("", e);
      }
      // Cross-check index, chunks and meta.json.
      long samples = 0;
      long unreadable = 0;
      long chunks = 0;
      long series = 0;
      ChunkMetaList chks = new ChunkMetaList();
      ChunkIterator it = null;
      Postings p = block.index().allPostings();
      for (long ref = p.next(); ref != Postings.END; ref = p.next()) {
        var labels = block.index().series(ref, chks);
        series++;
        for (int i = 0; i < chks.size(); i++) {
          chunks++;
          Chunk c;
          try {
            c = block.chunks().chunk(chks.ref(i));
          } catch (IOException e) {
            problem(b.resolve("index") + " series " + labels + " chunk " + i, e);
            unreadable++;
            continue;
          }
          samples += c.numSamples();
          it = c.iterator(it);
          long first = Long.MAX_VALUE;
          long last = Long.MIN_VALUE;
          try {
            while (it.next() != ValueType.NONE) {
              first = Math.min(first, it.atT());
              last = Math.max(last, it.atT());
            }
          } catch (IOException e) {
            problem("", e);
            continue;
          }
          if (c.numSamples() > 0 && (first != chks.minTime(i) || last != chks.maxTime(i))) {
            problems.add(c.resource() + ": samples span [" + first + ", " + last + "] vs index chunk meta ["
                + chks.minTime(i) + ", " + chks.maxTime(i) + "] of series " + labels);
          }
          if (chks.minTime(i) < meta.minTime() || chks.maxTime(i) >= meta.maxTime()) {
            problems.add(b.resolve("index") + ": chunk [" + chks.minTime(i) + ", " + chks.maxTime(i)
                + "] of series " + labels + " outside the block range [" + meta.minTime() + ", " + meta.maxTime() + ")");
          }
        }
      }
      mismatch(b, "numSeries", meta.stats().numSeries(), series);
      mismatch(b, "numChunks", meta.stats().numChunks(), chunks);
      if (unreadable == 0) {
        mismatch(b, "numSamples", meta.stats().numSamples(), samples);
      }
      checked.add(name + ": " + series + " series, " + chunks + " chunks, " + samples + " samples, index "
          + ir.postingsLists() + " postings lists");
    } catch (IOException | RuntimeException e) {
      problem(b.toString(), e);
    }
  }

  private void mismatch(Path b, String field, long inMeta, long actual) {
    if (inMeta != 0 && inMeta != actual) {
      problems.add(b.resolve(BlockMeta.FILE_NAME) + ": stats." + field + ": actual " + actual + " vs meta.json " + inMeta);
    }
  }

  private void headChunks(Path d) {
    TreeMap<Long, ByteSource> files = new TreeMap<>();
    List<MappedFileSource> opened = new ArrayList<>();
    try {
      for (Path p : list(d)) {
        String n = p.getFileName().toString();
        if (n.chars().allMatch(Character::isDigit) && !n.isEmpty()) {
          MappedFileSource m = MappedFileSource.open(p);
          opened.add(m);
          files.put(Long.parseLong(n), m);
        }
      }
      // The last file may be empty after a crash (Prometheus deletes it): not a problem.
      if (!files.isEmpty() && files.lastEntry().getValue().length() < 8 && files.size() > 0) {
        files.remove(files.lastKey());
      }
      HeadChunkReader.of(files).checkIntegrity(true);
      checked.add("chunks_head: " + files.size() + " files");
    } catch (IOException | RuntimeException e) {
      problem("", e);
    } finally {
      for (MappedFileSource m : opened) {
        m.close();
      }
    }
  }

  private void segments(Path d, boolean snapshot) {
    long records = 0;
    int n = 0;
    try {
      for (Path p : list(d)) {
        String name = p.getFileName().toString();
        if (Files.isDirectory(p) || name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        n++;
        try (SegmentReader r = SegmentReader.open(p)) {
          while (r.next()) {
            records++;
            if (snapshot) {
              SnapshotCodec.decode(r.record());
            } else if (RecordCodec.type(r.record()) != null) {
              RecordCodec.decode(r.record());
            }
          }
        } catch (IOException | RuntimeException e) {
          problem("", e);
        }
      }
      checked.add(dir.relativize(d) + ": " + n + " segments, " + records + " records");
    } catch (IOException e) {
      problem(d.toString(), e);
    }
  }
}
