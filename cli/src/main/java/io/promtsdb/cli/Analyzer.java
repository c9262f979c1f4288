package io.promtsdb.cli;

import io.promtsdb.chunks.Chunk;
import io.promtsdb.chunks.ChunkEncoding;
import io.promtsdb.chunks.FloatHistogramIterator;
import io.promtsdb.chunks.HistogramIterator;
import io.promtsdb.chunks.ValueType;
import io.promtsdb.core.Labels;
import io.promtsdb.engine.Block;
import io.promtsdb.engine.BlockMeta;
import io.promtsdb.engine.Matcher;
import io.promtsdb.engine.Querier;
import io.promtsdb.index.ChunkMetaList;
import io.promtsdb.index.IndexReader;
import io.promtsdb.index.Postings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * promtool's {@code analyzeBlock} and {@code analyzeCompaction} (cmd/promtool/tsdb.go): churn,
 * label cardinality and chunk statistics of one block, printed in promtool's format. Lists
 * with equal counts come in a stable order here (by name); promtool's order of ties depends
 * on Go's map iteration and differs from run to run.
 */
final class Analyzer {
  private final Block block;
  private final int limit;
  private final List<Matcher> matchers;
  private final String matcherText;
  private final StringBuilder out = new StringBuilder();

  Analyzer(Block block, int limit, List<Matcher> matchers, String matcherText) {
    this.block = block;
    this.limit = limit;
    this.matchers = matchers;
    this.matcherText = matcherText;
  }

  record Info(String key, long metric) {}

  private void printInfo(List<Info> infos) {
    infos.sort(Comparator.comparing((Info i) -> i.metric, Long::compareUnsigned).reversed().thenComparing(Info::key));
    for (int i = 0; i < infos.size() && i < limit; i++) {
      out.append(Long.toUnsignedString(infos.get(i).metric())).append(' ').append(infos.get(i).key()).append('\n');
    }
  }

  String run(boolean extended) throws IOException {
    BlockMeta meta = block.meta();
    IndexReader ir = block.index();
    out.append("Block ID: ").append(meta.ulid()).append('\n');
    out.append("Duration: ").append(GoFormat.duration((meta.maxTime() - meta.minTime()) * 1_000_000L)).append('\n');
    out.append("Total Series: ").append(Long.toUnsignedString(meta.stats().numSeries())).append('\n');
    if (!matcherText.isEmpty()) {
      out.append("Matcher: ").append(matcherText).append('\n');
    }
    List<String> allLabelNames;
    long[] refs = null;
    try (Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      allLabelNames = q.labelNames(matchers);
    }
    out.append("Label names: ").append(allLabelNames.size()).append('\n');

    Postings p;
    if (!matchers.isEmpty()) {
      refs = Postings.expand(block.postings(matchers));
      out.append("Matched series: ").append(refs.length).append('\n');
      p = Postings.of(refs);
    } else {
      p = ir.allPostings();
    }
    Map<String, long[]> labelsUncovered = new HashMap<>();
    Map<String, long[]> labelpairsUncovered = new HashMap<>();
    Map<String, long[]> labelpairsCount = new HashMap<>();
    long entries = 0;
    long blockRange = meta.maxTime() - meta.minTime();
    ChunkMetaList chks = new ChunkMetaList();
    for (long ref = p.next(); ref != Postings.END; ref = p.next()) {
      Labels ls = ir.series(ref, chks);
      if (chks.isEmpty()) {
        throw new IOException(block.dir() + ": series " + ref + " has no chunks (promtool panics here)");
      }
      // uint64 arithmetic, as in Go.
      long uncovered = blockRange - (chks.maxTime(chks.size() - 1) - chks.minTime(0));
      for (int i = 0; i < ls.size(); i++) {
        String key = ls.name(i) + "=" + ls.value(i);
        labelsUncovered.computeIfAbsent(ls.name(i), k -> new long[1])[0] += uncovered;
        labelpairsUncovered.computeIfAbsent(key, k -> new long[1])[0] += uncovered;
        labelpairsCount.computeIfAbsent(key, k -> new long[1])[0]++;
        entries++;
      }
    }
    out.append("Postings (unique label pairs): ").append(labelpairsUncovered.size()).append('\n');
    out.append("Postings entries (total label pairs): ").append(entries).append('\n');

    List<Info> infos = new ArrayList<>();
    for (Map.Entry<String, long[]> e : labelpairsUncovered.entrySet()) {
      infos.add(new Info(e.getKey(), churn(e.getValue()[0], blockRange)));
    }
    out.append("\nLabel pairs most involved in churning:\n");
    printInfo(infos);

    infos = new ArrayList<>();
    for (Map.Entry<String, long[]> e : labelsUncovered.entrySet()) {
      infos.add(new Info(e.getKey(), churn(e.getValue()[0], blockRange)));
    }
    out.append("\nLabel names most involved in churning:\n");
    printInfo(infos);

    infos = new ArrayList<>();
    for (Map.Entry<String, long[]> e : labelpairsCount.entrySet()) {
      infos.add(new Info(e.getKey(), e.getValue()[0]));
    }
    out.append("\nMost common label pairs:\n");
    printInfo(infos);

    Map<String, List<String>> values = new HashMap<>();
    try (Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      for (String n : allLabelNames) {
        values.put(n, q.labelValues(n, matchers));
      }
    }
    infos = new ArrayList<>();
    for (String n : allLabelNames) {
      long len = 0;
      for (String v : values.get(n)) {
        len += v.getBytes(StandardCharsets.UTF_8).length;
      }
      infos.add(new Info(n, len));
    }
    out.append("\nLabel names with highest cumulative label value length:\n");
    printInfo(infos);

    infos = new ArrayList<>();
    for (String n : allLabelNames) {
      infos.add(new Info(n, values.get(n).size()));
    }
    out.append("\nHighest cardinality labels:\n");
    printInfo(infos);

    infos = new ArrayList<>();
    List<String> names;
    try (Querier q = block.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      names = q.labelValues(Labels.METRIC_NAME, matchers);
    }
    for (String n : names) {
      Postings np = ir.postings(Labels.METRIC_NAME, n);
      if (refs != null) {
        np = Postings.intersect(np, Postings.of(refs));
      }
      infos.add(new Info(n, Postings.count(np)));
    }
    out.append("\nHighest cardinality metric names:\n");
    printInfo(infos);

    if (extended) {
      compaction(refs);
    }
    return out.toString();
  }

  // uint64(float64(m) / float64(maxT-minT)) with m a uint64.
  private static long churn(long m, long range) {
    double dm = m >= 0 ? (double) m : (double) (m >>> 1) * 2.0 + (m & 1);
    double r = dm / (double) range;
    if (r >= 9.223372036854775807E18) {
      return Long.MIN_VALUE + (long) (r - 9.223372036854775807E18);
    }
    return (long) r;
  }

  /** promtool's {@code analyzeCompaction}. */
  private void compaction(long[] refs) throws IOException {
    IndexReader ir = block.index();
    Postings p = refs != null ? Postings.of(refs) : ir.allPostings();
    int totalChunks = 0;
    List<Integer> floatSamples = new ArrayList<>();
    List<Integer> floatSize = new ArrayList<>();
    List<Integer> histSamples = new ArrayList<>();
    List<Integer> histSize = new ArrayList<>();
    List<Integer> histBuckets = new ArrayList<>();
    ChunkMetaList chks = new ChunkMetaList();
    HistogramIterator hit = null;
    FloatHistogramIterator fit = null;
    for (long ref = p.next(); ref != Postings.END; ref = p.next()) {
      ir.series(ref, chks);
      for (int i = 0; i < chks.size(); i++) {
        Chunk c = block.chunks().chunk(chks.ref(i));
        ChunkEncoding e = c.encoding();
        if (e == ChunkEncoding.XOR) {
          floatSamples.add(c.numSamples());
          floatSize.add(c.length());
        } else if (e == ChunkEncoding.FLOAT_HISTOGRAM) {
          histSamples.add(c.numSamples());
          histSize.add(c.length());
          fit = c.floatHistogramIterator(fit);
          int buckets = 0;
          while (fit.next() == ValueType.FLOAT_HISTOGRAM) {
            buckets += fit.positiveBucketCount() + fit.negativeBucketCount();
          }
          histBuckets.add(buckets);
        } else if (e == ChunkEncoding.HISTOGRAM) {
          histSamples.add(c.numSamples());
          histSize.add(c.length());
          hit = c.histogramIterator(hit);
          int buckets = 0;
          while (hit.next() == ValueType.HISTOGRAM) {
            buckets += hit.positiveBucketCount() + hit.negativeBucketCount();
          }
          histBuckets.add(buckets);
        }
        totalChunks++;
      }
    }
    out.append("\nCompaction analysis:\n\n");
    displayHistogram("samples per float chunk", floatSamples, totalChunks);
    displayHistogram("bytes per float chunk", floatSize, totalChunks);
    displayHistogram("samples per histogram chunk", histSamples, totalChunks);
    displayHistogram("bytes per histogram chunk", histSize, totalChunks);
    displayHistogram("buckets per histogram chunk", histBuckets, totalChunks);
  }

  private void displayHistogram(String dataType, List<Integer> list, int total) {
    if (list.isEmpty()) {
      out.append(dataType).append(": N/A\n\n");
      return;
    }
    int[] datas = list.stream().mapToInt(Integer::intValue).toArray();
    Arrays.sort(datas);
    int minVal = datas[0];
    int maxVal = datas[datas.length - 1];
    int s = (maxVal - minVal) / 10;
    int step = 10;
    while (step < s && step <= 10000) {
      step *= 10;
    }
    int start = minVal - minVal % step;
    int end = maxVal - maxVal % step + step;
    int[] buckets = new int[(end - start) / step + 1];
    long sum = 0;
    int maxCount = 0;
    for (int c : datas) {
      sum += c;
      int b = (c - start) / step;
      buckets[b]++;
      maxCount = Math.max(maxCount, buckets[b]);
    }
    long avg = sum / datas.length;
    out.append(String.format("%s (min/avg/max): %d/%d/%d\n", dataType, minVal, avg, maxVal));
    int leftLen = Integer.toString(end).length();
    int rightLen = Integer.toString(end + step).length();
    int countLen = Integer.toString(maxCount).length();
    for (int b = 0; b < buckets.length; b++) {
      int percentage = 100 * buckets[b] / total;
      out.append('[')
          .append(pad(b * step + start + 1, leftLen))
          .append(", ")
          .append(pad((b + 1) * step + start, rightLen))
          .append("]: ")
          .append(pad(buckets[b], countLen))
          .append(' ')
          .append("#".repeat(Math.max(0, percentage)))
          .append('\n');
    }
    out.append('\n');
  }

  private static String pad(int v, int width) {
    String s = Integer.toString(v);
    return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
  }
}
