package io.promtsdb.wal;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.DataReader;
import io.promtsdb.core.DataWriter;
import io.promtsdb.core.Labels;
import io.promtsdb.wal.Refs.RefTombstone;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes and encodes memory snapshot records ({@code head_wal.go}):
 *
 * <pre>
 * 1 series:     BE64 ref | labels | BE64 0 (was chunk range) | uvarint hasChunk (0 or 1)
 *               [ BE64 mint | BE64 maxt | u8 encoding | uvarint len | chunk bytes | last value ]
 *   last value: XOR (1), XOR2 (4): sampleBuf = 4 x (BE64 t | BE64 value bits)
 *               histogram (2), histogramST (5): H        (2.42 to 2.45: sampleBuf)
 *               float histogram (3, 6): FH               (2.42 to 2.45: sampleBuf)
 * 2 tombstones: uvarint len | u8 version (1) | repeat { uvarint ref | varint mint | varint maxt }
 * 3 exemplars:  BE64 baseRef | BE64 baseT | repeat { varint dRef | varint dT | BE64 v | labels }
 * </pre>
 *
 * A histogram chunk followed by exactly 64 bytes whose first 56 are zero is the pre-2.46
 * sampleBuf: no H or FH encoding has that shape (an all-zero H is 24 bytes).
 */
public final class SnapshotCodec {
  private static final int SAMPLE_BUF_SIZE = 64;

  private SnapshotCodec() {}

  public static SnapshotRecord decode(ByteSource rec) throws CorruptFormatException {
    DataReader r = new DataReader(rec);
    if (!r.hasRemaining()) {
      throw rec.corrupt(0, "empty snapshot record");
    }
    int type = r.u8();
    SnapshotRecord out =
        switch (type) {
          case SnapshotRecord.TYPE_SERIES -> series(r);
          case SnapshotRecord.TYPE_TOMBSTONES -> tombstones(r);
          case SnapshotRecord.TYPE_EXEMPLARS -> exemplars(r);
          default -> throw rec.mismatch(0, "snapshot record type", type, "1, 2 or 3");
        };
    r.expectEnd("snapshot record");
    return out;
  }

  public static SnapshotRecord decode(byte[] rec) throws CorruptFormatException {
    return decode(ByteSource.of(rec));
  }

  private static SnapshotRecord.Series series(DataReader r) throws CorruptFormatException {
    long ref = r.be64();
    Labels labels = RecordCodec.decodeLabels(r);
    long chunkRange = r.be64();
    long at = r.position();
    long has = r.uvarint();
    if (has == 0) {
      return new SnapshotRecord.Series(ref, labels, chunkRange, null);
    }
    if (has != 1) {
      throw r.mismatchAt(at, "snapshot series chunk count", Long.toUnsignedString(has), "0 or 1");
    }
    long mint = r.be64();
    long maxt = r.be64();
    long encAt = r.position();
    int encoding = r.u8();
    byte[] bytes = r.uvarintBytes();
    SnapshotRecord.LastValue last =
        switch (encoding) {
          case 1, 4 -> sampleBuf(r);
          case 2, 5 -> isLegacySampleBuf(r) ? sampleBuf(r)
              : new SnapshotRecord.LastHistogram(HistogramCodec.decodeHistogram(r));
          case 3, 6 -> isLegacySampleBuf(r) ? sampleBuf(r)
              : new SnapshotRecord.LastFloatHistogram(HistogramCodec.decodeFloatHistogram(r));
          default -> throw r.mismatchAt(encAt, "head chunk encoding", encoding, "1..6");
        };
    return new SnapshotRecord.Series(
        ref, labels, chunkRange, new SnapshotRecord.HeadChunk(mint, maxt, encoding, bytes, last));
  }

  private static boolean isLegacySampleBuf(DataReader r) throws CorruptFormatException {
    if (r.remaining() != SAMPLE_BUF_SIZE) {
      return false;
    }
    ByteSource s = r.source();
    for (int i = 0; i < SAMPLE_BUF_SIZE - 8; i++) {
      if (s.get(r.position() + i) != 0) {
        return false;
      }
    }
    return true;
  }

  private static SnapshotRecord.SampleBuf sampleBuf(DataReader r) throws CorruptFormatException {
    long[] t = new long[4];
    long[] v = new long[4];
    for (int i = 0; i < 4; i++) {
      t[i] = r.be64();
      v[i] = r.be64();
    }
    return new SnapshotRecord.SampleBuf(t, v);
  }

  private static SnapshotRecord.Tombstones tombstones(DataReader r) throws CorruptFormatException {
    long at = r.position();
    long len = r.uvarint();
    if (Long.compareUnsigned(len, r.remaining()) > 0 || len < 1) {
      throw r.corruptAt(at, "tombstones length " + Long.toUnsignedString(len)
          + " does not fit the " + r.remaining() + " bytes left (at least 1 needed)");
    }
    long vAt = r.position();
    int version = r.u8();
    if (version != 1) {
      throw r.mismatchAt(vAt, "tombstones format version", version, 1);
    }
    long end = vAt + len;
    List<RefTombstone> out = new ArrayList<>();
    while (r.position() < end) {
      long ref = r.uvarint();
      long mint = r.varint();
      long maxt = r.varint();
      if (r.position() > end) {
        throw r.corruptAt(end, "tombstone entry runs past the embedded tombstones");
      }
      out.add(new RefTombstone(ref, mint, maxt));
    }
    return new SnapshotRecord.Tombstones(out);
  }

  private static SnapshotRecord.Exemplars exemplars(DataReader r) throws CorruptFormatException {
    if (!r.hasRemaining()) {
      return new SnapshotRecord.Exemplars(0, 0, List.of());
    }
    long baseRef = r.be64();
    long baseTime = r.be64();
    return new SnapshotRecord.Exemplars(
        baseRef, baseTime, RecordCodec.exemplarEntries(r, baseRef, baseTime));
  }

  public static byte[] encode(SnapshotRecord rec) {
    DataWriter w = new DataWriter(128);
    encode(rec, w);
    return w.toByteArray();
  }

  public static void encode(SnapshotRecord rec, DataWriter w) {
    w.u8(rec.typeByte());
    if (rec instanceof SnapshotRecord.Series s) {
      w.be64(s.ref());
      RecordCodec.encodeLabels(w, s.labels());
      w.be64(s.chunkRange());
      SnapshotRecord.HeadChunk c = s.headChunk();
      if (c == null) {
        w.uvarint(0);
        return;
      }
      w.uvarint(1).be64(c.mint()).be64(c.maxt()).u8(c.encoding()).uvarintBytes(c.bytes());
      if (c.last() instanceof SnapshotRecord.SampleBuf b) {
        long[] t = b.times();
        long[] v = b.valueBits();
        for (int i = 0; i < 4; i++) {
          w.be64(t[i]).be64(v[i]);
        }
      } else if (c.last() instanceof SnapshotRecord.LastHistogram h) {
        HistogramCodec.encode(w, h.histogram());
      } else if (c.last() instanceof SnapshotRecord.LastFloatHistogram h) {
        HistogramCodec.encode(w, h.histogram());
      }
    } else if (rec instanceof SnapshotRecord.Tombstones t) {
      DataWriter body = new DataWriter(1 + 12 * t.tombstones().size());
      body.u8(1);
      for (RefTombstone e : t.tombstones()) {
        body.uvarint(e.ref()).varint(e.mint()).varint(e.maxt());
      }
      w.uvarint(body.size()).bytes(body.array(), 0, body.size());
    } else if (rec instanceof SnapshotRecord.Exemplars e) {
      if (!e.exemplars().isEmpty()) {
        w.be64(e.baseRef()).be64(e.baseTime());
        RecordCodec.encodeExemplarEntries(w, e.baseRef(), e.baseTime(), e.exemplars());
      }
    }
  }
}
