package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A Java implementation as an adapter command (the contract of the spec's conformance
 * chapter), PromTSDB's own by default:
 *
 * <pre>
 * java -jar conformance.jar adapter describe
 * java -jar conformance.jar adapter decode-chunk request.json     # or - for stdin
 * java -jar conformance.jar adapter serve                         # one request per line
 * promtsdb adapter describe                                      # the same, in the promtsdb command
 * java -cp my.jar:conformance.jar io.promtsdb.conformance.AdapterMain --java-impl com.example.Mine describe
 * </pre>
 *
 * {@code --java-impl CLASS} names a class with a public static no-argument method {@code
 * implementation()} returning an {@link Implementation}.
 */
public final class AdapterMain {
  private AdapterMain() {}

  public static void main(String[] args) throws IOException {
    System.exit(run(args, System.in, System.out));
  }

  /** Runs the adapter and returns its exit code. */
  public static int run(String[] args, java.io.InputStream in, PrintStream out) throws IOException {
    List<String> rest = new ArrayList<>(List.of(args));
    Implementation impl;
    if (rest.size() >= 2 && rest.get(0).equals("--java-impl")) {
      try {
        impl = load(rest.get(1));
      } catch (ReflectiveOperationException | ClassCastException e) {
        System.err.println("adapter: cannot load " + rest.get(1) + ": " + e);
        return 2;
      }
      rest = rest.subList(2, rest.size());
    } else {
      impl = PromTsdb.implementation();
    }
    return run(impl, rest, in, out);
  }

  /**
   * Runs {@code impl} as an adapter command with {@code args} ({@code describe}, {@code serve},
   * or a capability and its request file, {@code -} or nothing for standard input) and returns
   * the contract's exit code: 0 output, 1 error object, 2 unsupported, 3 crash.
   */
  public static int run(Implementation impl, List<String> rest, java.io.InputStream in, PrintStream out) throws IOException {
    if (rest.isEmpty()) {
      System.err.println("usage: adapter [--java-impl CLASS] describe | serve | <capability> [REQUEST.json|-]");
      return 2;
    }
    String cmd = rest.get(0);
    if (cmd.equals("describe")) {
      out.println(Json.canonical(impl.describe().toJson()));
      return 0;
    }
    if (cmd.equals("serve")) {
      serve(impl, in, out);
      return 0;
    }
    Capability c = Capability.forName(cmd);
    if (c == null) {
      out.println(Json.canonical(new Response.Error(ErrorKind.UNSUPPORTED, null, null, "no capability " + cmd).toJson()));
      return 2;
    }
    byte[] body = rest.size() < 2 || rest.get(1).equals("-") ? in.readAllBytes() : Files.readAllBytes(Path.of(rest.get(1)));
    JsonNode request;
    try {
      request = Json.parse(body);
    } catch (IOException e) {
      out.println(Json.canonical(new Response.Error(ErrorKind.UNSUPPORTED, null, null, "request is not JSON: " + e.getMessage()).toJson()));
      return 2;
    }
    if (!request.isObject()) {
      out.println(Json.canonical(new Response.Error(ErrorKind.UNSUPPORTED, null, null, "request is not an object").toJson()));
      return 2;
    }
    Response r = impl.invoke(c, (ObjectNode) request);
    if (r instanceof Response.Ok ok) {
      out.println(Json.canonical(ok.output()));
      return 0;
    }
    Response.Error e = (Response.Error) r;
    out.println(Json.canonical(e.toJson()));
    return switch (e.kind()) {
      case UNSUPPORTED -> 2;
      case CRASH -> 3;
      default -> 1;
    };
  }

  private static void serve(Implementation impl, java.io.InputStream in, PrintStream out) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    for (String line; (line = r.readLine()) != null; ) {
      if (line.isBlank()) {
        continue;
      }
      Response resp;
      try {
        JsonNode n = Json.parse(line);
        Capability c = Capability.forName(n.path("capability").asText());
        if (c == null || !n.path("request").isObject()) {
          resp = new Response.Error(ErrorKind.UNSUPPORTED, null, null, "no capability " + n.path("capability"));
        } else {
          resp = impl.invoke(c, (ObjectNode) n.get("request"));
        }
      } catch (IOException e) {
        resp = new Response.Error(ErrorKind.UNSUPPORTED, null, null, "request line is not JSON: " + e.getMessage());
      }
      out.println(Json.canonical(resp instanceof Response.Ok ok ? ok.output() : ((Response.Error) resp).toJson()));
      out.flush();
    }
  }

  private static Implementation load(String className) throws ReflectiveOperationException {
    Class<?> c = Class.forName(className);
    Method m = c.getMethod("implementation");
    return (Implementation) m.invoke(null);
  }
}
