package org.jetlag.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import org.jetlag.cli.internal.JetLagCommand;
import picocli.CommandLine;

/**
 * The entry point of the {@code jetlag} command ({@code bin/jetlag} runs it).
 *
 * <p>{@link #execute} runs one command line in-process with the given streams and returns the exit
 * status from {@link ExitCodes}; {@link #main} does the same on the standard streams and exits.
 */
public final class Main {
  private Main() {}

  /** Runs the command line and exits the JVM with its status. */
  public static void main(String[] args) {
    Charset cs = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true);
    int status = execute(out, err, args);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /**
   * Runs one command line, writing results to {@code out} and messages to {@code err}.
   *
   * @return the exit status, one of {@link ExitCodes}
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine(out, err);
    int status = cl.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /** The configured picocli command line, for tests and for embedding. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    return JetLagCommand.commandLine(out, err);
  }
}
