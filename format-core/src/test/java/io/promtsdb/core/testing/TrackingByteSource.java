package io.promtsdb.core.testing;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import java.util.BitSet;
import java.util.zip.Checksum;

/**
 * A {@link ByteSource} that records which bytes were read, to prove that an integrity pass
 * reads every byte (Lucene's {@code testCheckIntegrityReadsAllBytes}). Slices share the
 * record.
 */
public final class TrackingByteSource implements ByteSource {
  private final ByteSource delegate;
  private final BitSet read;
  private final long base;

  public TrackingByteSource(ByteSource delegate) {
    this(delegate, new BitSet(), 0);
  }

  private TrackingByteSource(ByteSource delegate, BitSet read, long base) {
    this.delegate = delegate;
    this.read = read;
    this.base = base;
  }

  private void mark(long pos, long len) {
    read.set((int) (base + pos), (int) (base + pos + len));
  }

  /** Positions (relative to the root source) that were never read. */
  public BitSet unread(long rootLength) {
    BitSet u = new BitSet();
    u.set(0, (int) rootLength);
    u.andNot(read);
    return u;
  }

  @Override
  public String description() {
    return delegate.description();
  }

  @Override
  public long origin() {
    return delegate.origin();
  }

  @Override
  public long length() {
    return delegate.length();
  }

  @Override
  public byte get(long pos) throws CorruptFormatException {
    byte b = delegate.get(pos);
    mark(pos, 1);
    return b;
  }

  @Override
  public int be16(long pos) throws CorruptFormatException {
    int v = delegate.be16(pos);
    mark(pos, 2);
    return v;
  }

  @Override
  public int be32(long pos) throws CorruptFormatException {
    int v = delegate.be32(pos);
    mark(pos, 4);
    return v;
  }

  @Override
  public long be64(long pos) throws CorruptFormatException {
    long v = delegate.be64(pos);
    mark(pos, 8);
    return v;
  }

  @Override
  public void copyTo(long pos, byte[] dst, int off, int len) throws CorruptFormatException {
    delegate.copyTo(pos, dst, off, len);
    mark(pos, len);
  }

  @Override
  public void updateChecksum(Checksum checksum, long pos, long len) throws CorruptFormatException {
    delegate.updateChecksum(checksum, pos, len);
    mark(pos, len);
  }

  @Override
  public ByteSource slice(String section, long offset, long length) throws CorruptFormatException {
    return new TrackingByteSource(delegate.slice(section, offset, length), read, base + offset);
  }
}
