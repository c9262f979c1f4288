package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An implementation behind the adapter contract: a program run as {@code <command> describe},
 * {@code <command> <capability> <request.json>} (exit 0: output JSON on stdout; exit 1: error
 * JSON on stdout; exit 2: unsupported), or, when {@code describe} says {@code "serve": true},
 * one long-lived {@code <command> serve} reading one request per line on stdin and answering
 * one line per request on stdout.
 *
 * <p>The command line is split like a shell would split it (spaces, single and double quotes,
 * backslash escapes), without running a shell.
 */
public final class CommandImplementation implements Implementation {
  private final List<String> command;
  private final Duration timeout;
  private final Path scratch;
  private Description description;
  private Process server;
  private BufferedWriter serverIn;
  private BufferedReader serverOut;
  private StderrTail serverErr;

  public CommandImplementation(String commandLine, Duration timeout) throws IOException {
    this.command = split(commandLine);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("empty implementation command");
    }
    this.timeout = timeout;
    this.scratch = Files.createTempDirectory("promtsdb-adapter-requests-");
  }

  @Override
  public String id() {
    String name = description != null ? description.name() : String.join(" ", command);
    return name.equals("promtsdb") ? "promtsdb-command" : name;
  }

  /** The command's words. */
  public List<String> command() {
    return List.copyOf(command);
  }

  @Override
  public synchronized Description describe() throws IOException {
    if (description == null) {
      Exec r = exec(List.of("describe"));
      if (r.exit != 0) {
        throw new IOException("'" + String.join(" ", command) + " describe' exited with " + r.exit + ": " + r.stderr);
      }
      try {
        description = Description.fromJson(Json.parse(r.stdout));
      } catch (IOException | IllegalArgumentException e) {
        throw new IOException("'" + String.join(" ", command) + " describe' printed no valid description: "
            + e.getMessage() + "\n" + abbreviate(r.stdout), e);
      }
    }
    return description;
  }

  @Override
  public synchronized Response invoke(Capability capability, ObjectNode request) throws IOException {
    if (describe().serve()) {
      return serve(capability, request);
    }
    Path rq = Files.createTempFile(scratch, capability.wireName() + "-", ".json");
    try {
      Files.write(rq, Json.canonicalBytes(request));
      Exec r = exec(List.of(capability.wireName(), rq.toString()));
      return interpret(r.exit, r.stdout, r.stderr);
    } finally {
      Files.deleteIfExists(rq);
    }
  }

  /** The response for an exit code and what was printed. */
  static Response interpret(int exit, String stdout, String stderr) {
    if (exit == -1) {
      return new Response.Error(ErrorKind.CRASH, null, null, "timed out; stderr: " + abbreviate(stderr));
    }
    JsonNode n = null;
    if (!stdout.isBlank()) {
      try {
        n = Json.parse(stdout.trim());
      } catch (IOException e) {
        return new Response.Error(ErrorKind.CRASH, null, null,
            "exit " + exit + " with output that is not JSON: " + abbreviate(stdout) + "\nstderr: " + abbreviate(stderr));
      }
    }
    switch (exit) {
      case 0 -> {
        if (n == null) {
          return new Response.Error(ErrorKind.CRASH, null, null, "exit 0 without output; stderr: " + abbreviate(stderr));
        }
        if (n.isObject() && n.has("error")) {
          return new Response.Error(ErrorKind.CRASH, null, null, "exit 0 with an error object: " + abbreviate(stdout));
        }
        return new Response.Ok(n);
      }
      case 1 -> {
        if (n == null || !n.has("error")) {
          return new Response.Error(ErrorKind.CRASH, null, null, "exit 1 without an error object; stderr: " + abbreviate(stderr));
        }
        return Response.fromJson(n);
      }
      case 2 -> {
        String msg = n != null && n.has("error") ? n.get("error").path("message").asText("") : abbreviate(stderr);
        return new Response.Error(ErrorKind.UNSUPPORTED, null, null, msg);
      }
      default -> {
        return new Response.Error(ErrorKind.CRASH, null, null, "exit " + exit + "; stderr: " + abbreviate(stderr));
      }
    }
  }

  private Response serve(Capability capability, ObjectNode request) throws IOException {
    if (server == null || !server.isAlive()) {
      List<String> argv = new ArrayList<>(command);
      argv.add("serve");
      server = new ProcessBuilder(argv).start();
      serverIn = new BufferedWriter(new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8));
      serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      serverErr = new StderrTail(server.getErrorStream());
    }
    ObjectNode line = Json.object();
    line.put("capability", capability.wireName());
    line.set("request", request);
    CompletableFuture<String> answer;
    try {
      serverIn.write(Json.canonical(line));
      serverIn.write('\n');
      serverIn.flush();
      BufferedReader out = serverOut;
      answer = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (IOException e) {
          return null;
        }
      });
    } catch (IOException e) {
      String err = serverErr.text();
      stopServer();
      return new Response.Error(ErrorKind.CRASH, null, null, "the serve process died: " + e.getMessage() + "; stderr: " + err);
    }
    String reply;
    try {
      reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      stopServer();
      return new Response.Error(ErrorKind.CRASH, null, null, "no answer within " + timeout.toSeconds() + " s");
    } catch (InterruptedException | ExecutionException e) {
      stopServer();
      return new Response.Error(ErrorKind.CRASH, null, null, "no answer: " + e);
    }
    if (reply == null) {
      String err = serverErr.text();
      stopServer();
      return new Response.Error(ErrorKind.CRASH, null, null, "the serve process ended without answering; stderr: " + err);
    }
    try {
      return Response.fromJson(Json.parse(reply));
    } catch (IOException e) {
      return new Response.Error(ErrorKind.CRASH, null, null, "the answer is not JSON: " + abbreviate(reply));
    }
  }

  private void stopServer() {
    if (server != null) {
      server.destroyForcibly();
      server = null;
    }
  }

  private record Exec(int exit, String stdout, String stderr) {}

  private Exec exec(List<String> args) throws IOException {
    List<String> argv = new ArrayList<>(command);
    argv.addAll(args);
    Process p = new ProcessBuilder(argv).start();
    p.getOutputStream().close();
    CompletableFuture<byte[]> out = drain(p.getInputStream());
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Exec(-1, "", text(err));
      }
      return new Exec(p.exitValue(), text(out), text(err));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    return CompletableFuture.supplyAsync(() -> {
      try (in) {
        return in.readAllBytes();
      } catch (IOException e) {
        return new byte[0];
      }
    });
  }

  private static String text(CompletableFuture<byte[]> f) {
    try {
      return new String(f.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    } catch (Exception e) {
      return "";
    }
  }

  /** Keeps the last few KB a serve process printed on stderr. */
  private static final class StderrTail {
    private final StringBuilder tail = new StringBuilder();

    StderrTail(InputStream in) {
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (String l; (l = r.readLine()) != null; ) {
            synchronized (tail) {
              tail.append(l).append('\n');
              if (tail.length() > 8192) {
                tail.delete(0, tail.length() - 4096);
              }
            }
          }
        } catch (IOException ignored) {
          // The process ended.
        }
      }, "adapter-stderr");
      t.setDaemon(true);
      t.start();
    }

    String text() {
      synchronized (tail) {
        return abbreviate(tail.toString());
      }
    }
  }

  static String abbreviate(String s) {
    String t = s.strip();
    return t.length() > 2000 ? t.substring(0, 2000) + "..." : t;
  }

  /** Splits a command line into words (quotes and backslashes as in a POSIX shell, no expansion). */
  static List<String> split(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
          w.append(line.charAt(++i));
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (c == '\\' && i + 1 < line.length()) {
        w.append(line.charAt(++i));
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("unbalanced quote in command: " + line);
    }
    if (inWord) {
      words.add(w.toString());
    }
    return words;
  }

  @Override
  public synchronized void close() throws IOException {
    if (server != null) {
      serverIn.close();
      try {
        if (!server.waitFor(5, TimeUnit.SECONDS)) {
          server.destroyForcibly();
        }
      } catch (InterruptedException e) {
        server.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      server = null;
    }
    Corpus.deleteQuietly(scratch);
  }
}
