package org.jetlag.cli.internal;

import org.jetlag.graph.JetLagException;

/**
 * A failure the command reports with a complete, user-facing message and a definite exit status.
 */
public final class CliException extends JetLagException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /** A failure with exit status {@code exitCode} and a complete message. */
  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** A failure with exit status {@code exitCode} and a complete message. */
  public CliException(int exitCode, String message) {
    this(exitCode, message, null);
  }

  /** The process exit status for this failure. */
  public int exitCode() {
    return exitCode;
  }
}
