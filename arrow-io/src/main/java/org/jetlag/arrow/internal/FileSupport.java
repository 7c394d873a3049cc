package org.jetlag.arrow.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.jetlag.arrow.ArrayFileException;

/** Opening files for reading with clear errors, and atomic writes through a temporary file. */
public final class FileSupport {
  private FileSupport() {}

  /**
   * Opens {@code path} for reading.
   *
   * @throws ArrayFileException if it is missing, a directory, unreadable or empty
   */
  public static FileChannel openForRead(Path path) {
    if (Files.isDirectory(path)) {
      throw new ArrayFileException(path, "is a directory, expected a file");
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new ArrayFileException(path, "does not exist", e);
    } catch (AccessDeniedException e) {
      throw new ArrayFileException(path, "cannot be read: permission denied", e);
    } catch (IOException e) {
      throw new ArrayFileException(path, "cannot be opened: " + e, e);
    }
    try {
      if (ch.size() == 0) {
        throw new ArrayFileException(path, "is empty (0 bytes)");
      }
    } catch (IOException e) {
      closeQuietly(ch, e);
      throw new ArrayFileException(path, "cannot be read: " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(ch, e);
      throw e;
    }
    return ch;
  }

  /**
   * Creates a temporary file beside {@code target} (same directory, so the final move is atomic).
   *
   * @throws ArrayFileException if the directory is missing or not writable
   */
  public static Path createTemp(Path target) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir == null) {
      throw new ArrayFileException(target, "cannot be written: it has no parent directory");
    }
    if (Files.isDirectory(abs)) {
      throw new ArrayFileException(target, "cannot be written: it is a directory");
    }
    try {
      return Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    } catch (NoSuchFileException | NotDirectoryException e) {
      throw new ArrayFileException(
          target, "cannot be written: directory " + dir + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new ArrayFileException(
          target, "cannot be written: directory " + dir + " is not writable", e);
    } catch (FileSystemException e) {
      throw new ArrayFileException(
          target, "cannot be written in directory " + dir + ": " + reason(e), e);
    } catch (IOException e) {
      throw new ArrayFileException(target, "cannot be written: " + e, e);
    }
  }

  /** Moves a finished temporary file onto {@code target} atomically, replacing it. */
  public static void commit(Path temp, Path target) {
    try {
      try {
        // temporary files are owner-only; an output array is an ordinary data file
        Files.setPosixFilePermissions(
            temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(temp);
      throw new ArrayFileException(target, "cannot be moved into place: " + e, e);
    }
  }

  /** Deletes {@code temp} if it exists, ignoring failures (used while already failing). */
  public static void deleteQuietly(Path temp) {
    try {
      Files.deleteIfExists(temp);
    } catch (IOException e) {
      // Nothing more can be done; the caller is already reporting the original failure.
    }
  }

  /** Closes {@code c}, attaching any failure to {@code primary}. */
  public static void closeQuietly(AutoCloseable c, Throwable primary) {
    try {
      c.close();
    } catch (Exception e) {
      primary.addSuppressed(e);
    }
  }

  private static String reason(FileSystemException e) {
    return e.getReason() != null ? e.getReason() : e.toString();
  }

  /** A functional body that writes a whole file to a temporary path. */
  @FunctionalInterface
  public interface Body {
    /** Writes the whole file to {@code temp}. */
    void write(Path temp) throws IOException;
  }

  /**
   * Writes {@code target} atomically: runs {@code body} on a temporary file in the same directory,
   * then moves it into place. On any failure no temporary file remains and the target is untouched.
   */
  public static void writeAtomically(Path target, Body body) {
    Path temp = createTemp(target);
    boolean done = false;
    try {
      body.write(temp);
      commit(temp, target);
      done = true;
    } catch (IOException e) {
      throw new ArrayFileException(target, "write failed: " + e, e);
    } finally {
      if (!done) {
        deleteQuietly(temp);
      }
    }
  }
}
