package io.promtsdb.wal;

/**
 * The first byte of every WAL and WBL record ({@code tsdb/record.Type}). The numbers are
 * wire values, written out here; the memory snapshot has its own numbering ({@link
 * SnapshotRecord}).
 */
public enum RecordType {
  SERIES(1, "series", "2.4.0"),
  SAMPLES(2, "samples", "2.4.0"),
  TOMBSTONES(3, "tombstones", "2.4.0"),
  EXEMPLARS(4, "exemplars", "2.27.0"),
  MMAP_MARKERS(5, "mmapmarkers", "2.39.0"),
  METADATA(6, "metadata", "2.38.0"),
  HISTOGRAM_SAMPLES(7, "histogram_samples", "2.40.0"),
  FLOAT_HISTOGRAM_SAMPLES(8, "float_histogram_samples", "2.42.0"),
  CUSTOM_BUCKETS_HISTOGRAM_SAMPLES(9, "custom_buckets_histogram_samples", "3.2.0"),
  CUSTOM_BUCKETS_FLOAT_HISTOGRAM_SAMPLES(10, "custom_buckets_float_histogram_samples", "3.2.0"),
  SAMPLES_V2(11, "samples_v2", "3.11.0"),
  HISTOGRAM_SAMPLES_V2(12, "histogram_samples_v2", "3.12.0"),
  FLOAT_HISTOGRAM_SAMPLES_V2(13, "float_histogram_samples_v2", "3.12.0");

  private static final RecordType[] BY_CODE = new RecordType[256];

  static {
    for (RecordType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;
  private final String goName;
  private final String since;

  RecordType(int code, String goName, String since) {
    this.code = code;
    this.goName = goName;
    this.since = since;
  }

  /** The type byte. */
  public int code() {
    return code;
  }

  /** Go's {@code Type.String()}. */
  public String goName() {
    return goName;
  }

  /** The first Prometheus release that wrote this record type. */
  public String since() {
    return since;
  }

  /** The type for a type byte, or {@code null} for a byte Prometheus does not define. */
  public static RecordType fromCode(int code) {
    return code >= 0 && code < 256 ? BY_CODE[code] : null;
  }
}
