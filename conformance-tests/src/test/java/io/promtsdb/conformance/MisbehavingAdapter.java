package io.promtsdb.conformance;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An adapter command that breaks the contract, for {@link CommandImplementationTest}: the
 * decoded chunk's first byte picks the misbehaviour.
 */
public final class MisbehavingAdapter {
  private MisbehavingAdapter() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("describe")) {
      System.out.println("{\"name\":\"misbehaving\",\"version\":\"0\",\"targets\":[\"3.5.3\"],\"capabilities\":[\"decode-chunk\",\"no-such-capability\"]}");
      return;
    }
    String rq = Files.readString(Path.of(args[1]));
    String chunk = rq.replaceAll(".*\"chunk\":\"([^\"]*)\".*", "$1");
    int mode = Files.readAllBytes(Path.of(chunk))[0];
    switch (mode) {
      case 1 -> System.out.println("this is not JSON");
      case 2 -> System.exit(42);
      case 3 -> Thread.sleep(60_000);
      case 4 -> {
        System.out.println("{\"error\":{\"kind\":\"checksum-mismatch\",\"offset\":7,\"message\":\"bad\"}}");
        System.exit(1);
      }
      case 5 -> {
        System.out.println("{\"error\":{\"kind\":\"unsupported\",\"message\":\"not today\"}}");
        System.exit(2);
      }
      default -> System.out.println("{\"samples\":[]}");
    }
  }
}
