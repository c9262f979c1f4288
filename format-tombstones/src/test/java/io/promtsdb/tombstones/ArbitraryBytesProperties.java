package io.promtsdb.tombstones;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.DataWriter;
import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

class ArbitraryBytesProperties {

  /** Arbitrary bytes either decode or throw CorruptFormatException; nothing else escapes. */
  @Property(tries = 2000)
  void arbitraryFilesDecodeOrThrowCorrupt(@ForAll @Size(max = 64) byte[] bytes) throws IOException {
    try {
      TombstonesFile.open(ByteSource.of(bytes)).toTombstones(1000);
    } catch (CorruptFormatException expected) {
      // fine
    }
  }

  /** Entries behind a valid header and CRC exercise the entry decoder on garbage. */
  @Property(tries = 2000)
  void arbitraryEntriesWithValidCrcDecodeOrThrowCorrupt(@ForAll @Size(max = 64) byte[] entries)
      throws IOException {
    DataWriter w = new DataWriter();
    w.be32(TombstonesFile.MAGIC).u8(1).bytes(entries).crc32cFrom(5);
    try {
      TombstonesFile.open(ByteSource.of(w.toByteArray())).toTombstones(1000);
    } catch (CorruptFormatException expected) {
      // fine
    }
    try {
      TombstonesFile.decodeBody(ByteSource.of(entries));
    } catch (CorruptFormatException expected) {
      // fine
    }
  }

  @Property(tries = 500)
  void entriesRoundTrip(@ForAll @Size(max = 20) java.util.List<Long> values) throws IOException {
    java.util.List<TombstoneEntry> entries = new java.util.ArrayList<>();
    for (int i = 0; i + 2 < values.size(); i += 3) {
      entries.add(new TombstoneEntry(values.get(i), values.get(i + 1), values.get(i + 2)));
    }
    byte[] file = TombstonesFile.encode(entries);
    org.assertj.core.api.Assertions.assertThat(TombstonesFile.open(ByteSource.of(file)).entries())
        .isEqualTo(entries);
    org.assertj.core.api.Assertions.assertThat(
            TombstonesFile.decodeBody(ByteSource.of(TombstonesFile.encodeBody(entries))))
        .isEqualTo(entries);
  }
}
