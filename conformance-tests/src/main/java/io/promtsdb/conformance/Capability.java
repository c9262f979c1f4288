package io.promtsdb.conformance;

import java.util.Locale;

/**
 * What an implementation under test can do: one adapter subcommand each. The wire names are
 * the subcommand names of the adapter contract and the {@code capability} member of every
 * {@code case.json}.
 */
public enum Capability {
  DECODE_CHUNK("decode-chunk", Family.CHUNKS, false),
  ENCODE_CHUNK("encode-chunk", Family.CHUNKS, true),
  READ_INDEX("read-index", Family.INDEX, false),
  WRITE_INDEX("write-index", Family.INDEX, true),
  READ_WAL("read-wal", Family.WAL, false),
  WRITE_WAL("write-wal", Family.WAL, true),
  READ_TOMBSTONES("read-tombstones", Family.TOMBSTONES, false),
  WRITE_TOMBSTONES("write-tombstones", Family.TOMBSTONES, true),
  READ_BLOCK("read-block", Family.BLOCKS, false),
  WRITE_BLOCK("write-block", Family.BLOCKS, true),
  DUMP_DIR("dump-dir", Family.DATA_DIRS, false),
  WRITE_BLOCKS("write-blocks", Family.DATA_DIRS, true),
  LIST_BLOCKS("list-blocks", Family.DATA_DIRS, false);

  /** Capabilities grouped as the abstract JUnit suites group them. */
  public enum Family {
    CHUNKS,
    INDEX,
    WAL,
    TOMBSTONES,
    BLOCKS,
    DATA_DIRS;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The capabilities the cross matrix pairs for this family: its writers and readers, and
     * {@code dump-dir}, which reads what WAL and block writers write.
     */
    public java.util.Set<Capability> matrixCapabilities() {
      return switch (this) {
        case CHUNKS -> java.util.EnumSet.of(ENCODE_CHUNK, DECODE_CHUNK);
        case INDEX -> java.util.EnumSet.of(WRITE_INDEX, READ_INDEX);
        case TOMBSTONES -> java.util.EnumSet.of(WRITE_TOMBSTONES, READ_TOMBSTONES);
        case WAL -> java.util.EnumSet.of(WRITE_WAL, READ_WAL, DUMP_DIR);
        case BLOCKS, DATA_DIRS -> java.util.EnumSet.of(WRITE_BLOCK, READ_BLOCK, DUMP_DIR, WRITE_BLOCKS);
      };
    }
  }

  private final String wireName;
  private final Family family;
  private final boolean writer;

  Capability(String wireName, Family family, boolean writer) {
    this.wireName = wireName;
    this.family = family;
    this.writer = writer;
  }

  /** The subcommand name, e.g. {@code decode-chunk}. */
  public String wireName() {
    return wireName;
  }

  public Family family() {
    return family;
  }

  /** Whether the capability writes files (its output is compared as bytes or read back). */
  public boolean writer() {
    return writer;
  }

  /** The capability for a wire name, or {@code null}. */
  public static Capability forName(String name) {
    for (Capability c : values()) {
      if (c.wireName.equals(name)) {
        return c;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return wireName;
  }
}
