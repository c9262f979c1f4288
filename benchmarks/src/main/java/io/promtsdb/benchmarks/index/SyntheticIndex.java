package io.promtsdb.benchmarks.index;

import io.promtsdb.core.Labels;
import io.promtsdb.core.Utf8Order;
import io.promtsdb.index.ChunkMetaList;
import io.promtsdb.index.IndexWriter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The 1M-series data set of the index benchmarks, generated the same way by the Go side
 * ({@code benchmarks/go/index}, {@code newSynth}): {@code metrics × instances × pods} series
 * in label order,
 *
 * <pre>
 * __name__ = metric_%03d (m), instance = host-%03d (h), job = job-%d (h % 10),
 * pod = pod-%03d-%03d (h, k), zone = zone-%d (k % 3),
 * 1 + k % 3 chunk metas: mint = 7 200 000·j, maxt = mint + 7 199 999, refs from 8 by 137.
 * </pre>
 *
 * Both writers produce the same 67 060 784-byte index (SHA-256 checked by {@code
 * IndexSameDataAsGoTest} and by format-index's {@code LargeIndexTest}).
 */
public final class SyntheticIndex {
  final int metrics;
  final int instances;
  final int pods;
  /** Every series' labels, built once (the timed part is the writer, as on the Go side). */
  final Labels[] series;
  final List<String> symbols;

  public SyntheticIndex(int metrics, int instances, int pods) {
    this.metrics = metrics;
    this.instances = instances;
    this.pods = pods;
    String[] names = new String[metrics];
    for (int m = 0; m < metrics; m++) {
      names[m] = String.format("metric_%03d", m);
    }
    String[] hosts = new String[instances];
    String[] jobs = new String[instances];
    String[] podNames = new String[instances * pods];
    for (int h = 0; h < instances; h++) {
      hosts[h] = String.format("host-%03d", h);
      jobs[h] = "job-" + (h % 10);
      for (int k = 0; k < pods; k++) {
        podNames[h * pods + k] = String.format("pod-%03d-%03d", h, k);
      }
    }
    String[] zones = {"zone-0", "zone-1", "zone-2"};
    series = new Labels[metrics * instances * pods];
    TreeSet<String> syms = new TreeSet<>(Utf8Order.COMPARATOR);
    for (int i = 0; i < series.length; i++) {
      int k = i % pods;
      int h = (i / pods) % instances;
      int m = i / (pods * instances);
      series[i] =
          Labels.of(
              "__name__", names[m], "instance", hosts[h], "job", jobs[h],
              "pod", podNames[h * pods + k], "zone", zones[k % 3]);
      if (m == 0 || (h == 0 && k == 0)) {
        series[i].forEach((n, v) -> {
          syms.add(n);
          syms.add(v);
        });
      }
    }
    symbols = new ArrayList<>(syms);
  }

  public static SyntheticIndex oneMillion() {
    return new SyntheticIndex(100, 100, 100);
  }

  public int size() {
    return series.length;
  }

  /** Writes every symbol and series; the caller closes the writer. */
  public void write(IndexWriter w) throws IOException {
    w.addSymbols(symbols);
    ChunkMetaList chunks = new ChunkMetaList();
    long ref = 8;
    for (int i = 0; i < series.length; i++) {
      chunks.clear();
      int n = 1 + (i % pods) % 3;
      for (int j = 0; j < n; j++) {
        long mint = 7_200_000L * j;
        chunks.add(ref, mint, mint + 7_199_999);
        ref += 137;
      }
      w.addSeries(series[i], chunks);
    }
  }
}
