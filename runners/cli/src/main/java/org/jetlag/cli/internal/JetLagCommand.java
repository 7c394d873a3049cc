package org.jetlag.cli.internal;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.CancellationException;
import org.jetlag.cli.ExitCodes;
import org.jetlag.graph.JetLagException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level {@code jetlag} command; its sub-commands do the work. */
@Command(
    name = "jetlag",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run, validate and inspect JetLag array graphs.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      OpsCommand.class,
      TraceCommand.class,
      ReportCommand.class,
      org.jetlag.cli.internal.remote.RemoteCommand.class,
      org.jetlag.cli.internal.remote.SubmitCommand.class,
      org.jetlag.cli.internal.remote.JobsCommand.class,
      org.jetlag.cli.internal.remote.JobCommand.class,
      org.jetlag.cli.internal.remote.JobDriverCommand.class,
      ClusterCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = JetLagCommand.EXIT_HEADING,
    exitCodeList = {
      JetLagCommand.EXIT_0,
      JetLagCommand.EXIT_2,
      JetLagCommand.EXIT_3,
      JetLagCommand.EXIT_4,
      JetLagCommand.EXIT_5,
      JetLagCommand.EXIT_130
    },
    footer = JetLagCommand.FOOTER)
public final class JetLagCommand implements Runnable {
  static final String EXIT_HEADING = "%nExit codes:%n";
  static final String EXIT_0 = "0:ok";
  static final String EXIT_2 = "2:usage error (bad option or value, unknown op or input name)";
  static final String EXIT_3 = "3:graph file unreadable or invalid";
  static final String EXIT_4 =
      "4:the run failed (a node failed; input data missing, corrupt or of the wrong type)";
  static final String EXIT_5 = "5:an output could not be written";
  static final String EXIT_130 = "130:cancelled (Ctrl-C)";
  static final String FOOTER = "%nSee docs/cli.md for details and examples.";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(),
        "missing command: expected one of run, validate, ops, trace, report, cluster");
  }

  /** A configured command line writing to {@code out} and {@code err}. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new JetLagCommand());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(JetLagCommand::usageError);
    cl.setExecutionExceptionHandler(JetLagCommand::failure);
    return cl;
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    String name = cl.getCommandSpec().qualifiedName();
    cl.getErr().println(name + ": " + oneLine(e.getMessage()) + " (see '" + name + " --help')");
    cl.getErr().flush();
    return ExitCodes.USAGE;
  }

  private static int failure(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    int code;
    String message;
    if (e instanceof CliException) {
      code = ((CliException) e).exitCode();
      message = e.getMessage();
    } else if (e instanceof CancellationException) {
      code = ExitCodes.CANCELLED;
      message = "jetlag: cancelled";
    } else if (e instanceof JetLagException) {
      code = ExitCodes.RUN_FAILED;
      message = oneLine(e.getMessage());
    } else {
      code = ExitCodes.INTERNAL;
      message = "jetlag: internal error (please report it): " + oneLine(String.valueOf(e));
    }
    if (!message.isEmpty()) {
      err.println(message);
    }
    Object cmd = cl.getCommand();
    boolean verbose = cmd instanceof HasVerbosity && ((HasVerbosity) cmd).verbosity().verbose();
    if (verbose) {
      StringWriter sw = new StringWriter();
      e.printStackTrace(new PrintWriter(sw));
      err.print(sw);
    }
    err.flush();
    return code;
  }

  /** Collapses a message onto one line. */
  static String oneLine(String s) {
    return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", "; ");
  }

  /** A command with the shared {@code --verbose} option. */
  interface HasVerbosity {
    Verbosity verbosity();
  }
}
