package org.jetlag.cli.internal;

import picocli.CommandLine.Option;

/** The {@code --verbose} option every command shares: stack traces with errors. */
public final class Verbosity {
  @Option(
      names = {"-v", "--verbose"},
      description = "Print more detail, and a stack trace with errors.")
  boolean verbose;

  /** True when {@code --verbose} was given. */
  public boolean verbose() {
    return verbose;
  }
}
