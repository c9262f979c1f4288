package io.promtsdb.chunks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.core.CorruptFormatException;
import io.promtsdb.core.CounterResetHint;
import org.junit.jupiter.api.Test;

/** The wire numbers are fixed by the format; this table guards them. */
class ChunkEncodingTest {

  @Test
  void wireBytesAndNames() {
    Object[][] table = {
      {ChunkEncoding.XOR, 1, "XOR", ValueType.FLOAT, false},
      {ChunkEncoding.HISTOGRAM, 2, "histogram", ValueType.HISTOGRAM, false},
      {ChunkEncoding.FLOAT_HISTOGRAM, 3, "floathistogram", ValueType.FLOAT_HISTOGRAM, false},
      {ChunkEncoding.XOR2, 4, "XOR2", ValueType.FLOAT, true},
      {ChunkEncoding.HISTOGRAM_ST, 5, "histogramST", ValueType.HISTOGRAM, true},
      {ChunkEncoding.FLOAT_HISTOGRAM_ST, 6, "floathistogramST", ValueType.FLOAT_HISTOGRAM, true},
    };
    assertThat(ChunkEncoding.values()).hasSize(table.length);
    for (Object[] row : table) {
      ChunkEncoding e = (ChunkEncoding) row[0];
      assertThat(e.wireByte()).isEqualTo(((Integer) row[1]).byteValue());
      assertThat(e.goName()).isEqualTo(row[2]);
      assertThat(e.valueType()).isEqualTo(row[3]);
      assertThat(e.hasStartTimestamps()).isEqualTo(row[4]);
      assertThat(ChunkEncoding.forWireByte((Integer) row[1])).isSameAs(e);
    }
    assertThat(ChunkEncoding.OUT_OF_ORDER_FLAG).isEqualTo(0x80);
  }

  @Test
  void unknownBytesAreCorruption() {
    for (int b : new int[] {0, 7, 0x7F, 0x80, 0x81, 0xFF}) {
      assertThat(ChunkEncoding.forWireByte(b)).isNull();
      assertThatThrownBy(() -> ChunkEncoding.fromWireByte(b, "f", 12))
          .isInstanceOf(CorruptFormatException.class)
          .hasMessage("f at offset 12: chunk encoding: actual 0x" + Integer.toHexString(b) + " vs expected 1 to 6");
    }
  }

  @Test
  void counterResetHeaderCodes() {
    assertThat(CounterResetHeader.UNKNOWN.bits()).isEqualTo(0x00);
    assertThat(CounterResetHeader.NOT_COUNTER_RESET.bits()).isEqualTo(0x40);
    assertThat(CounterResetHeader.COUNTER_RESET.bits()).isEqualTo(0x80);
    assertThat(CounterResetHeader.GAUGE.bits()).isEqualTo(0xC0);
    for (CounterResetHeader h : CounterResetHeader.values()) {
      assertThat(CounterResetHeader.fromByte(h.bits() | 0x15)).isEqualTo(h);
    }
    assertThat(CounterResetHeader.fromHint(CounterResetHint.COUNTER_RESET)).isEqualTo(CounterResetHeader.COUNTER_RESET);
    assertThat(CounterResetHeader.GAUGE.hintAt(1)).isEqualTo(CounterResetHint.GAUGE);
    assertThat(CounterResetHeader.COUNTER_RESET.hintAt(1)).isEqualTo(CounterResetHint.UNKNOWN);
    assertThat(CounterResetHeader.COUNTER_RESET.hintAt(2)).isEqualTo(CounterResetHint.NOT_COUNTER_RESET);
  }
}
