package io.promtsdb.index;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The version 2 reader of the {@link PostingsOffsetTable}: the table stays on disk, memory
 * holds every label name and, per name, every {@value IndexFormat#SAMPLE_FACTOR}th value
 * plus the last one with the position of its entry (Prometheus' {@code Reader.postings}).
 * A lookup binary-searches the samples and walks at most 31 entries; listing a name's values
 * walks its entries.
 */
final class SampledPostingsOffsets {
  /** The sampled entries of one label name. */
  static final class Name {
    final String name;
    final byte[] nameBytes;
    /** Values of entries 0, 32, 64, ... and of the last entry. */
    final byte[][] values;
    /** Payload positions of those entries. */
    final long[] positions;
    /** Number of values of this name. */
    final int valueCount;
    /** Bytes of the keycount and name fields, the same in every entry of this name. */
    final int prefixLen;

    Name(byte[] nameBytes, byte[][] values, long[] positions, int valueCount, int prefixLen) {
      this.name = new String(nameBytes, StandardCharsets.UTF_8);
      this.nameBytes = nameBytes;
      this.values = values;
      this.positions = positions;
      this.valueCount = valueCount;
      this.prefixLen = prefixLen;
    }

    long firstPos() {
      return positions[0];
    }

    long lastPos() {
      return positions[positions.length - 1];
    }
  }

  final ByteSource payload;
  private final ByteBuffer view;
  final int entryCount;
  private final Map<String, Name> byName;
  /** Names in table order (sorted by raw bytes in a valid file), "" included. */
  private final List<String> names;

  SampledPostingsOffsets(ByteSource index, long offset) throws CorruptFormatException {
    this.payload = PostingsOffsetTable.read(index, offset);
    this.view = PostingsOffsetTable.view(payload);
    Window c = new Window(payload, 0);
    long n = Integer.toUnsignedLong(c.be32());
    if (n * 4 > c.remaining()) {
      throw payload.corrupt(
          0, "entry count " + n + " needs at least " + n * 4 + " bytes, only " + c.remaining()
              + " remain");
    }
    this.entryCount = (int) n;
    Map<String, Name> map = new HashMap<>();
    List<String> order = new ArrayList<>();

    byte[] cur = null;
    int valueIdx = 0;
    int prefixLen = 0;
    List<byte[]> sv = new ArrayList<>();
    long[] sp = new long[16];
    int ns = 0;
    long lastPos = -1;
    long lastValuePos = -1;
    int lastValueLen = 0;
    for (int i = 0; i < entryCount; i++) {
      long at = c.position();
      if (cur != null && valueIdx % IndexFormat.SAMPLE_FACTOR != 0) {
        int vlen = c.tryEntryOf(cur);
        if (vlen >= 0) {
          lastPos = at;
          lastValuePos = c.valuePos;
          lastValueLen = vlen;
          valueIdx++;
          continue;
        }
      }
      long keys = c.uvarint();
      if (keys != 2) {
        throw payload.mismatch(at, "number of keys of a postings offset table entry", keys, 2);
      }
      int nlen = c.length();
      if (cur == null || !c.nextEquals(nlen, cur)) {
        if (cur != null) {
          ns = finishName(map, order, cur, sv, sp, ns, valueIdx, prefixLen, lastPos, lastValuePos, lastValueLen);
        }
        cur = c.bytes(nlen);
        prefixLen = (int) (c.position() - at);
        valueIdx = 0;
        sv.clear();
        ns = 0;
        lastPos = -1;
      } else {
        c.skip(nlen);
      }
      int vlen = c.length();
      if (valueIdx % IndexFormat.SAMPLE_FACTOR == 0) {
        sv.add(c.bytes(vlen));
        if (ns == sp.length) {
          sp = Arrays.copyOf(sp, ns * 2);
        }
        sp[ns++] = at;
        lastPos = -1;
      } else {
        lastPos = at;
        lastValuePos = c.position();
        lastValueLen = vlen;
        c.skip(vlen);
      }
      c.uvarint(); // postings offset, checked when the list is opened
      valueIdx++;
    }
    if (cur != null) {
      finishName(map, order, cur, sv, sp, ns, valueIdx, prefixLen, lastPos, lastValuePos, lastValueLen);
    }
    if (c.remaining() != 0) {
      throw payload.corrupt(c.position(), "unexpected " + c.remaining() + " bytes left in " + PostingsOffsetTable.SECTION);
    }
    this.byName = map;
    this.names = Collections.unmodifiableList(order);
  }

  private int finishName(
      Map<String, Name> map,
      List<String> order,
      byte[] nameBytes,
      List<byte[]> sv,
      long[] sp,
      int ns,
      int valueCount,
      int prefixLen,
      long lastPos,
      long lastValuePos,
      int lastValueLen)
      throws CorruptFormatException {
    int total = ns + (lastPos >= 0 ? 1 : 0);
    byte[][] values = new byte[total][];
    long[] positions = new long[total];
    for (int i = 0; i < ns; i++) {
      values[i] = sv.get(i);
      positions[i] = sp[i];
    }
    if (lastPos >= 0) {
      values[ns] = new Cursor(payload, view, lastValuePos).bytes(lastValueLen);
      positions[ns] = lastPos;
    }
    Name name = new Name(nameBytes, values, positions, valueCount, prefixLen);
    if (map.putIfAbsent(name.name, name) != null) {
      throw payload.corrupt(
          positions[0],
          "label name " + name.name + " appears in two separate runs of entries: the table is"
              + " not sorted");
    }
    order.add(name.name);
    return 0;
  }

  /** Names in table order, the all-postings name "" included if present. */
  List<String> names() {
    return names;
  }

  Name name(String name) {
    return byName.get(name);
  }

  /** Receives the entries of one name. Returns false to stop. */
  interface ValueVisitor {
    boolean value(Cursor valueAt, int valueLen, long postingsOffset) throws CorruptFormatException;
  }

  /** Walks the entries of {@code n} from the one at {@code fromPos} to its last. */
  void walk(Name n, long fromPos, ValueVisitor visitor) throws CorruptFormatException {
    Cursor c = new Cursor(payload, view, fromPos);
    long last = n.lastPos();
    while (c.pos <= last) {
      c.skip(n.prefixLen);
      int vlen = c.length();
      long valuePos = c.pos;
      c.skip(vlen);
      long off = c.uvarint();
      long next = c.pos;
      c.pos = valuePos;
      if (!visitor.value(c, vlen, off)) {
        return;
      }
      c.pos = next;
    }
  }

  /**
   * The postings offset of {@code value} (UTF-8) under {@code n}, or -1. Binary search over
   * the samples, then a walk to the next sample.
   */
  long find(Name n, byte[] value) throws CorruptFormatException {
    byte[][] vs = n.values;
    int lo = 0;
    int hi = vs.length - 1;
    if (Arrays.compareUnsigned(vs[0], value) > 0 || Arrays.compareUnsigned(vs[hi], value) < 0) {
      return -1;
    }
    while (lo < hi) {
      int mid = (lo + hi + 1) >>> 1;
      if (Arrays.compareUnsigned(vs[mid], value) <= 0) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    long stop = n.positions[Math.min(lo + 1, vs.length - 1)];
    Cursor c = new Cursor(payload, view, n.positions[lo]);
    while (c.pos <= stop) {
      c.skip(n.prefixLen);
      int vlen = c.length();
      int cmp = c.compareNext(vlen, value);
      c.skip(vlen);
      long off = c.uvarint();
      if (cmp == 0) {
        return off;
      }
      if (cmp > 0) {
        return -1;
      }
    }
    return -1;
  }
}
