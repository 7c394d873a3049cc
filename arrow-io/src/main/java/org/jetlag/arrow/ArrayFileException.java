package org.jetlag.arrow;

import java.nio.file.Path;
import java.util.Objects;
import org.jetlag.graph.JetLagException;

/**
 * A problem with an array file: missing, empty, truncated, corrupt, of an unsupported type or
 * shape, or not writable.
 *
 * <p>The message is one line of the form {@code file '/data/x.npy': truncated: expected 8000 data
 * bytes, found 4000}; {@link #file()} gives the path.
 */
public class ArrayFileException extends JetLagException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /** A problem with {@code file}, described by {@code problem} (expected versus actual). */
  public ArrayFileException(Path file, String problem) {
    this(file, problem, null);
  }

  /** A problem with {@code file}, with the exception that revealed it. */
  public ArrayFileException(Path file, String problem, Throwable cause) {
    super("file '" + Objects.requireNonNull(file, "file") + "': " + problem, cause);
    this.file = file;
  }

  /** The file the problem concerns. */
  public Path file() {
    return file;
  }
}
