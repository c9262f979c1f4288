package io.promtsdb.index;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Utf8Order;
import java.io.Closeable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * The reader of index format version 2 (and the reserved version 3, read identically, as
 * Prometheus 2.55+ does): symbol references are indices into the symbol table, series
 * entries are 16-byte aligned and a series reference is its offset divided by 16, the
 * postings offset table is sorted and sampled.
 */
final class IndexReaderV2 extends IndexReaderBase implements IndexReader {
  private final SampledPostingsOffsets postingsOffsets;
  private final List<String> labelNames;

  IndexReaderV2(ByteSource index, int version, Options options, Closeable owned)
      throws CorruptFormatException {
    super(index, version, options, owned, false);
    this.postingsOffsets = new SampledPostingsOffsets(index, toc.postingsOffsetTable());
    List<String> names = new ArrayList<>(postingsOffsets.names());
    cacheNames(names);
    names.remove(IndexFormat.ALL_POSTINGS_NAME);
    names.sort(Utf8Order.COMPARATOR);
    this.labelNames = Collections.unmodifiableList(names);
  }

  @Override
  long seriesOffset(long ref) throws CorruptFormatException {
    if (ref < 0 || ref > Long.MAX_VALUE / IndexFormat.SERIES_ALIGNMENT) {
      throw seriesRegion.corrupt(0, "series reference " + Long.toUnsignedString(ref) + " is out of range");
    }
    return ref * IndexFormat.SERIES_ALIGNMENT;
  }

  @Override
  long seriesRef(long offset) {
    return offset / IndexFormat.SERIES_ALIGNMENT;
  }

  @Override
  int seriesAlignment() {
    return IndexFormat.SERIES_ALIGNMENT;
  }

  @Override
  public List<String> labelNames() {
    return labelNames;
  }

  @Override
  public List<String> labelValues(String name) throws CorruptFormatException {
    SampledPostingsOffsets.Name n = postingsOffsets.name(name);
    if (n == null) {
      return List.of();
    }
    List<String> values = new ArrayList<>(n.valueCount);
    postingsOffsets.walk(
        n,
        n.firstPos(),
        (c, len, off) -> {
          values.add(new String(c.bytes(len), StandardCharsets.UTF_8));
          return true;
        });
    return Collections.unmodifiableList(values);
  }

  @Override
  public Postings postings(String name, Collection<String> values) throws CorruptFormatException {
    SampledPostingsOffsets.Name n = postingsOffsets.name(name);
    if (n == null || values.isEmpty()) {
      return Postings.empty();
    }
    List<Postings> its = new ArrayList<>(values.size());
    if (values.size() == 1) {
      long off = postingsOffsets.find(n, SymbolTable.utf8(values.iterator().next()));
      return off < 0 ? Postings.empty() : open(off);
    }
    byte[][] targets = new byte[values.size()][];
    int i = 0;
    for (String v : values) {
      targets[i++] = SymbolTable.utf8(v);
    }
    java.util.Arrays.sort(targets, java.util.Arrays::compareUnsigned);
    byte[] prev = null;
    for (byte[] t : targets) {
      if (prev != null && java.util.Arrays.equals(prev, t)) {
        continue;
      }
      prev = t;
      long off = postingsOffsets.find(n, t);
      if (off >= 0) {
        its.add(open(off));
      }
    }
    return Postings.merge(its);
  }

  @Override
  public Postings postingsForLabelMatching(String name, Predicate<String> match)
      throws CorruptFormatException {
    SampledPostingsOffsets.Name n = postingsOffsets.name(name);
    if (n == null) {
      return Postings.empty();
    }
    List<Postings> its = new ArrayList<>();
    postingsOffsets.walk(
        n,
        n.firstPos(),
        (c, len, off) -> {
          if (match == null || match.test(new String(c.bytes(len), StandardCharsets.UTF_8))) {
            its.add(open(off));
          }
          return true;
        });
    return Postings.merge(its);
  }

  @Override
  void forEachValueCount(String name, PostingsStats.ValueCounts f) throws CorruptFormatException {
    SampledPostingsOffsets.Name n = postingsOffsets.name(name);
    if (n == null) {
      return;
    }
    postingsOffsets.walk(
        n,
        n.firstPos(),
        (c, len, off) -> {
          long at = c.pos;
          f.value(
              new PostingsStats.Value() {
                @Override
                public int length() {
                  return len;
                }

                @Override
                public String string() throws CorruptFormatException {
                  c.pos = at;
                  return new String(c.bytes(len), StandardCharsets.UTF_8);
                }
              },
              postingsCount(off));
          return true;
        });
  }

  private Postings open(long offset) throws CorruptFormatException {
    return PostingsList.open(index, offset, options.verifyPostingsChecksums());
  }

  @Override
  void forEachPostingsOffset(PostingsOffsetTable.EntryVisitor visitor)
      throws CorruptFormatException {
    PostingsOffsetTable.forEach(postingsOffsets.payload, visitor);
  }

  @Override
  boolean postingsOffsetTableSorted() {
    return true;
  }
}
