package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.FloatHistogram;
import io.promtsdb.core.Histogram;
import io.promtsdb.core.Labels;
import io.promtsdb.core.Span;
import io.promtsdb.core.testing.TestData;
import io.promtsdb.index.Postings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of the spec chapters block, meta-json and querying
 * (spec/src/docs/asciidoc/examples/...) are read here and checked against the engine, so the
 * spec cannot drift from the code.
 */
class SpecExamplesTest {

  static Path spec(String relative) {
    String p = System.getProperty("promtsdb.spec");
    Path dir = p != null ? Path.of(p) : TestData.root().resolveSibling("spec/src/docs/asciidoc");
    return dir.resolve(relative);
  }

  @Test
  void metaJsonExamplesRoundTrip() throws IOException {
    for (String f : List.of("compacted.json", "full.json", "empty.json")) {
      byte[] b = Files.readAllBytes(spec("examples/meta-json/" + f));
      assertThat(BlockMeta.parse(b, f).toJson()).as(f).isEqualTo(b);
    }
    byte[] old = Files.readAllBytes(spec("examples/meta-json/old-key-order.json"));
    BlockMeta m = BlockMeta.parse(old, "old");
    assertThat(m.version()).isEqualTo(1);
    assertThat(m.toJson()).isNotEqualTo(old);
    // The fixture block the compacted example was taken from.
    assertThat(Files.readAllBytes(spec("examples/meta-json/compacted.json")))
        .isEqualTo(Files.readAllBytes(TestData.path("fixtures/p3-snappy/data/01M80DXW3PNEZ6R2P9HY148ERX/meta.json")));
  }

  @Test
  void blockExampleSizesAreTheFixture() throws IOException {
    Path data = TestData.path("fixtures/p3-none/data");
    long total = 0;
    String block = null;
    for (String line : Files.readAllLines(spec("examples/block/p3-none-block.txt"))) {
      String[] f = line.trim().split("\\s+");
      assertThat(Files.size(data.resolve(f[0]))).as(f[0]).isEqualTo(Long.parseLong(f[1]));
      total += Long.parseLong(f[1]);
      block = f[0].substring(0, f[0].indexOf('/'));
    }
    try (ReadOnlyDb db = ReadOnlyDb.open(data)) {
      String id = block;
      Block b = db.blocks().stream().filter(x -> x.ulid().toString().equals(id)).findFirst().orElseThrow();
      assertThat(b.size()).isEqualTo(total);
      List<String> list = Files.readAllLines(spec("examples/block/p3-none-list.txt"));
      assertThat(list).hasSize(db.blocks().size() + 1);
      for (int i = 0; i < db.blocks().size(); i++) {
        Block bi = db.blocks().get(i);
        assertThat(list.get(i + 1)).startsWith(bi.ulid().toString()).endsWith(" " + bi.size());
      }
    }
  }

  @Test
  void matcherTableHolds() throws IOException {
    Head h = PostingsForMatchersTest.head();
    IndexView ix = new Head.HeadIndexView(h, 0, 0, 0, false);
    int rows = 0;
    for (String line : Files.readAllLines(spec("examples/querying/matchers.txt"), StandardCharsets.UTF_8)) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String selector = line.substring(0, line.indexOf("=>")).trim();
      String rest = line.substring(line.indexOf("=>") + 2).trim();
      List<String> want = rest.isEmpty() ? List.of() : List.of(rest.split(" "));
      List<String> got = new ArrayList<>();
      Postings p = PostingsForMatchers.select(ix, MetricSelectors.parse(selector));
      for (long r = p.next(); r != Postings.END; r = p.next()) {
        got.add(ix.series(r, null).toString().replace(", ", ","));
      }
      assertThat(got).as(selector).containsExactlyInAnyOrderElementsOf(want);
      rows++;
    }
    assertThat(rows).isEqualTo(15);
  }

  @Test
  void dumpQuirkExampleHolds() throws IOException {
    List<String> lines = Files.readAllLines(spec("examples/querying/dump-quirk.txt"));
    String samples = lines.stream().filter(l -> l.startsWith("samples:")).findFirst().orElseThrow();
    String printed = lines.stream().filter(l -> l.startsWith("printed:")).findFirst().orElseThrow();
    List<OooChunk.OooSample> list = new ArrayList<>();
    Histogram h = Histogram.builder().count(1).sum(1).positiveSpans(new Span(0, 1)).positiveBuckets(1).build();
    FloatHistogram fh = h.toFloatHistogram();
    for (String s : samples.substring("samples:".length()).trim().split(" ")) {
      String kind = s.substring(0, s.indexOf('@'));
      String tv = s.substring(s.indexOf('@') + 1);
      long t = Long.parseLong(tv.contains("=") ? tv.substring(0, tv.indexOf('=')) : tv);
      switch (kind) {
        case "F" -> list.add(new OooChunk.OooSample(t, Double.parseDouble(tv.substring(tv.indexOf('=') + 1)), null, null));
        case "FH" -> list.add(new OooChunk.OooSample(t, 0, null, fh));
        default -> list.add(new OooChunk.OooSample(t, 0, h, null));
      }
    }
    SampleList sl = new SampleList(list);
    Labels labels = Labels.of("__name__", "x");
    Series series =
        new Series() {
          @Override
          public Labels labels() {
            return labels;
          }

          @Override
          public SampleIterator iterator(SampleIterator reuse) {
            return sl.iterator();
          }
        };
    SeriesSet ss =
        new SeriesSet() {
          private boolean done;

          @Override
          public boolean next() {
            boolean has = !done;
            done = true;
            return has;
          }

          @Override
          public Series at() {
            return series;
          }
        };
    Dump.StringOut out = new Dump.StringOut();
    Dump.promtool(ss, out, 0);
    List<String> times = new ArrayList<>();
    for (String l : out.toString().split("\n")) {
      times.add(l.substring(l.lastIndexOf(' ') + 1));
    }
    assertThat(String.join(" ", times)).isEqualTo(printed.substring("printed:".length()).trim());
    assertThat(list.get(0).type()).isEqualTo(ValueType.FLOAT);
  }
}
