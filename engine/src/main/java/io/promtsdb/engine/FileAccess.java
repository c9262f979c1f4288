package io.promtsdb.engine;

import io.promtsdb.core.ByteSource;
import io.promtsdb.core.MappedFileSource;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Every file the engine reads goes through this seam: tests wrap it to fail or corrupt the
 * N-th read, and the write side (WAL, compaction) will add its operations next to these.
 * Sources returned by {@link #open} are closed by the engine when it is done with them (if
 * they implement {@link AutoCloseable}).
 */
public interface FileAccess {

  /** The bytes of {@code file}, memory-mapped by the default implementation. */
  ByteSource open(Path file) throws IOException;

  /** The entries of {@code dir}, sorted by name as Go's {@code os.ReadDir} returns them. */
  List<Path> list(Path dir) throws IOException;

  boolean isDirectory(Path p);

  boolean exists(Path p);

  /** Size of {@code file} in bytes. */
  long size(Path file) throws IOException;

  /** The whole of a small file. */
  default byte[] readAll(Path file) throws IOException {
    ByteSource s = open(file);
    try {
      return s.toByteArray();
    } finally {
      close(s);
    }
  }

  /** Closes {@code s} if it holds resources. */
  static void close(ByteSource s) throws IOException {
    if (s instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
  }

  /** Plain file system access with memory-mapped reads. */
  FileAccess DEFAULT =
      new FileAccess() {
        @Override
        public ByteSource open(Path file) throws IOException {
          return MappedFileSource.open(file);
        }

        @Override
        public List<Path> list(Path dir) throws IOException {
          List<Path> out = new ArrayList<>();
          try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
              out.add(p);
            }
          }
          out.sort(Comparator.comparing(p -> p.getFileName().toString()));
          return out;
        }

        @Override
        public boolean isDirectory(Path p) {
          return Files.isDirectory(p);
        }

        @Override
        public boolean exists(Path p) {
          return Files.exists(p);
        }

        @Override
        public long size(Path file) throws IOException {
          return Files.size(file);
        }

        @Override
        public byte[] readAll(Path file) throws IOException {
          return Files.readAllBytes(file);
        }
      };
}
