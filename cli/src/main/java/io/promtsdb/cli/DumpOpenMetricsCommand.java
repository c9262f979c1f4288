package io.promtsdb.cli;

import io.promtsdb.engine.Dump;
import io.promtsdb.engine.SeriesSet;
import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code promtsdb tsdb dump-openmetrics}: float samples in OpenMetrics text. */
@Command(
    name = "dump-openmetrics",
    description =
        "[Experimental] Dump samples from a TSDB into OpenMetrics text format, excluding native"
            + " histograms and staleness markers, which are not representable in OpenMetrics.",
    mixinStandardHelpOptions = true)
final class DumpOpenMetricsCommand extends DumpCommand {
  @Override
  long format(SeriesSet ss, Output out) throws IOException {
    return Dump.openMetrics(ss, out::write);
  }
}
