package io.promtsdb.wal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Every file-system operation the writer, repair and checkpointing perform, behind one seam
 * so that tests can make any of them fail (see {@link FaultInjectingFileOps}), in the manner
 * of QuestDB's {@code FilesFacade}. {@link #DEFAULT} uses {@code java.nio}.
 */
public interface FileOps {
  FileOps DEFAULT = new NioFileOps();

  /**
   * Opens {@code file} for appending. With {@code create}, creates it if missing (Go's
   * {@code O_CREATE|O_APPEND}); without, it must exist.
   */
  SegmentFile openAppend(Path file, boolean create) throws IOException;

  /** The entries of {@code dir}, sorted by name. */
  List<Path> list(Path dir) throws IOException;

  void createDirectories(Path dir) throws IOException;

  /** Renames, replacing {@code to} if it exists; atomic where the platform allows. */
  void rename(Path from, Path to) throws IOException;

  /** Deletes a file or an empty directory; a missing path is not an error. */
  void delete(Path path) throws IOException;

  /** Deletes a directory and everything in it; a missing path is not an error. */
  void deleteRecursively(Path path) throws IOException;

  /** Makes a directory's entries durable (fsync of the directory), where possible. */
  void syncDirectory(Path dir) throws IOException;

  boolean exists(Path path);

  boolean isDirectory(Path path);
}
