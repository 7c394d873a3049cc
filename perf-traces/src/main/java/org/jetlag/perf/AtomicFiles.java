package org.jetlag.perf;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jetlag.graph.JetLagException;

/** Writes text files atomically: a temporary file in the same folder, then a rename. */
final class AtomicFiles {
  private AtomicFiles() {}

  /** The body that writes the content. */
  @FunctionalInterface
  interface Body {
    void write(Writer w) throws IOException;
  }

  static void write(Path file, Body body) {
    Path dir = file.toAbsolutePath().getParent();
    Path tmp = null;
    try {
      tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        body.write(w);
      }
      readableByAll(tmp);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException | RuntimeException e) {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new JetLagException(file + ": cannot write: " + e.getMessage(), e);
    }
  }

  /**
   * Temporary files are created owner-only; a report or trace is an ordinary document, so it gets
   * the usual rw-r--r-- (on file systems without POSIX permissions nothing changes).
   */
  static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep its defaults
    }
  }
}
