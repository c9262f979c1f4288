package io.promtsdb.index;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Utf8Order;
import java.io.Closeable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The reader of index format version 1 (Prometheus 2.0): symbol references and series
 * references are absolute file offsets, series entries are not aligned, and the postings
 * offset table may be unsorted, so it is held in memory whole.
 */
final class IndexReaderV1 extends IndexReaderBase implements IndexReader {
  private final FullPostingsOffsets postingsOffsets;
  private final List<String> labelNames;

  IndexReaderV1(ByteSource index, Options options, Closeable owned) throws CorruptFormatException {
    super(index, IndexFormat.FORMAT_V1, options, owned, true);
    this.postingsOffsets = new FullPostingsOffsets(index, toc.postingsOffsetTable());
    List<String> names = new ArrayList<>(postingsOffsets.names());
    cacheNames(names);
    names.remove(IndexFormat.ALL_POSTINGS_NAME);
    this.labelNames = Collections.unmodifiableList(names);
  }

  @Override
  long seriesOffset(long ref) throws CorruptFormatException {
    if (ref < 0) {
      throw seriesRegion.corrupt(0, "series reference " + Long.toUnsignedString(ref) + " is out of range");
    }
    return ref;
  }

  @Override
  long seriesRef(long offset) {
    return offset;
  }

  @Override
  int seriesAlignment() {
    return 1;
  }

  @Override
  public List<String> labelNames() {
    return labelNames;
  }

  @Override
  public List<String> labelValues(String name) {
    Map<String, Long> values = postingsOffsets.values(name);
    if (values == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(values.keySet());
    out.sort(Utf8Order.COMPARATOR);
    return Collections.unmodifiableList(out);
  }

  @Override
  public Postings postings(String name, Collection<String> values) throws CorruptFormatException {
    Map<String, Long> offsets = postingsOffsets.values(name);
    if (offsets == null) {
      return Postings.empty();
    }
    List<Postings> its = new ArrayList<>(values.size());
    for (String v : new java.util.LinkedHashSet<>(values)) {
      Long off = offsets.get(v);
      if (off != null) {
        its.add(PostingsList.open(index, off, options.verifyPostingsChecksums()));
      }
    }
    return Postings.merge(its);
  }

  @Override
  public Postings postingsForLabelMatching(String name, Predicate<String> match)
      throws CorruptFormatException {
    Map<String, Long> offsets = postingsOffsets.values(name);
    if (offsets == null) {
      return Postings.empty();
    }
    List<Postings> its = new ArrayList<>();
    for (Map.Entry<String, Long> e : offsets.entrySet()) {
      if (match == null || match.test(e.getKey())) {
        its.add(PostingsList.open(index, e.getValue(), options.verifyPostingsChecksums()));
      }
    }
    return Postings.merge(its);
  }

  @Override
  void forEachValueCount(String name, PostingsStats.ValueCounts f) throws CorruptFormatException {
    Map<String, Long> offsets = postingsOffsets.values(name);
    if (offsets == null) {
      return;
    }
    for (String v : labelValues(name)) {
      int len = v.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
      f.value(
          new PostingsStats.Value() {
            @Override
            public int length() {
              return len;
            }

            @Override
            public String string() {
              return v;
            }
          },
          postingsCount(offsets.get(v)));
    }
  }

  @Override
  void forEachPostingsOffset(PostingsOffsetTable.EntryVisitor visitor)
      throws CorruptFormatException {
    PostingsOffsetTable.forEach(postingsOffsets.payload, visitor);
  }

  @Override
  boolean postingsOffsetTableSorted() {
    return false;
  }
}
