package io.promtsdb.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.BigEndian;
import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.Crc32c;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Arbitrary bytes either decode or throw {@link CorruptFormatException}: nothing else. */
class ArbitraryBytesProperties {

  @Property(tries = 2000)
  void arbitraryBytesDecodeOrThrowCorruptFormat(
      @ForAll @Size(max = 400) byte[] bytes,
      @ForAll @IntRange(min = 1, max = 3) int version,
      @ForAll boolean header,
      @ForAll boolean validToc) {
    if (header && bytes.length >= 5) {
      BigEndian.putInt(bytes, 0, IndexFormat.MAGIC);
      bytes[4] = (byte) version;
    }
    if (validToc && bytes.length >= 5 + IndexFormat.TOC_LEN) {
      // Plausible offsets with a valid checksum, so the section readers get exercised.
      int at = bytes.length - IndexFormat.TOC_LEN;
      for (int i = 0; i < 6; i++) {
        long o = Math.floorMod(BigEndian.getLong(bytes, at + 8 * i), (long) at);
        BigEndian.putLong(bytes, at + 8 * i, i == 0 ? 5 : o);
      }
      BigEndian.putInt(bytes, bytes.length - 4, Crc32c.compute(bytes, at, 48));
    }
    for (IndexReader.Options o :
        new IndexReader.Options[] {IndexReader.Options.DEFAULT, new IndexReader.Options(false, false)}) {
      try (IndexReader r = IndexReader.open(ByteSource.of("fuzz", bytes), o)) {
        CorruptionSweepTest.readEverything(r);
        r.checkIntegrity();
      } catch (CorruptFormatException e) {
        assertThat(e.resource()).startsWith("fuzz");
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }
  }
}
