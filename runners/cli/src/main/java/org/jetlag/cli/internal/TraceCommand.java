package org.jetlag.cli.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jetlag.cli.ExitCodes;
import org.jetlag.graph.JetLagException;
import org.jetlag.perf.ChromeTrace;
import org.jetlag.perf.Trace;
import org.jetlag.perf.TraceJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jetlag trace --chrome run.json}: converts a saved trace for other viewers. */
@Command(
    name = "trace",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Convert a trace saved by 'jetlag run --trace' to the Chrome Trace Event format, which"
          + " Perfetto (ui.perfetto.dev) and chrome://tracing open: one row per worker thread,"
          + " one slice per task named by its node id."
    },
    exitCodeListHeading = JetLagCommand.EXIT_HEADING,
    exitCodeList = {
      JetLagCommand.EXIT_0,
      JetLagCommand.EXIT_2,
      "3:trace file unreadable or not a JetLag trace",
      JetLagCommand.EXIT_5
    },
    footer = {
      "%nExamples:",
      "  jetlag trace --chrome run.json > chrome.json",
      "  jetlag trace --chrome run.json -o chrome.json",
      JetLagCommand.FOOTER
    })
final class TraceCommand implements Callable<Integer>, JetLagCommand.HasVerbosity {
  @Spec CommandSpec spec;

  @Mixin Verbosity verbosity = new Verbosity();

  @Parameters(index = "0", paramLabel = "TRACE", description = "A trace JSON file.")
  Path trace;

  @Option(
      names = "--chrome",
      required = true,
      description = "Write the Chrome Trace Event JSON (the only conversion so far).")
  boolean chrome;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE (atomically) instead of standard output.")
  Path output;

  @Override
  public Verbosity verbosity() {
    return verbosity;
  }

  @Override
  public Integer call() {
    Trace t = read(trace);
    if (output != null) {
      try {
        ChromeTrace.write(t, output);
      } catch (JetLagException e) {
        throw new CliException(ExitCodes.OUTPUT_FAILED, JetLagCommand.oneLine(e.getMessage()), e);
      }
      return ExitCodes.OK;
    }
    PrintWriter out = spec.commandLine().getOut();
    try {
      ChromeTrace.write(t, out);
    } catch (IOException e) {
      throw new CliException(ExitCodes.OUTPUT_FAILED, "standard output: " + e.getMessage(), e);
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** Reads a trace file; problems exit with status 3 naming the file. */
  static Trace read(Path file) {
    try {
      return TraceJson.read(file);
    } catch (JetLagException e) {
      throw new CliException(ExitCodes.BAD_GRAPH, JetLagCommand.oneLine(e.getMessage()), e);
    }
  }
}
