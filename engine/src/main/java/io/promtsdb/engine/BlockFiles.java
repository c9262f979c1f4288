package io.promtsdb.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The file operations block creation and deletion rely on, with Prometheus' semantics
 * ({@code fileutil.Replace}, {@code os.RemoveAll}, directory fsync).
 */
final class BlockFiles {
  /** Suffix of a block directory being written (Go's {@code tmpForCreationBlockDirSuffix}). */
  static final String TMP_FOR_CREATION = ".tmp-for-creation";

  /** Suffix of a block directory being deleted (Go's {@code tmpForDeletionBlockDirSuffix}). */
  static final String TMP_FOR_DELETION = ".tmp-for-deletion";

  private BlockFiles() {}

  /** Writes {@code bytes} to {@code file} and fsyncs it. */
  static void writeSynced(Path file, byte[] bytes) throws IOException {
    try (FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
  }

  /**
   * Go's {@code fileutil.Replace}: removes {@code to} if it is a directory, renames {@code
   * from} to {@code to} atomically and fsyncs the parent directory so the rename survives a
   * crash.
   */
  static void replace(Path from, Path to) throws IOException {
    if (Files.isDirectory(to)) {
      deleteRecursively(to);
    }
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
    if (Files.isDirectory(to)) {
      CrashPoints.reach(CrashPoints.BLOCK_RENAMED);
    }
    syncDirectory(to.toAbsolutePath().getParent());
  }

  /** Makes directory entries durable; not possible on every platform (Windows), as in Go. */
  static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // Directories cannot be opened everywhere; Prometheus skips the sync there too.
    }
  }

  /** Go's {@code os.RemoveAll}: no error when {@code p} does not exist. */
  static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        p,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
            if (exc instanceof NoSuchFileException) {
              return FileVisitResult.CONTINUE;
            }
            throw exc;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            if (exc != null && !(exc instanceof NoSuchFileException)) {
              throw exc;
            }
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /**
   * Deletes a block directory so that no half-deleted block is ever visible: first an atomic
   * rename to {@code <ulid>.tmp-for-deletion} (ignored when opening a data dir), then the
   * recursive delete (Go's {@code DB.deleteBlocks}).
   */
  static void deleteBlock(Path blockDir) throws IOException {
    Path tmp = blockDir.resolveSibling(blockDir.getFileName() + TMP_FOR_DELETION);
    deleteRecursively(tmp);
    if (Files.exists(blockDir)) {
      try {
        Files.move(blockDir, tmp, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(blockDir, tmp);
      }
      syncDirectory(blockDir.toAbsolutePath().getParent());
      CrashPoints.reach(CrashPoints.BLOCK_DELETE_RENAMED);
    }
    deleteRecursively(tmp);
  }
}
