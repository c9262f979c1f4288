package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.chunks.XorAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of the compaction chapter (spec/src/docs/asciidoc/examples/compaction)
 * checked against the engine. The merge example's expected line is what Prometheus 2.42's
 * {@code NewCompactingChunkSeriesMerger(ChainedSeriesMerge)} printed for the same chunks.
 */
class CompactionSpecExamplesTest {

  private static List<String> lines(String name) throws IOException {
    return Files.readAllLines(SpecExamplesTest.spec("examples/compaction/" + name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"plan.txt", "plan-overlap.txt", "plan-tombstones.txt"})
  void planExamples(String file) throws IOException {
    long[] ranges = null;
    List<Compactor.DirMeta> metas = new ArrayList<>();
    List<String> expected = null;
    for (String l : lines(file)) {
      if (l.startsWith("# ranges")) {
        ranges = Arrays.stream(l.substring(8).trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
      } else if (l.startsWith("=>")) {
        expected = List.of(l.substring(2).trim().split("\\s+"));
      } else if (!l.startsWith("#") && !l.isBlank()) {
        String[] f = l.trim().split("\\s+");
        metas.add(CompactorPlanTest.meta(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])));
      }
    }
    List<String> got = new ArrayList<>();
    for (Path p : CompactorPlanTest.compactor(ranges).plan(metas)) {
      got.add(p.toString());
    }
    assertThat(got).isEqualTo(expected);
  }

  @Test
  void mergeExample() throws IOException {
    List<List<BlockChunk>> series = new ArrayList<>();
    String expected = null;
    for (String l : lines("merge.txt")) {
      if (l.startsWith("chunk ")) {
        XorAppender a = XorAppender.create();
        long first = Long.MIN_VALUE;
        long last = 0;
        for (String s : l.substring(6).trim().split("\\s+")) {
          long t = Long.parseLong(s.substring(0, s.indexOf('=')));
          a.append(t, Double.parseDouble(s.substring(s.indexOf('=') + 1)));
          first = first == Long.MIN_VALUE ? t : first;
          last = t;
        }
        series.add(List.of(new BlockChunk(first, last, a.chunk())));
      } else if (l.startsWith("=>")) {
        expected = l.substring(2).trim();
      }
    }
    List<BlockChunk> merged = ChunkMerger.merge(series, io.promtsdb.chunks.WriterFlavor.PROMETHEUS_3);
    StringBuilder b = new StringBuilder();
    for (BlockChunk c : merged) {
      SampleIterator it = ChunkSampleIterator.of(c.chunk(), null);
      for (ValueType vt = it.next(); vt != ValueType.NONE; vt = it.next()) {
        b.append(b.length() == 0 ? "" : " ").append(it.atT()).append('=').append(io.promtsdb.core.GoFloat.formatG(it.atValue()));
      }
    }
    assertThat(merged).hasSize(1);
    assertThat(b.toString()).isEqualTo(expected);
  }

  @Test
  void retentionExample() throws IOException {
    List<BlockMeta> oldestFirst = new ArrayList<>();
    List<Long> sizes = new ArrayList<>();
    int checked = 0;
    for (String l : lines("retention.txt")) {
      if (l.startsWith("#") || l.isBlank()) {
        continue;
      }
      String[] f = l.trim().split("\\s+");
      if (f[0].equals("time") || f[0].equals("size")) {
        List<BlockMeta> newestFirst = new ArrayList<>(oldestFirst);
        java.util.Collections.reverse(newestFirst);
        List<Long> newestSizes = new ArrayList<>(sizes);
        java.util.Collections.reverse(newestSizes);
        int arrow = Arrays.asList(f).indexOf("=>");
        Set<Ulid> got = f[0].equals("time")
            ? DataDirMaintenance.beyondTimeRetention(newestFirst, Long.parseLong(f[1]))
            : DataDirMaintenance.beyondSizeRetention(newestFirst, newestSizes, Long.parseLong(f[2]), Long.parseLong(f[1]));
        Set<Ulid> want = new TreeSet<>();
        for (String n : Arrays.copyOfRange(f, arrow + 1, f.length)) {
          want.add(new Ulid(0, n.charAt(0)));
        }
        assertThat(new TreeSet<>(got)).as(l).isEqualTo(want);
        checked++;
      } else {
        Ulid u = new Ulid(0, f[0].charAt(0));
        oldestFirst.add(new BlockMeta(u, Long.parseLong(f[1]), Long.parseLong(f[2]), BlockMeta.Stats.EMPTY,
            BlockWriter.level1(u), BlockMeta.VERSION_1));
        sizes.add(Long.parseLong(f[3]));
      }
    }
    assertThat(checked).isEqualTo(2);
  }
}
