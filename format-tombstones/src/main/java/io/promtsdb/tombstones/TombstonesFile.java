package io.promtsdb.tombstones;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.ChecksumMismatchException;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Crc32c;
import io.promtsdb.core.DataReader;
import io.promtsdb.core.DataWriter;
import io.promtsdb.core.MappedFileSource;
import io.promtsdb.core.UnsupportedFormatVersionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The tombstones file of a block, {@code <block>/tombstones}:
 *
 * <pre>
 * magic    BE32   0x0130BA30
 * version  u8     1
 * entries  repeated until the checksum:
 *            ref   uvarint   series reference
 *            mint  varint    first deleted millisecond (inclusive)
 *            maxt  varint    last deleted millisecond (inclusive)
 * crc      BE32   CRC32C over the entries only (not the magic, not the version byte)
 * </pre>
 *
 * <p>An empty file is 9 bytes. Prometheus writes entries in Go map order, so two files with
 * the same tombstones may differ; {@link #encode(List)} writes the order it is given, which
 * makes the output byte-identical for the order read from a Go-written file.
 *
 * <p>An opened file is checked (length, magic, version, CRC) once; {@link #forEach} then
 * decodes entries one at a time straight from the source, in constant memory, however large
 * the file. {@link #toTombstones} builds the merged in-memory form, optionally bounded.
 */
public final class TombstonesFile {
  public static final String FILE_NAME = "tombstones";
  public static final int MAGIC = 0x0130BA30;
  public static final int VERSION = 1;
  /** Magic and version. */
  public static final int HEADER_SIZE = 5;
  public static final int CRC_SIZE = 4;

  private final ByteSource source;
  private final long entriesEnd;

  private TombstonesFile(ByteSource source) {
    this.source = source;
    this.entriesEnd = source.length() - CRC_SIZE;
  }

  /**
   * Opens the tombstones in {@code source}: checks the length, magic, version and the CRC
   * (reading the entries once, without keeping them).
   */
  public static TombstonesFile open(ByteSource source) throws CorruptFormatException {
    if (source.length() < HEADER_SIZE + CRC_SIZE) {
      throw source.mismatch(0, "tombstones file length", source.length(), ">= " + (HEADER_SIZE + CRC_SIZE));
    }
    int magic = source.be32(0);
    if (magic != MAGIC) {
      throw source.mismatch(
          0, "tombstones magic", String.format("0x%08x", magic), String.format("0x%08x", MAGIC));
    }
    int version = source.u8(4);
    if (version != VERSION) {
      throw new UnsupportedFormatVersionException(
          source.description(), source.origin() + 4, version, VERSION, VERSION);
    }
    long crcPos = source.length() - CRC_SIZE;
    int expected = source.be32(crcPos);
    int actual = Crc32c.compute(source, HEADER_SIZE, crcPos - HEADER_SIZE);
    if (actual != expected) {
      throw new ChecksumMismatchException(
          source.description(), source.origin() + crcPos, actual, expected);
    }
    return new TombstonesFile(source);
  }

  /**
   * Reads {@code dir/tombstones} into memory, merged per series. A missing file means no
   * tombstones, as in Prometheus.
   */
  public static Tombstones read(Path dir) throws IOException {
    Path file = dir.resolve(FILE_NAME);
    MappedFileSource src;
    try {
      src = MappedFileSource.open(file);
    } catch (NoSuchFileException e) {
      return new Tombstones();
    }
    try (src) {
      return open(src).toTombstones(Long.MAX_VALUE);
    }
  }

  /** Receives the entries of a file one by one. */
  @FunctionalInterface
  public interface EntryVisitor {
    void visit(long ref, long mint, long maxt) throws IOException;
  }

  /** Decodes the entries in file order, one at a time, without collecting them. */
  public void forEach(EntryVisitor visitor) throws IOException {
    forEachEntry(source.slice("entries", HEADER_SIZE, entriesEnd - HEADER_SIZE), visitor);
  }

  static void forEachEntry(ByteSource entries, EntryVisitor visitor) throws IOException {
    DataReader r = new DataReader(entries);
    while (r.hasRemaining()) {
      long ref = r.uvarint();
      long mint = r.varint();
      long maxt = r.varint();
      visitor.visit(ref, mint, maxt);
    }
  }

  /** The entries in file order, unmerged. */
  public List<TombstoneEntry> entries() throws IOException {
    List<TombstoneEntry> out = new ArrayList<>();
    forEach((ref, mint, maxt) -> out.add(new TombstoneEntry(ref, mint, maxt)));
    return out;
  }

  /**
   * The tombstones merged per series (Go's {@code ReadTombstones}), refusing files with more
   * than {@code maxEntries} entries so that a huge or hostile file cannot exhaust memory.
   */
  public Tombstones toTombstones(long maxEntries) throws IOException {
    Tombstones t = new Tombstones();
    long[] n = {0};
    forEach(
        (ref, mint, maxt) -> {
          if (++n[0] > maxEntries) {
            throw new IOException(
                source.description() + ": more than " + maxEntries + " tombstone entries");
          }
          t.addInterval(ref, new Interval(mint, maxt));
        });
    return t;
  }

  /** Length of the file in bytes. */
  public long length() {
    return source.length();
  }

  /** The whole file for {@code entries}, in the given order. */
  public static byte[] encode(List<TombstoneEntry> entries) {
    DataWriter w = new DataWriter(HEADER_SIZE + CRC_SIZE + entries.size() * 12);
    w.be32(MAGIC).u8(VERSION);
    for (TombstoneEntry e : entries) {
      w.uvarint(e.ref()).varint(e.mint()).varint(e.maxt());
    }
    w.crc32cFrom(HEADER_SIZE);
    return w.toByteArray();
  }

  /** The whole file for {@code tombstones}, series in their insertion order. */
  public static byte[] encode(Tombstones tombstones) {
    return encode(tombstones.entries());
  }

  /**
   * Go's {@code tombstones.Encode}: the version byte and the entries, without magic and CRC.
   * The memory snapshot embeds tombstones in this form.
   */
  public static byte[] encodeBody(List<TombstoneEntry> entries) {
    DataWriter w = new DataWriter(1 + entries.size() * 12);
    w.u8(VERSION);
    for (TombstoneEntry e : entries) {
      w.uvarint(e.ref()).varint(e.mint()).varint(e.maxt());
    }
    return w.toByteArray();
  }

  /** Go's {@code tombstones.Decode}: the entries of a version byte plus entries. */
  public static List<TombstoneEntry> decodeBody(ByteSource body) throws IOException {
    if (body.length() < 1) {
      throw body.corrupt(0, "tombstones body is empty: no version byte");
    }
    int version = body.u8(0);
    if (version != VERSION) {
      throw new UnsupportedFormatVersionException(
          body.description(), body.origin(), version, VERSION, VERSION);
    }
    List<TombstoneEntry> out = new ArrayList<>();
    forEachEntry(
        body.slice(null, 1, body.length() - 1),
        (ref, mint, maxt) -> out.add(new TombstoneEntry(ref, mint, maxt)));
    return out;
  }

  /**
   * Writes {@code dir/tombstones} as Prometheus does: to {@code tombstones.tmp}, fsync, then
   * an atomic rename over the final name (and an fsync of the directory, which Go omits).
   * Returns the file size.
   */
  public static long write(Path dir, List<TombstoneEntry> entries) throws IOException {
    byte[] bytes = encode(entries);
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    Path dst = dir.resolve(FILE_NAME);
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    try {
      Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, dst, StandardCopyOption.REPLACE_EXISTING);
    }
    syncDirectory(dir);
    return bytes.length;
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open or sync directories; the rename is still atomic.
    }
  }

  @Override
  public String toString() {
    return source.description() + " (" + source.length() + " bytes)";
  }
}
