package io.promtsdb.wal;

import io.promtsdb.wal.Refs.RefFloatHistogramSample;
import io.promtsdb.wal.Refs.RefHistogramSample;
import io.promtsdb.wal.Refs.RefSample;
import io.promtsdb.core.DataWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches to records with the choices of Prometheus' {@code record.Encoder}: V2 records (11,
 * 12, 13, start timestamps kept) when start-timestamp storage is on; otherwise V1 records
 * (start timestamps dropped), with custom-bucket histograms split from exponential ones into
 * their own record (9, 10) after it. The base of a V1 histogram record is the first
 * histogram of the batch, whichever record it goes to, as in Go.
 */
public final class RecordEncoder {
  private final boolean stStorage;

  private RecordEncoder(boolean stStorage) {
    this.stStorage = stStorage;
  }

  /** Prometheus' default encoder (V1 records). */
  public static RecordEncoder v1() {
    return new RecordEncoder(false);
  }

  /** The encoder with {@code EnableSTStorage} (V2 records, 3.11+). */
  public static RecordEncoder v2() {
    return new RecordEncoder(true);
  }

  public boolean stStorage() {
    return stStorage;
  }

  public byte[] samples(List<RefSample> samples) {
    if (stStorage) {
      return RecordCodec.encode(new WalRecord.SamplesV2(samples));
    }
    List<RefSample> v1 = new ArrayList<>(samples.size());
    for (RefSample s : samples) {
      v1.add(s.st() == 0 ? s : new RefSample(s.ref(), 0, s.t(), s.v()));
    }
    return RecordCodec.encode(WalRecord.Samples.of(v1));
  }

  /**
   * Appends the float samples record of {@code batch} to {@code out}: the bytes {@link
   * #samples(List)} returns for the same samples, without an object per sample (the write
   * path encodes every commit this way). An empty batch gives the bare type byte, as an empty
   * list does.
   */
  public void samples(SampleBatch batch, DataWriter out) {
    int n = batch.size;
    long[] refs = batch.refs;
    long[] ts = batch.ts;
    long[] values = batch.values;
    if (stStorage) {
      long[] sts = batch.sts;
      out.u8(RecordType.SAMPLES_V2.code());
      if (n == 0) {
        return;
      }
      out.varint(refs[0]).varint(ts[0]).varint(sts[0]).be64(values[0]);
      for (int i = 1; i < n; i++) {
        out.varint(refs[i] - refs[i - 1]).varint(ts[i] - ts[0]);
        RecordCodec.putSt(out, sts[i], sts[0], sts[i - 1]);
        out.be64(values[i]);
      }
      return;
    }
    out.u8(RecordType.SAMPLES.code());
    if (n == 0) {
      return;
    }
    long baseRef = refs[0];
    long baseTime = ts[0];
    out.be64(baseRef).be64(baseTime);
    for (int i = 0; i < n; i++) {
      out.varint(refs[i] - baseRef).varint(ts[i] - baseTime).be64(values[i]);
    }
  }

  /**
   * One record (V2) or up to two (V1: exponential, then custom-bucket). Unlike Go, which
   * returns an empty byte slice for an exponential record of custom-bucket histograms only,
   * no empty record is returned.
   */
  public List<byte[]> histogramSamples(List<RefHistogramSample> hs) {
    if (stStorage) {
      return List.of(RecordCodec.encode(new WalRecord.HistogramSamplesV2(hs)));
    }
    List<RefHistogramSample> exp = new ArrayList<>();
    List<RefHistogramSample> custom = new ArrayList<>();
    for (RefHistogramSample h : hs) {
      (h.h().usesCustomBuckets() ? custom : exp).add(new RefHistogramSample(h.ref(), 0, h.t(), h.h()));
    }
    List<byte[]> out = new ArrayList<>(2);
    if (!exp.isEmpty() || hs.isEmpty()) {
      long baseRef = hs.isEmpty() ? 0 : hs.get(0).ref();
      long baseT = hs.isEmpty() ? 0 : hs.get(0).t();
      out.add(RecordCodec.encode(new WalRecord.HistogramSamples(false, baseRef, baseT, exp)));
    }
    if (!custom.isEmpty()) {
      out.add(RecordCodec.encode(WalRecord.HistogramSamples.of(true, custom)));
    }
    return out;
  }

  /** See {@link #histogramSamples}. */
  public List<byte[]> floatHistogramSamples(List<RefFloatHistogramSample> hs) {
    if (stStorage) {
      return List.of(RecordCodec.encode(new WalRecord.FloatHistogramSamplesV2(hs)));
    }
    List<RefFloatHistogramSample> exp = new ArrayList<>();
    List<RefFloatHistogramSample> custom = new ArrayList<>();
    for (RefFloatHistogramSample h : hs) {
      (h.fh().usesCustomBuckets() ? custom : exp)
          .add(new RefFloatHistogramSample(h.ref(), 0, h.t(), h.fh()));
    }
    List<byte[]> out = new ArrayList<>(2);
    if (!exp.isEmpty() || hs.isEmpty()) {
      long baseRef = hs.isEmpty() ? 0 : hs.get(0).ref();
      long baseT = hs.isEmpty() ? 0 : hs.get(0).t();
      out.add(RecordCodec.encode(new WalRecord.FloatHistogramSamples(false, baseRef, baseT, exp)));
    }
    if (!custom.isEmpty()) {
      out.add(RecordCodec.encode(WalRecord.FloatHistogramSamples.of(true, custom)));
    }
    return out;
  }
}
