package io.promtsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.promtsdb.wal.Refs.RefSample;
import java.util.List;
import org.junit.jupiter.api.Test;

class SampleBatchTest {
  @Test
  void growsKeepsRawBitsAndClears() {
    SampleBatch b = new SampleBatch(1);
    long staleNaN = 0x7ff0000000000002L;
    for (int i = 0; i < 1000; i++) {
      b.add(i, i == 3 ? 7 : 0, 1000L * i, i == 5 ? staleNaN : Double.doubleToRawLongBits(i * 0.5));
    }
    assertThat(b.size()).isEqualTo(1000);
    assertThat(b.ref(999)).isEqualTo(999);
    assertThat(b.t(999)).isEqualTo(999_000);
    assertThat(b.st(3)).isEqualTo(7);
    assertThat(b.vBits(5)).isEqualTo(staleNaN);
    assertThat(b.v(4)).isEqualTo(2.0);
    assertThat(b.get(3)).isEqualTo(new RefSample(3, 7, 3000, 1.5));
    assertThat(b.toList()).hasSize(1000).startsWith(new RefSample(0, 0, 0, 0.0));
    b.truncate(2);
    assertThat(b.toList()).isEqualTo(List.of(new RefSample(0, 0, 0, 0.0), new RefSample(1, 0, 1000, 0.5)));
    b.clear();
    assertThat(b.isEmpty()).isTrue();
    b.add(9, 0, 1, 2.5);
    assertThat(b.get(0)).isEqualTo(new RefSample(9, 1, 2.5));
  }

  @Test
  void indexesOutsideTheBatchThrow() {
    SampleBatch b = new SampleBatch();
    b.add(1, 0, 2, 3.0);
    assertThatThrownBy(() -> b.ref(1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> b.v(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> b.truncate(2)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
