package io.promtsdb.engine;

import io.promtsdb.core.Labels;
import io.promtsdb.index.ChunkMetaList;
import io.promtsdb.index.IndexReader;
import io.promtsdb.index.Postings;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

/** A block's index file as an {@link IndexView}. */
final class BlockIndexView implements IndexView {
  private final IndexReader reader;

  BlockIndexView(IndexReader reader) {
    this.reader = reader;
  }

  @Override
  public Postings postings(String name, List<String> values) throws IOException {
    return reader.postings(name, values);
  }

  @Override
  public Postings postingsForLabelMatching(String name, Predicate<String> match) throws IOException {
    return reader.postingsForLabelMatching(name, match);
  }

  @Override
  public Postings postingsForAllLabelValues(String name) throws IOException {
    return reader.postingsForAllLabelValues(name);
  }

  @Override
  public Postings allPostings() throws IOException {
    return reader.allPostings();
  }

  @Override
  public Postings sortedPostings(Postings p) {
    return reader.sortedPostings(p);
  }

  private final ChunkMetaList buf = new ChunkMetaList();

  @Override
  public Labels series(long ref, ChunkMetas chunks) throws IOException {
    if (chunks == null) {
      return reader.labels(ref);
    }
    Labels l = reader.series(ref, buf);
    chunks.clear();
    for (int i = 0; i < buf.size(); i++) {
      chunks.add(buf.ref(i), buf.minTime(i), buf.maxTime(i), null);
    }
    return l;
  }

  @Override
  public List<String> labelValues(String name) throws IOException {
    return reader.labelValues(name);
  }

  @Override
  public List<String> labelNames() {
    return reader.labelNames();
  }
}
