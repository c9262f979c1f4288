package io.promtsdb.index;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.DataReader;
import io.promtsdb.core.Sections;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The legacy label index sections and the label offset table, written by Prometheus 2.0 to
 * 3.6 and read by no Prometheus reader since 2.x (postings offset table lookups replaced
 * them); not written since 3.7.
 *
 * <pre>
 * label index (one per label name, 4-byte aligned):
 *   len      BE32
 *   names    BE32   number of names per entry (1 since 2.1)
 *   count    BE32   number of entries
 *   entries  count × names × BE32 symbol reference (values, sorted)
 *   crc      BE32   CRC32C over names, count and entries
 *
 * label offset table:
 *   len      BE32
 *   count    BE32
 *   entries  count × (uvarint number of names, names as uvarint-str, uvarint64 offset)
 *   crc      BE32   CRC32C over count and entries
 * </pre>
 */
final class LabelIndices {
  static final String TABLE = "label offset table";
  static final String SECTION = "label index";

  private LabelIndices() {}

  /** One entry of the label offset table. */
  record Entry(List<String> names, long offset) {}

  /** The verified payload of the label offset table. */
  static ByteSource tablePayload(IndexReaderBase r) throws CorruptFormatException {
    return Sections.readBe32(r.index, r.toc.labelOffsetTable(), TABLE).payload();
  }

  static List<Entry> table(IndexReaderBase r) throws CorruptFormatException {
    if (!r.toc.hasLabelOffsetTable()) {
      return List.of();
    }
    return parseTable(tablePayload(r));
  }

  static List<Entry> parseTable(ByteSource payload) throws CorruptFormatException {
    DataReader d = new DataReader(payload);
    int count = d.checkCount(d.be32Unsigned(), 3, "label offset table entry count");
    List<Entry> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int n = d.uvarintCount(1, "label index name count");
      List<String> names = new ArrayList<>(n);
      for (int j = 0; j < n; j++) {
        names.add(d.uvarintString());
      }
      out.add(new Entry(Collections.unmodifiableList(names), d.uvarint()));
    }
    d.expectEnd(TABLE);
    return out;
  }

  static List<String> names(IndexReaderBase r) throws CorruptFormatException {
    List<String> out = new ArrayList<>();
    for (Entry e : table(r)) {
      out.add(String.join(",", e.names()));
    }
    return Collections.unmodifiableList(out);
  }

  static Optional<List<String>> values(IndexReaderBase r, String name)
      throws CorruptFormatException {
    for (Entry e : table(r)) {
      if (e.names().size() == 1 && e.names().get(0).equals(name)) {
        List<String> values = new ArrayList<>();
        for (long ref : read(r.index, e.offset())) {
          values.add(r.symbols.lookup(ref));
        }
        return Optional.of(Collections.unmodifiableList(values));
      }
    }
    return Optional.empty();
  }

  /** The symbol references of the label index at {@code offset}, verified. */
  static long[] read(ByteSource index, long offset) throws CorruptFormatException {
    ByteSource payload = Sections.readBe32(index, offset, SECTION).payload();
    DataReader d = new DataReader(payload);
    long names = d.be32Unsigned();
    long count = d.be32Unsigned();
    int total = d.checkCount(names * count, 4, "label index entries");
    long[] refs = new long[total];
    for (int i = 0; i < total; i++) {
      refs[i] = d.be32Unsigned();
    }
    d.expectEnd(SECTION);
    return refs;
  }
}
