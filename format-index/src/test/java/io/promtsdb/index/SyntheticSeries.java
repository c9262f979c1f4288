package io.promtsdb.index;

import io.promtsdb.core.Labels;
import io.promtsdb.core.Utf8Order;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The "1M series" data set of the large-index test and of the index benchmarks (the Go
 * benchmark generates the same): {@code metrics × instances × pods} series, enumerated in
 * label order so nothing has to be held or sorted.
 *
 * <pre>
 * __name__ = metric_%03d   (m)
 * instance = host-%03d     (h)
 * job      = job-%d        (h % 10)
 * pod      = pod-%03d-%03d (h, k)
 * zone     = zone-%d       (k % 3)
 * chunks   : 1 + k % 3 chunk metas, mint = 7 200 000·j, maxt = mint + 7 199 999,
 *            refs = a running offset advancing 137 bytes a chunk
 * </pre>
 */
final class SyntheticSeries {
  final int metrics;
  final int instances;
  final int pods;
  // The label values, built once.
  private final String[] metricNames;
  private final String[] hosts;
  private final String[] jobs;
  private final String[] podNames;
  private final String[] zones = {"zone-0", "zone-1", "zone-2"};

  SyntheticSeries(int metrics, int instances, int pods) {
    this.metrics = metrics;
    this.instances = instances;
    this.pods = pods;
    metricNames = new String[metrics];
    for (int m = 0; m < metrics; m++) {
      metricNames[m] = String.format("metric_%03d", m);
    }
    hosts = new String[instances];
    jobs = new String[instances];
    podNames = new String[instances * pods];
    for (int h = 0; h < instances; h++) {
      hosts[h] = String.format("host-%03d", h);
      jobs[h] = "job-" + (h % 10);
      for (int k = 0; k < pods; k++) {
        podNames[h * pods + k] = String.format("pod-%03d-%03d", h, k);
      }
    }
  }

  static SyntheticSeries oneMillion() {
    return new SyntheticSeries(100, 100, 100);
  }

  int size() {
    return metrics * instances * pods;
  }

  Labels labels(int i) {
    int k = i % pods;
    int h = (i / pods) % instances;
    int m = i / (pods * instances);
    return Labels.of(
        "__name__", metricNames[m],
        "instance", hosts[h],
        "job", jobs[h],
        "pod", podNames[h * pods + k],
        "zone", zones[k % 3]);
  }

  /** Chunk metas of series {@code i}; {@code refBefore} is the running reference. */
  static int chunkCount(int i, int pods) {
    return 1 + (i % pods) % 3;
  }

  void chunks(int i, long firstRef, ChunkMetaList out) {
    out.clear();
    long ref = firstRef;
    for (int j = 0; j < chunkCount(i, pods); j++) {
      long mint = 7_200_000L * j;
      out.add(ref, mint, mint + 7_199_999);
      ref += 137;
    }
  }

  List<String> symbols() {
    TreeSet<String> s = new TreeSet<>(Utf8Order.COMPARATOR);
    s.add("__name__");
    s.add("instance");
    s.add("job");
    s.add("pod");
    s.add("zone");
    for (int m = 0; m < metrics; m++) {
      s.add(String.format("metric_%03d", m));
    }
    for (int h = 0; h < instances; h++) {
      s.add(String.format("host-%03d", h));
      s.add("job-" + (h % 10));
      for (int k = 0; k < pods; k++) {
        s.add(String.format("pod-%03d-%03d", h, k));
        s.add("zone-" + (k % 3));
      }
    }
    return new ArrayList<>(s);
  }

  /** Writes the whole set; returns the number of chunk metas. */
  long write(IndexWriter w) throws java.io.IOException {
    w.addSymbols(symbols());
    ChunkMetaList chunks = new ChunkMetaList();
    long ref = 8;
    long total = 0;
    for (int i = 0; i < size(); i++) {
      chunks(i, ref, chunks);
      ref += 137L * chunks.size();
      total += chunks.size();
      w.addSeries(labels(i), chunks);
    }
    return total;
  }
}
