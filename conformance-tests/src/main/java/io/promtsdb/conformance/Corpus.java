package io.promtsdb.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;

/**
 * The case corpus: {@code index.json} (every case id and every file), {@code cases/<id>/}
 * with {@code case.json} and the case's own files, {@code data/} with inputs and expected
 * outputs shared by several cases, and {@code repo/} with the files of the PromTSDB repository
 * the cases use (fixture data dirs, Go-written files). Paths in a case starting with {@code
 * /} are relative to the corpus root, others to the case's directory.
 *
 * <p>{@link #load()} finds the corpus on the class path; inside a jar it is extracted to a
 * temporary directory once (adapters need real files).
 */
public final class Corpus {
  /** Class path location of the corpus. */
  public static final String RESOURCE = "io/promtsdb/conformance/corpus/";

  private static Corpus loaded;

  private final Path root;
  private final List<ConformanceCase> cases;

  private Corpus(Path root, List<ConformanceCase> cases) {
    this.root = root;
    this.cases = Collections.unmodifiableList(cases);
  }

  /** Opens a corpus directory. */
  public static Corpus open(Path root) throws IOException {
    JsonNode index = Json.read(root.resolve("index.json"));
    List<ConformanceCase> cases = new ArrayList<>();
    for (JsonNode id : index.path("cases")) {
      String cid = id.asText();
      cases.add(ConformanceCase.read(cid, root.resolve("cases").resolve(cid)));
    }
    return new Corpus(root, cases);
  }

  /** The corpus shipped with this module (class path), extracted if it is inside a jar. */
  public static synchronized Corpus load() {
    if (loaded == null) {
      try {
        loaded = open(locate());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot load the conformance corpus", e);
      }
    }
    return loaded;
  }

  private static Path locate() throws IOException {
    URL url = Corpus.class.getClassLoader().getResource(RESOURCE + "index.json");
    if (url == null) {
      throw new IOException("no " + RESOURCE + "index.json on the class path (was the corpus built?)");
    }
    if (url.getProtocol().equals("file")) {
      try {
        return Path.of(url.toURI()).getParent();
      } catch (URISyntaxException e) {
        throw new IOException(e);
      }
    }
    Path dir = Files.createTempDirectory("promtsdb-corpus-");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
    JsonNode index;
    try (InputStream in = url.openStream()) {
      index = Json.parse(in.readAllBytes());
    }
    Files.write(dir.resolve("index.json"), Json.canonicalBytes(index));
    for (JsonNode f : index.path("files")) {
      String rel = f.asText();
      Path dst = dir.resolve(rel);
      Files.createDirectories(dst.getParent());
      try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream(RESOURCE + rel)) {
        if (in == null) {
          throw new IOException("corpus file missing from the class path: " + rel);
        }
        Files.copy(in, dst, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return dir;
  }

  public Path root() {
    return root;
  }

  public List<ConformanceCase> cases() {
    return cases;
  }

  public List<ConformanceCase> cases(Predicate<ConformanceCase> filter) {
    List<ConformanceCase> out = new ArrayList<>();
    for (ConformanceCase c : cases) {
      if (filter.test(c)) {
        out.add(c);
      }
    }
    return out;
  }

  /** A path of a case: {@code /x} from the corpus root, anything else from the case dir. */
  public Path resolve(ConformanceCase c, String ref) {
    return ref.startsWith("/") ? root.resolve(ref.substring(1)) : c.dir().resolve(ref);
  }

  /** Copies the whole corpus to {@code dest} (for other runners, or to read it). */
  public void export(Path dest) throws IOException {
    copyTree(root, dest);
  }

  static void copyTree(Path src, Path dst) throws IOException {
    Files.walkFileTree(src, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        Files.createDirectories(dst.resolve(src.relativize(dir).toString()));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.copy(file, dst.resolve(src.relativize(file).toString()), StandardCopyOption.REPLACE_EXISTING);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  static void deleteQuietly(Path dir) {
    try {
      deleteTree(dir);
    } catch (IOException ignored) {
      // Best effort: a temporary directory.
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
        Files.delete(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
