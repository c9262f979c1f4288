package io.promtsdb.index;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Utf8Order;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The version 1 reader of the {@link PostingsOffsetTable}: Prometheus 2.0 wrote the table
 * unsorted, so, like Prometheus, the whole table is loaded into memory (v1 blocks are old
 * and small). A repeated (name, value) keeps its last offset, as Go's map does.
 */
final class FullPostingsOffsets {
  final ByteSource payload;
  final int entryCount;
  private final Map<String, Map<String, Long>> offsets;

  FullPostingsOffsets(ByteSource index, long offset) throws CorruptFormatException {
    this.payload = PostingsOffsetTable.read(index, offset);
    Map<String, Map<String, Long>> m = new HashMap<>();
    this.entryCount =
        PostingsOffsetTable.forEach(
            payload,
            (pos, name, value, off) ->
                m.computeIfAbsent(new String(name, StandardCharsets.UTF_8), k -> new HashMap<>())
                    .put(new String(value, StandardCharsets.UTF_8), off));
    this.offsets = m;
  }

  /** Every name, sorted by raw bytes, "" included if present. */
  List<String> names() {
    List<String> names = new ArrayList<>(offsets.keySet());
    names.sort(Utf8Order.COMPARATOR);
    return Collections.unmodifiableList(names);
  }

  /** Values of {@code name} to postings offsets, or null. */
  Map<String, Long> values(String name) {
    return offsets.get(name);
  }
}
