package io.promtsdb.conformance;

import io.promtsdb.core.Labels;
import io.promtsdb.index.ChunkMeta;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A small, independent, in-memory block index writer in Prometheus 3.7's layout (no label
 * indices), written from the format notes, with switches that plant common mistakes. With every
 * switch off it must write Go's bytes; each switch must make at least one case fail.
 */
final class NaiveIndexWriter {
  /** Postings lists in descending order. */
  boolean unsortedPostings;
  /** One zero byte short of the 16-byte alignment before each series entry. */
  boolean missingPaddingByte;
  /** The series entries' CRC32C also covers their length prefix. */
  boolean crcOverLength;

  void write(Path file, List<String> symbols, List<WriteIndex.Series> series) throws IOException {
    Out o = new Out();
    o.be32(0xBAAAD700);
    o.u8(2);
    // Symbol table.
    long symbolsOff = o.size();
    Out st = new Out();
    st.be32(symbols.size());
    Map<String, Integer> refs = new HashMap<>();
    for (int i = 0; i < symbols.size(); i++) {
      st.uvarintBytes(symbols.get(i).getBytes(StandardCharsets.UTF_8));
      refs.put(symbols.get(i), i);
    }
    o.section(st.bytes());
    // Series, each aligned to 16 bytes; the id is offset / 16.
    long seriesOff = o.size();
    List<Long> ids = new ArrayList<>();
    TreeMap<byte[], TreeMap<byte[], List<Long>>> postings = new TreeMap<>(Arrays::compareUnsigned);
    for (WriteIndex.Series s : series) {
      int pad = (int) ((16 - o.size() % 16) % 16);
      if (missingPaddingByte && pad > 0) {
        pad--;
      }
      o.zeros(pad);
      long id = o.size() / 16;
      ids.add(id);
      Out e = new Out();
      Labels l = s.labels();
      e.uvarint(l.size());
      for (int i = 0; i < l.size(); i++) {
        e.uvarint(refs.get(l.name(i)));
        e.uvarint(refs.get(l.value(i)));
        postings.computeIfAbsent(l.name(i).getBytes(StandardCharsets.UTF_8), k -> new TreeMap<>(Arrays::compareUnsigned))
            .computeIfAbsent(l.value(i).getBytes(StandardCharsets.UTF_8), k -> new ArrayList<>()).add(id);
      }
      e.uvarint(s.chunks().size());
      ChunkMeta prev = null;
      for (ChunkMeta c : s.chunks()) {
        if (prev == null) {
          e.varint(c.minTime());
          e.uvarint(c.maxTime() - c.minTime());
          e.uvarint(c.ref());
        } else {
          e.uvarint(c.minTime() - prev.maxTime());
          e.uvarint(c.maxTime() - c.minTime());
          e.varint(c.ref() - prev.ref());
        }
        prev = c;
      }
      byte[] payload = e.bytes();
      Out len = new Out();
      len.uvarint(payload.length);
      o.raw(len.bytes());
      o.raw(payload);
      CRC32C crc = new CRC32C();
      if (crcOverLength) {
        crc.update(len.bytes());
      }
      crc.update(payload);
      o.be32((int) crc.getValue());
    }
    // Postings: the all-postings list first, then by name and value; 4-byte aligned.
    long postingsOff = o.size(); // the TOC points before the alignment padding
    o.zeros((int) ((4 - o.size() % 4) % 4));
    Out table = new Out();
    int entries = 0;
    entries++;
    tableEntry(table, new byte[0], new byte[0], o.size());
    o.section(postingsList(ids));
    for (Map.Entry<byte[], TreeMap<byte[], List<Long>>> n : postings.entrySet()) {
      for (Map.Entry<byte[], List<Long>> v : n.getValue().entrySet()) {
        entries++;
        tableEntry(table, n.getKey(), v.getKey(), o.size());
        o.section(postingsList(v.getValue()));
      }
    }
    long tableOff = o.size();
    Out t = new Out();
    t.be32(entries);
    t.raw(table.bytes());
    o.section(t.bytes());
    // TOC: no label indices (3.7+): they point where the postings and the table start.
    Out toc = new Out();
    for (long x : new long[] {symbolsOff, seriesOff, postingsOff, tableOff, postingsOff, tableOff}) {
      toc.be64(x);
    }
    o.raw(toc.bytes());
    CRC32C crc = new CRC32C();
    crc.update(toc.bytes());
    o.be32((int) crc.getValue());
    Files.write(file, o.bytes());
  }

  private byte[] postingsList(List<Long> refs) {
    List<Long> r = new ArrayList<>(refs);
    if (unsortedPostings) {
      r.sort((a, b) -> Long.compare(b, a));
    }
    Out o = new Out();
    o.be32(r.size());
    for (long x : r) {
      o.be32((int) x);
    }
    return o.bytes();
  }

  private static void tableEntry(Out table, byte[] name, byte[] value, long offset) {
    table.uvarint(2);
    table.uvarintBytes(name);
    table.uvarintBytes(value);
    table.uvarint(offset);
  }

  /** A growable big-endian buffer with Go's varints. */
  private static final class Out {
    private final ByteArrayOutputStream b = new ByteArrayOutputStream();

    long size() {
      return b.size();
    }

    void u8(int v) {
      b.write(v);
    }

    void be32(int v) {
      b.write(v >>> 24);
      b.write(v >>> 16);
      b.write(v >>> 8);
      b.write(v);
    }

    void be64(long v) {
      be32((int) (v >>> 32));
      be32((int) v);
    }

    void uvarint(long v) {
      while ((v & ~0x7FL) != 0) {
        b.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      b.write((int) v);
    }

    void varint(long v) {
      uvarint((v << 1) ^ (v >> 63));
    }

    void uvarintBytes(byte[] s) {
      uvarint(s.length);
      raw(s);
    }

    void raw(byte[] s) {
      b.write(s, 0, s.length);
    }

    void zeros(int n) {
      for (int i = 0; i < n; i++) {
        b.write(0);
      }
    }

    /** {@code BE32 len | payload | CRC32C(payload)}. */
    void section(byte[] payload) {
      be32(payload.length);
      raw(payload);
      CRC32C crc = new CRC32C();
      crc.update(payload);
      be32((int) crc.getValue());
    }

    byte[] bytes() {
      return b.toByteArray();
    }
  }
}
