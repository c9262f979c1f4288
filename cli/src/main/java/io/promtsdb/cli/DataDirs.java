package io.promtsdb.cli;

import io.promtsdb.engine.Progress;
import io.promtsdb.engine.ReadOnlyDb;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Resolving and opening the data directory a command works on. */
final class DataDirs {
  /** promtool's default. */
  static final String DEFAULT = "data/";

  private DataDirs() {}

  /**
   * The directory to open: the given path; without one, {@code data/} as promtool does, or, if
   * there is no {@code data/} here, the sample data directory bundled with promtsdb (a
   * 5-minute Prometheus 3.5.3 run), so that a first command works anywhere.
   */
  static Path resolve(String given, PrintStream err) throws IOException {
    if (given != null) {
      return Path.of(given);
    }
    Path d = Path.of(DEFAULT);
    if (Files.exists(d)) {
      return d;
    }
    Path sample = BundledSample.extract();
    err.println("promtsdb: no " + DEFAULT + " here; reading the bundled sample data directory"
        + " (Prometheus 3.5.3, 5 minutes of scrapes). Pass a path to read your own.");
    return sample;
  }

  static ReadOnlyDb open(Path dir, boolean skipCorrupt, Main main) throws IOException {
    return open(dir, skipCorrupt, false, main);
  }

  static ReadOnlyDb open(Path dir, boolean skipCorrupt, boolean memorySnapshot, Main main) throws IOException {
    ReadOnlyDb.Options o = ReadOnlyDb.Options.DEFAULT.withSkipCorruptBlocks(skipCorrupt).withChunkSnapshot(memorySnapshot);
    if (main.terminal) {
      o = o.withProgress(new ProgressLine(main.err));
    }
    return ReadOnlyDb.open(dir, o);
  }

  /** Prints the warnings of a db (skipped blocks, WAL repairs) on stderr. */
  static void warn(ReadOnlyDb db, PrintStream err) {
    for (String w : db.warnings()) {
      err.println("warning: " + w.replace('\n', ' '));
    }
  }

  /** The sample data dir inside the jar, extracted to a temporary directory on first use. */
  static final class BundledSample {
    private static Path extracted;

    private BundledSample() {}

    static synchronized Path extract() throws IOException {
      if (extracted != null) {
        return extracted;
      }
      List<String> files;
      try (InputStream in = DataDirs.class.getResourceAsStream("sample-files.txt")) {
        if (in == null) {
          throw new IOException("the bundled sample data directory is missing from this build");
        }
        files = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
      }
      Path dir = Files.createTempDirectory("promtsdb-sample");
      Path data = dir.resolve("data");
      for (String f : files) {
        Path target = data.resolve(f);
        Files.createDirectories(target.getParent());
        try (InputStream in = DataDirs.class.getResourceAsStream("sample/" + f)) {
          if (in == null) {
            throw new IOException("bundled sample file missing: " + f);
          }
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
      extracted = data;
      return data;
    }

    private static void deleteQuietly(Path dir) {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // best effort
      }
    }
  }

  static Progress progress(Main main) {
    return main.terminal ? new ProgressLine(main.err) : Progress.NONE;
  }
}
