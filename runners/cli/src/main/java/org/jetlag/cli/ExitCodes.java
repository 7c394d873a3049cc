package org.jetlag.cli;

/**
 * The exit statuses of the {@code jetlag} command, as documented in {@code docs/cli.md} and in each
 * command's {@code --help}.
 */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** A bug in JetLag: an unexpected exception (the message says which). */
  public static final int INTERNAL = 1;

  /** Bad command line: unknown option, bad value, unknown op or input name. */
  public static final int USAGE = 2;

  /** The graph file could not be read, or it is not a valid graph. */
  public static final int BAD_GRAPH = 3;

  /** The run failed: a node failed, or input data was missing, corrupt or of the wrong type. */
  public static final int RUN_FAILED = 4;

  /** An output could not be written (including an unusable {@code --output} folder). */
  public static final int OUTPUT_FAILED = 5;

  /** The run was cancelled (Ctrl-C). */
  public static final int CANCELLED = 130;

  private ExitCodes() {}
}
