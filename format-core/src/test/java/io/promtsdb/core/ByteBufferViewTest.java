package io.promtsdb.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ByteBufferViewTest {

  private static byte[] counting(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 7 + 1);
    }
    return b;
  }

  @Test
  void arraySourceViewsAreReadOnlyAndStartAtPos() throws Exception {
    byte[] bytes = counting(64);
    ByteSource src = ByteSource.of("mem", bytes).slice("s", 8, 40);
    ByteBuffer view = src.byteBuffer(4, 16);
    assertThat(view.isReadOnly()).isTrue();
    assertThat(view.remaining()).isEqualTo(16);
    assertThat(view.get(0)).isEqualTo(bytes[12]);
    assertThat(view.getInt(0)).isEqualTo(src.be32(4));
    assertThatThrownBy(() -> src.byteBuffer(30, 11)).isInstanceOf(CorruptFormatException.class);
  }

  @Test
  void mappedViewsExistOnlyWithinOneChunk(@TempDir Path dir) throws Exception {
    byte[] bytes = counting(64);
    Path f = dir.resolve("f");
    Files.write(f, bytes);
    try (MappedFileSource src = MappedFileSource.open(f, 4)) { // 16-byte chunks
      ByteBuffer inside = src.byteBuffer(17, 8);
      assertThat(inside).isNotNull();
      assertThat(inside.isReadOnly()).isTrue();
      assertThat(inside.getLong(0)).isEqualTo(src.be64(17));
      assertThat(src.byteBuffer(12, 8)).isNull();
      assertThat(src.byteBuffer(64, 0).remaining()).isZero();
      ByteSource slice = src.slice("s", 20, 20);
      assertThat(slice.byteBuffer(0, 12).get(0)).isEqualTo(bytes[20]);
      assertThat(slice.byteBuffer(10, 4)).isNull();
      assertThatThrownBy(() -> src.byteBuffer(60, 5)).isInstanceOf(CorruptFormatException.class);
    }
  }

  @Test
  void dataReaderGivesTheSameValuesOnEveryKindOfSource(@TempDir Path dir) throws Exception {
    DataWriter w = new DataWriter();
    w.u8(0x81).be16(0xBEEF).be32(0xCAFEBABE).be64(-3L).uvarint(1L << 40).varint(-12345);
    w.uvarintString("héllo");
    byte[] bytes = w.toByteArray();
    Path f = dir.resolve("f");
    Files.write(f, bytes);
    try (MappedFileSource mapped = MappedFileSource.open(f)) {
      ByteSource[] sources = {
        ByteSource.of(bytes), mapped, new PositionalOnly(ByteSource.of(bytes))
      };
      for (ByteSource s : sources) {
        DataReader r = new DataReader(s);
        assertThat(r.u8()).isEqualTo(0x81);
        assertThat(r.be16()).isEqualTo(0xBEEF);
        assertThat(r.be32()).isEqualTo(0xCAFEBABE);
        assertThat(r.be64()).isEqualTo(-3L);
        assertThat(r.uvarint()).isEqualTo(1L << 40);
        assertThat(r.varint()).isEqualTo(-12345);
        assertThat(r.uvarintString()).isEqualTo("héllo");
        r.expectEnd("test");
      }
    }
  }

  /** A source that exposes no memory, to drive the positional path. */
  private record PositionalOnly(ByteSource d) implements ByteSource {
    @Override
    public String description() {
      return d.description();
    }

    @Override
    public long origin() {
      return d.origin();
    }

    @Override
    public long length() {
      return d.length();
    }

    @Override
    public byte get(long pos) throws CorruptFormatException {
      return d.get(pos);
    }

    @Override
    public void copyTo(long pos, byte[] dst, int off, int len) throws CorruptFormatException {
      d.copyTo(pos, dst, off, len);
    }

    @Override
    public void updateChecksum(java.util.zip.Checksum c, long pos, long len)
        throws CorruptFormatException {
      d.updateChecksum(c, pos, len);
    }

    @Override
    public ByteSource slice(String section, long offset, long length)
        throws CorruptFormatException {
      return new PositionalOnly(d.slice(section, offset, length));
    }
  }
}
