package io.promtsdb.wal;

import static io.promtsdb.wal.WalFormat.FIRST;
import static io.promtsdb.wal.WalFormat.FRAGMENT_HEADER_SIZE;
import static io.promtsdb.wal.WalFormat.FRAGMENT_TYPE_MASK;
import static io.promtsdb.wal.WalFormat.FULL;
import static io.promtsdb.wal.WalFormat.LAST;
import static io.promtsdb.wal.WalFormat.MAX_FRAGMENT_PAYLOAD;
import static io.promtsdb.wal.WalFormat.PAGE_SIZE;
import static io.promtsdb.wal.WalFormat.PAGE_TERM;
import static io.promtsdb.wal.WalFormat.RESERVED_MASK;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.ByteArraySource;
import io.promtsdb.core.ByteSource;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Tails a segment that is still being written, Prometheus' {@code wlog.LiveReader}: returns
 * each record as soon as all its fragments are on disk. {@link #next()} returning false means
 * "no complete record yet": call it again after the writer has written more (the caller
 * decides when to give up, e.g. when a newer segment appears). A fragment that is only partly
 * written is waited for, never reported; bytes that are complete and wrong are a terminal
 * {@link WalCorruptionException}.
 *
 * <p>Like Go's live reader it tolerates fragments that run across a page boundary (it warns
 * about them in Go), which the segment reader also accepts. Not thread-safe.
 */
public final class LiveReader implements Closeable {
  private final FileChannel channel;
  private final String dir;
  private final int segment;
  private final String resource;
  private final CRC32C crc = new CRC32C();

  // Unconsumed file bytes buf[start, end) start at file offset pos.
  private byte[] buf = new byte[2 * PAGE_SIZE];
  private int start;
  private int end;
  private long pos;

  private byte[] assembled = new byte[PAGE_SIZE];
  private int assembledLen;
  private int fragments;
  private Compression compression = Compression.NONE;
  private long recordOffset = -1;
  private RecordDecompressor decompressor;

  private byte[] recArray;
  private int recOff;
  private int recLen;
  private WalCorruptionException failure;

  private LiveReader(FileChannel channel, String dir, int segment) {
    this.channel = channel;
    this.dir = dir;
    this.segment = segment;
    this.resource = Segments.fileName(dir, segment);
  }

  /** Opens {@code file} for tailing from its start. */
  public static LiveReader open(Path file) throws IOException {
    Integer index = Segments.parseIndex(file.getFileName().toString());
    Path parent = file.getParent();
    return new LiveReader(
        FileChannel.open(file, StandardOpenOption.READ),
        parent == null ? "" : parent.toString(),
        index == null ? -1 : index);
  }

  /**
   * Advances to the next complete record.
   *
   * @return false if no complete record is on disk yet (not an error)
   * @throws WalCorruptionException if complete bytes are corrupt; every later call throws it
   *     again
   */
  public boolean next() throws IOException {
    if (failure != null) {
      throw failure;
    }
    try {
      while (true) {
        int r = step();
        if (r == RECORD) {
          return true;
        }
        if (r == NEED_MORE && fill() == 0) {
          return false;
        }
      }
    } catch (WalCorruptionException e) {
      failure = e;
      throw e;
    }
  }

  private static final int RECORD = 1;
  private static final int NEED_MORE = 2;
  private static final int CONSUMED = 3;

  private int step() throws WalCorruptionException {
    int avail = end - start;
    if (avail == 0) {
      return NEED_MORE;
    }
    int type = buf[start] & 0xFF;
    if (type == PAGE_TERM) {
      int rest = (int) (PAGE_SIZE - pos % PAGE_SIZE);
      if (avail < rest) {
        return NEED_MORE;
      }
      for (int i = 0; i < rest; i++) {
        if (buf[start + i] != 0) {
          throw corrupt(pos + i, "unexpected non-zero byte in page term bytes");
        }
      }
      consume(rest);
      return CONSUMED;
    }
    if ((type & RESERVED_MASK) != 0) {
      throw corrupt(pos, String.format("fragment type byte 0x%02x has reserved bits set", type));
    }
    boolean snappy = (type & Compression.SNAPPY.flag()) != 0;
    boolean zstd = (type & Compression.ZSTD.flag()) != 0;
    if (snappy && zstd) {
      throw corrupt(pos, String.format("fragment type byte 0x%02x has both compression bits set", type));
    }
    Compression c = snappy ? Compression.SNAPPY : zstd ? Compression.ZSTD : Compression.NONE;
    int frag = type & FRAGMENT_TYPE_MASK;
    if (frag < FULL || frag > LAST) {
      throw corrupt(pos, "unexpected record type " + frag);
    }
    if (avail < FRAGMENT_HEADER_SIZE) {
      return NEED_MORE;
    }
    int len = BigEndian.getUnsignedShort(buf, start + 1);
    int expected = BigEndian.getInt(buf, start + 3);
    if (len > MAX_FRAGMENT_PAYLOAD) {
      throw corrupt(pos, "record length greater than a single page: " + (len + FRAGMENT_HEADER_SIZE));
    }
    if (avail < FRAGMENT_HEADER_SIZE + len) {
      return NEED_MORE;
    }
    crc.reset();
    crc.update(buf, start + FRAGMENT_HEADER_SIZE, len);
    if ((int) crc.getValue() != expected) {
      throw corrupt(pos, String.format("unexpected checksum %08x, expected %08x", (int) crc.getValue(), expected));
    }
    if (frag == FULL || frag == FIRST) {
      if (fragments != 0) {
        throw corrupt(pos, "unexpected " + WalFormat.fragmentName(frag) + " record");
      }
      recordOffset = pos;
      compression = c;
      assembledLen = 0;
    } else {
      if (fragments == 0) {
        throw corrupt(pos, "unexpected " + WalFormat.fragmentName(frag) + " record, dropping buffer");
      }
      if (c != compression) {
        throw corrupt(pos, "fragment compression differs from the record's first fragment");
      }
    }
    if (assembled.length - assembledLen < len) {
      assembled = Arrays.copyOf(assembled, Math.max(assembledLen + len, assembled.length * 2));
    }
    System.arraycopy(buf, start + FRAGMENT_HEADER_SIZE, assembled, assembledLen, len);
    assembledLen += len;
    consume(FRAGMENT_HEADER_SIZE + len);
    if (frag == FULL || frag == LAST) {
      fragments = 0;
      finish();
      return RECORD;
    }
    fragments++;
    return CONSUMED;
  }

  private void finish() throws WalCorruptionException {
    if (compression == Compression.NONE || assembledLen == 0) {
      recArray = assembled;
      recOff = 0;
      recLen = assembledLen;
      return;
    }
    if (decompressor == null) {
      decompressor = new RecordDecompressor();
    }
    try {
      recLen = decompressor.decompress(compression, assembled, 0, assembledLen);
    } catch (RecordDecompressor.DecompressionException e) {
      throw corrupt(recordOffset, e.getMessage());
    }
    recArray = decompressor.buffer();
    recOff = 0;
  }

  private void consume(int n) {
    start += n;
    pos += n;
  }

  private int fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
    if (end == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    int n = channel.read(ByteBuffer.wrap(buf, end, buf.length - end), pos + (end - start));
    if (n <= 0) {
      return 0;
    }
    end += n;
    return n;
  }

  private WalCorruptionException corrupt(long at, String detail) {
    return new WalCorruptionException(
        dir, segment, at, fragments > 0 ? recordOffset : at, detail, null);
  }

  /** The current record (decompressed), valid until the next call to {@link #next()}. */
  public ByteSource record() {
    return new ByteArraySource(resource, recArray, recOff, recLen);
  }

  public byte[] copyRecord() {
    return Arrays.copyOfRange(recArray, recOff, recOff + recLen);
  }

  /** Bytes of the segment consumed so far (Go's {@code Offset}). */
  public long offset() {
    return pos;
  }

  /** Offset of the current record's first fragment. */
  public long recordOffset() {
    return recordOffset;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
