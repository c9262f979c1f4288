package io.promtsdb.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** One-line error messages: the file, the offset when known, and what is wrong. */
final class Errors {
  private Errors() {}

  static String describe(Throwable t) {
    String msg;
    if (t instanceof NoSuchFileException e) {
      msg = e.getFile() + ": " + (e.getReason() != null ? e.getReason() : "no such file or directory");
    } else if (t instanceof AccessDeniedException e) {
      msg = e.getFile() + ": permission denied";
    } else if (t instanceof NotDirectoryException e) {
      msg = e.getFile() + ": not a directory";
    } else if (t instanceof FileSystemException e && e.getReason() != null) {
      msg = e.getFile() + ": " + e.getReason();
    } else if (t.getMessage() != null && !t.getMessage().isBlank()) {
      msg = t.getMessage();
    } else {
      msg = t.getClass().getSimpleName();
    }
    return msg.replace('\n', ' ').replace('\r', ' ');
  }
}
