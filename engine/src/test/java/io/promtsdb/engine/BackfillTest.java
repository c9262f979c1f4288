package io.promtsdb.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.chunks.WriterFlavor;
import io.promtsdb.core.Labels;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's OpenMetrics backfill without promtool (cli's CreateBlocksFromTest compares its
 * blocks, output and errors with the real binary byte for byte): the parser's streaming window
 * gives the same entries and errors wherever the window's edges fall, memory does not grow
 * with the input, errors carry the failing entry's line and offset, and damaged input fails
 * with {@link Backfill.BackfillException} only.
 */
class BackfillTest {
  @TempDir Path tmp;

  /** What a parse saw: every series entry, or the error that stopped it. */
  record Parsed(List<String> series, String error) {}

  /** Parses all of {@code in}, recording labels, timestamp and the value's raw bits. */
  static Parsed parseAll(ReadableByteChannel in, int window) throws IOException {
    OpenMetricsParser p = new OpenMetricsParser(in, true, window);
    List<String> out = new ArrayList<>();
    try {
      for (OpenMetricsParser.Entry e = p.next(); e != OpenMetricsParser.Entry.EOF; e = p.next()) {
        if (e == OpenMetricsParser.Entry.SERIES) {
          out.add(p.labels() + " " + p.timestamp() + " " + Long.toHexString(Double.doubleToRawLongBits(p.value())));
        }
      }
      return new Parsed(out, null);
    } catch (OpenMetricsParser.ParseException e) {
      return new Parsed(out, e.getMessage() + " @line " + p.entryLine() + " @offset " + p.entryOffset());
    }
  }

  /** A channel handing out at most a few bytes per read (seeded), as a slow pipe would. */
  static ReadableByteChannel trickle(byte[] data, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    return new ReadableByteChannel() {
      private int pos;

      @Override
      public int read(ByteBuffer dst) {
        if (pos == data.length) {
          return -1;
        }
        int n = Math.min(Math.min(dst.remaining(), 1 + r.nextInt(7)), data.length - pos);
        dst.put(data, pos, n);
        pos += n;
        return n;
      }

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public void close() {}
    };
  }

  /**
   * Seeded OpenMetrics text: families with HELP/TYPE/UNIT, escapes, quoted names, label values
   * spanning lines, exemplars, and (when {@code damage}) one byte replaced at a random place.
   */
  static byte[] input(long seed, int lines, boolean damage) {
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder b = new StringBuilder();
    b.append("# HELP m_seconds Help with \\\\ and \\n.\n# TYPE m_seconds histogram\n# UNIT m_seconds seconds\n");
    for (int i = 0; i < lines; i++) {
      long t = 1_700_000_000L + i;
      switch (r.nextInt(5)) {
        case 0 -> b.append("m_seconds_bucket{le=\"").append(r.nextInt(3) == 0 ? "+Inf" : "1e" + r.nextInt(4))
            .append("\",i=\"").append(r.nextInt(5)).append("\"} ").append(r.nextInt(1000)).append(' ').append(t).append('\n');
        case 1 -> b.append("{\"odd.name\",\"quoted label\"=\"a\\\"b\\\\c\\nd ü\"} ").append(r.nextDouble())
            .append(' ').append(t).append(".").append(r.nextInt(1000)).append('\n');
        case 2 -> b.append("m_seconds_count{i=\"").append(r.nextInt(5)).append("\"} ").append(i)
            .append(' ').append(t).append(" # {trace_id=\"x").append(i).append("\"} 1.5 ").append(t).append('\n');
        case 3 -> b.append("m_seconds_sum ").append(r.nextBoolean() ? "NaN" : "-Inf").append(' ').append(t).append('\n');
        default -> b.append("m_seconds_created{x=\"").append("y".repeat(r.nextInt(200))).append("\"} 1 ").append(t).append('\n');
      }
    }
    b.append("# EOF\n");
    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
    if (damage) {
      byte[] junk = {'"', '\n', ' ', '{', '}', '#', 'x', 0, (byte) 0xFF, '=', ','};
      bytes[r.nextInt(bytes.length)] = junk[r.nextInt(junk.length)];
    }
    return bytes;
  }

  @Test
  void windowEdgesDoNotChangeWhatIsParsed() throws IOException {
    for (long seed = 1; seed <= 60; seed++) {
      byte[] in = input(seed, 300, seed % 2 == 0);
      Parsed whole = parseAll(Channels.newChannel(new java.io.ByteArrayInputStream(in)), in.length + 1);
      // A 1-byte window grows and compacts at every entry; reads of 1-7 bytes cut every token.
      for (int window : new int[] {1, 5, 64}) {
        Parsed windowed = parseAll(trickle(in, seed * 31 + window), window);
        assertThat(windowed).as("seed %d, window %d", seed, window).isEqualTo(whole);
      }
      if (seed % 2 == 1) {
        assertThat(whole.error()).as("seed %d", seed).isNull();
        assertThat(whole.series()).hasSize(300);
      }
    }
  }

  /**
   * 32 MiB generated on the fly (never in memory or on disk) through the parser: every entry is
   * seen and the window stays at its first size, so the parser's memory does not depend on the
   * input's size.
   */
  @Test
  void parsingStreamsWithABoundedWindow() throws Exception {
    byte[] line = "backfill_streaming_test_metric{instance=\"host-0001.example.com:9100\",job=\"node\"} 12345.678 1700000000.123\n"
        .getBytes(StandardCharsets.US_ASCII);
    long total = 32L << 20;
    long lines = total / line.length;
    ReadableByteChannel generated = new ReadableByteChannel() {
      private long pos;
      private final long end = lines * line.length;
      private boolean eofWritten;

      @Override
      public int read(ByteBuffer dst) {
        if (pos == end) {
          if (eofWritten) {
            return -1;
          }
          byte[] eof = "# EOF\n".getBytes(StandardCharsets.US_ASCII);
          if (dst.remaining() < eof.length) {
            return 0;
          }
          dst.put(eof);
          eofWritten = true;
          return eof.length;
        }
        int n = 0;
        while (dst.hasRemaining() && pos < end) {
          int off = (int) (pos % line.length);
          int k = Math.min(dst.remaining(), line.length - off);
          dst.put(line, off, k);
          pos += k;
          n += k;
        }
        return n;
      }

      @Override
      public boolean isOpen() {
        return true;
      }

      @Override
      public void close() {}
    };
    OpenMetricsParser p = new OpenMetricsParser(generated, true);
    long series = 0;
    int maxWindow = 0;
    for (OpenMetricsParser.Entry e = p.next(); e != OpenMetricsParser.Entry.EOF; e = p.next()) {
      if (e == OpenMetricsParser.Entry.SERIES) {
        series++;
        if (series == 1) {
          assertThat(p.labels().get("instance")).isEqualTo("host-0001.example.com:9100");
          assertThat(p.timestamp()).isEqualTo(1_700_000_000_123L);
        }
      }
      maxWindow = Math.max(maxWindow, p.windowSize());
    }
    assertThat(series).isEqualTo(lines);
    assertThat(p.position()).isEqualTo(lines * line.length + 6);
    assertThat(maxWindow).isEqualTo(OpenMetricsParser.INITIAL_WINDOW);
  }

  /**
   * The whole backfill in a child JVM whose heap (-Xmx16m) is about half the input (29 MB, 360k
   * samples in three blocks): reading the input into memory, as the command did before, fails
   * there with OutOfMemoryError.
   */
  @Test
  void backfillHeapDoesNotGrowWithTheInput() throws Exception {
    Path om = tmp.resolve("big.om");
    long samples = 0;
    try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(om), 1 << 16)) {
      out.write("# HELP backfill_memory_test_metric_total A counter with a long name and long labels.\n# TYPE backfill_memory_test_metric counter\n"
          .getBytes(StandardCharsets.US_ASCII));
      // 100 series, a sample every 5 s for 5 h from 00:00: blocks [0h, 2h), [2h, 4h) and [4h, 6h).
      long start = 1_700_006_400L - 1_700_006_400L % 7200;
      for (long t = start; t < start + 5 * 3600; t += 5) {
        for (int s = 0; s < 100; s++) {
          out.write(("backfill_memory_test_metric_total{instance=\"host-" + s + ".datacenter.example.com:9100\",job=\"node\"} "
              + (t - start + s) + " " + t + "\n").getBytes(StandardCharsets.US_ASCII));
          samples++;
        }
      }
      out.write("# EOF\n".getBytes(StandardCharsets.US_ASCII));
    }
    assertThat(Files.size(om)).isGreaterThan(28L << 20);
    Path dir = Files.createDirectories(tmp.resolve("blocks"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx16m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        BackfillChild.class.getName(), om.toString(), dir.toString())
        .redirectErrorStream(true)
        .start();
    List<String> lines = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        lines.add(l);
      }
    }
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("child output: %s", lines).isZero();
    long written = 0;
    for (String l : lines) {
      written += Long.parseLong(l.split(" ")[1]);
    }
    assertThat(lines).hasSize(3);
    assertThat(written).isEqualTo(samples);
  }

  @Test
  void errorsNameTheLineAndOffsetOfTheFailingEntry() throws Exception {
    SplittableRandom r = new SplittableRandom(7);
    for (int round = 0; round < 20; round++) {
      int bad = 1 + r.nextInt(2000);
      StringBuilder b = new StringBuilder();
      long badOffset = -1;
      for (int line = 1; line <= 2000; line++) {
        if (line == bad) {
          badOffset = b.length();
          b.append("m{a=\"1\"} x 1\n");
        } else {
          b.append("m{a=\"").append(line % 7).append("\"} ").append(line).append(' ').append(line).append('\n');
        }
      }
      b.append("# EOF\n");
      Path om = tmp.resolve("bad-" + round + ".om");
      Files.writeString(om, b, StandardCharsets.US_ASCII);
      long wantOffset = badOffset;
      assertThatThrownBy(() -> Backfill.fromOpenMetrics(om, tmp, Backfill.Options.DEFAULT))
          .isInstanceOfSatisfying(Backfill.BackfillException.class, e -> {
            // promtool's message (no position in it), then where the entry starts.
            assertThat(e.getMessage()).isEqualTo(
                "getting min and max timestamp: next: strconv.ParseFloat: parsing \"x\": invalid syntax while parsing: \"m{a=\\\"1\\\"} x\"");
            assertThat(e.line()).isEqualTo(bad);
            assertThat(e.offset()).isEqualTo(wantOffset);
          });
    }
  }

  @Test
  void rejectedSampleNamesItsLine() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 5001; i++) {
      b.append("a ").append(i).append(' ').append(1000 + i).append('\n');
    }
    b.append("a 1 1000\n# EOF\n");
    Path om = tmp.resolve("ooo.om");
    Files.writeString(om, b, StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> Backfill.fromOpenMetrics(om, tmp, Backfill.Options.DEFAULT))
        .isInstanceOfSatisfying(Backfill.BackfillException.class, e -> {
          assertThat(e.getMessage()).isEqualTo("block creation: process blocks: add sample: out of order sample");
          assertThat(e.line()).isEqualTo(5002);
        });
  }

  /** Damaged input: blocks or a BackfillException, never another exception. */
  @Test
  void damagedInputFailsCleanly() throws Exception {
    int failures = 0;
    for (long seed = 100; seed < 160; seed++) {
      byte[] in = input(seed, 40, true);
      Path om = tmp.resolve("d" + seed + ".om");
      Files.write(om, in);
      Path dir = Files.createDirectories(tmp.resolve("out" + seed));
      try {
        Backfill.fromOpenMetrics(om, dir, Backfill.Options.DEFAULT);
      } catch (Backfill.BackfillException e) {
        failures++;
        assertThat(e.getMessage()).as("seed %d", seed).startsWith("getting min and max timestamp: ").doesNotContain("null");
        assertThat(e.offset()).as("seed %d", seed).isBetween(0L, (long) in.length);
      }
    }
    // Most single-byte damage breaks the text; some (a digit for a digit) does not.
    assertThat(failures).isGreaterThan(20);
  }

  @Test
  void optionsListenerAndProgress() throws Exception {
    Path om = tmp.resolve("in.om");
    StringBuilder b = new StringBuilder("# TYPE h histogram\n");
    for (long t = 0; t < 5 * 3600; t += 60) {
      b.append("h_bucket{le=\"1e3\",job=\"x\"} 1 ").append(t).append('\n');
    }
    b.append("# EOF\n");
    Files.writeString(om, b, StandardCharsets.US_ASCII);
    Path dir = Files.createDirectories(tmp.resolve("o"));
    List<BlockMeta> told = new ArrayList<>();
    List<String> progress = new ArrayList<>();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("job", "");
    labels.put("source", "backfill");
    Backfill.Options options = Backfill.Options.DEFAULT
        .withMaxBlockDuration(7 * 3600_000L)
        .withLabels(labels)
        .withBlockListener(told::add)
        .withProgress(new Progress() {
          @Override
          public void update(String what, long done, long total) {
            progress.add(what + " " + done + "/" + total);
          }

          @Override
          public void done(String what) {
            progress.add(what + " done");
          }
        });
    List<BlockMeta> blocks = Backfill.fromOpenMetrics(om, dir, options);
    // 7h allows 6h blocks: [0h, 6h) holds everything.
    assertThat(blocks).hasSize(1).isEqualTo(told);
    assertThat(blocks.get(0).minTime()).isZero();
    assertThat(blocks.get(0).maxTime()).isEqualTo(5 * 3600_000L - 60_000 + 1);
    long size = Files.size(om);
    assertThat(progress).containsExactly(
        "time range of " + om + " 0/" + size,
        "time range of " + om + " " + size + "/" + size,
        "time range of " + om + " done",
        "block [0, 21600000) of " + om + " 0/" + size,
        "block [0, 21600000) of " + om + " " + size + "/" + size,
        "block [0, 21600000) of " + om + " done");
    try (Block block = Block.open(dir.resolve(blocks.get(0).ulid().toString()))) {
      SeriesSet s = block.querier(Long.MIN_VALUE, Long.MAX_VALUE).select(false, List.of(Matcher.equal("__name__", "h_bucket")));
      assertThat(s.next()).isTrue();
      // 3.x normalises le; job is removed by its empty value; source is added.
      assertThat(s.at().labels()).isEqualTo(Labels.of("__name__", "h_bucket", "le", "1000.0", "source", "backfill"));
      assertThat(s.next()).isFalse();
    }
    // promtool 2.53 keeps le as written.
    Path dir2 = Files.createDirectories(tmp.resolve("o2"));
    BlockMeta m2 = Backfill.fromOpenMetrics(om, dir2, Backfill.Options.DEFAULT.withFlavor(WriterFlavor.PROMETHEUS_2)).get(0);
    try (Block block = Block.open(dir2.resolve(m2.ulid().toString()))) {
      SeriesSet s = block.querier(Long.MIN_VALUE, Long.MAX_VALUE).select(false, List.of(Matcher.equal("__name__", "h_bucket")));
      assertThat(s.next()).isTrue();
      assertThat(s.at().labels().get("le")).isEqualTo("1e3");
    }
  }
}
