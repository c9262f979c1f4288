package io.promtsdb.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void parsesGoBenchmarkOutput() {
    Map<String, Double> go =
        Report.readGo(
            List.of(
                "goos: linux",
                "BenchmarkXORIterator-2   \t   41916\t     28541 ns/op\t       0 B/op",
                "BenchmarkWAL_Log/batch=10-2  100  1234.5 ns/op  10.00 MB/s",
                "PASS"));
    assertThat(go).containsOnlyKeys("BenchmarkXORIterator", "BenchmarkWAL_Log/batch=10");
    assertThat(go.get("BenchmarkXORIterator")).isEqualTo(28541.0);
    assertThat(go.get("BenchmarkWAL_Log/batch=10")).isEqualTo(1234.5);
  }

  @Test
  void convertsJmhUnits() {
    assertThat(Report.toNanos(2, "us/op")).isEqualTo(2000);
    assertThat(Report.toNanos(3, "ns/op")).isEqualTo(3);
  }
}
