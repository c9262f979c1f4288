package io.promtsdb.conformance;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** PromTSDB's adapter with {@code "serve": false}, to exercise the one-process-per-request protocol. */
public final class ExecOnlyAdapter {
  private ExecOnlyAdapter() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("describe")) {
      ByteArrayOutputStream b = new ByteArrayOutputStream();
      AdapterMain.run(args, System.in, new PrintStream(b, true, StandardCharsets.UTF_8));
      System.out.println(b.toString(StandardCharsets.UTF_8).strip().replace("\"serve\":true", "\"serve\":false"));
      System.exit(0);
    }
    System.exit(AdapterMain.run(args, System.in, System.out));
  }
}
