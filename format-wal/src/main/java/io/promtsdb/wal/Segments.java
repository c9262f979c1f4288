package io.promtsdb.wal;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Segment files: named by their number with eight digits ({@code %08d}), numbered
 * consecutively from wherever the log starts (0 for a new log).
 */
public final class Segments {
  private Segments() {}

  /** A segment file and its number. */
  public record SegmentRef(int index, Path path) {}

  /** {@code 00000042} for 42. */
  public static String name(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("negative segment number " + index);
    }
    return String.format("%08d", index);
  }

  static String fileName(String dir, int index) {
    return dir == null || dir.isEmpty() ? name(index) : Path.of(dir, name(index)).toString();
  }

  public static Path path(Path dir, int index) {
    return dir.resolve(name(index));
  }

  /**
   * The segments in {@code dir} in number order: every file whose name is a decimal number
   * (as Go's {@code strconv.Atoi} accepts it). Throws if the numbers are not consecutive,
   * as Prometheus does.
   */
  public static List<SegmentRef> list(Path dir) throws IOException {
    return list(dir, FileOps.DEFAULT);
  }

  public static List<SegmentRef> list(Path dir, FileOps files) throws IOException {
    List<SegmentRef> refs = new ArrayList<>();
    for (Path p : files.list(dir)) {
      Integer k = parseIndex(p.getFileName().toString());
      if (k != null && !Files.isDirectory(p)) {
        refs.add(new SegmentRef(k, p));
      }
    }
    refs.sort(Comparator.comparingInt(SegmentRef::index));
    for (int i = 0; i + 1 < refs.size(); i++) {
      if (refs.get(i).index() + 1 != refs.get(i + 1).index()) {
        throw new IOException(
            dir + ": segments are not sequential: " + refs.get(i).path().getFileName()
                + " is followed by " + refs.get(i + 1).path().getFileName());
      }
    }
    return refs;
  }

  /** First and last segment number, or {@code {-1, -1}} if there is none (Go's {@code Segments}). */
  public static int[] range(Path dir) throws IOException {
    List<SegmentRef> refs = list(dir);
    return refs.isEmpty()
        ? new int[] {-1, -1}
        : new int[] {refs.get(0).index(), refs.get(refs.size() - 1).index()};
  }

  /** The number a file name stands for, or {@code null}: optional sign, decimal digits. */
  static Integer parseIndex(String name) {
    if (name.isEmpty() || name.length() > 10) {
      return null;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(c >= '0' && c <= '9') && !(i == 0 && (c == '+' || c == '-') && name.length() > 1)) {
        return null;
      }
    }
    try {
      int v = Integer.parseInt(name);
      return v < 0 ? null : v;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static List<Path> sortedChildren(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        out.add(p);
      }
    }
    out.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return out;
  }
}
