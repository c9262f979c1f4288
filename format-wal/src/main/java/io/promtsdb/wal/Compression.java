package io.promtsdb.wal;

/**
 * Record compression and its fragment header flag. A record is compressed whole before it
 * is split into fragments, and every fragment of a compressed record carries the flag.
 * Snappy is the block format (not framed); zstd is one or more zstd frames.
 */
public enum Compression {
  NONE(0, "none"),
  /** Bit 3 of the fragment type byte. */
  SNAPPY(0x08, "snappy"),
  /** Bit 4 of the fragment type byte (Prometheus 2.46+). */
  ZSTD(0x10, "zstd");

  private final int flag;
  private final String goName;

  Compression(int flag, String goName) {
    this.flag = flag;
    this.goName = goName;
  }

  /** The bit set in the fragment type byte. */
  public int flag() {
    return flag;
  }

  /** The name Prometheus' flags and APIs use. */
  public String goName() {
    return goName;
  }

  /** Parses Prometheus' names ({@code none}, {@code snappy}, {@code zstd}; empty = none). */
  public static Compression fromName(String name) {
    for (Compression c : values()) {
      if (c.goName.equals(name)) {
        return c;
      }
    }
    if (name.isEmpty()) {
      return NONE;
    }
    throw new IllegalArgumentException("unknown WAL compression: " + name);
  }
}
