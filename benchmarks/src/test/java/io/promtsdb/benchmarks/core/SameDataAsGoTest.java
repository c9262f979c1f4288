package io.promtsdb.benchmarks.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.promtsdb.core.Crc32c;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java and Go sides of a benchmark must run on the same bytes. The CRC32C and length of
 * each generated data set were printed by the Go side (benchmarks/go/core, SplitMix64 seed
 * 42); if a generator changes on one side only, this fails.
 */
class SameDataAsGoTest {
  @ParameterizedTest
  @CsvSource({"small, 7efdb364, 8169", "mixed, 605fb72a, 12293", "wide, eaf82817, 20285"})
  void varintDataMatchesTheGoGenerator(String distribution, String crcHex, int length) {
    byte[] data = VarintDecodeBenchmark.data(distribution);
    assertThat(data).hasSize(length);
    assertThat(Crc32c.compute(data)).isEqualTo(Integer.parseUnsignedInt(crcHex, 16));
  }
}
