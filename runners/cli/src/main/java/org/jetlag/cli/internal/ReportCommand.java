package org.jetlag.cli.internal;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jetlag.cli.ExitCodes;
import org.jetlag.graph.JetLagException;
import org.jetlag.perf.Advice;
import org.jetlag.perf.HtmlReport;
import org.jetlag.perf.ProfileCsv;
import org.jetlag.perf.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jetlag report run.json}: the timing summary of a saved trace, and its reports. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Summarise a trace saved by 'jetlag run --trace': print the per-node timing table and the"
          + " advice, and optionally re-render the HTML report or the CSV profile from it."
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
      "  jetlag report run.json",
      "  jetlag report run.json --html run.html --profile run.csv",
      JetLagCommand.FOOTER
    })
final class ReportCommand implements Callable<Integer>, JetLagCommand.HasVerbosity {
  @Spec CommandSpec spec;

  @Mixin Verbosity verbosity = new Verbosity();

  @Parameters(index = "0", paramLabel = "TRACE", description = "A trace JSON file.")
  Path trace;

  @Option(names = "--html", paramLabel = "FILE", description = "Write the HTML report to FILE.")
  Path html;

  @Option(names = "--profile", paramLabel = "FILE", description = "Write the CSV profile to FILE.")
  Path csv;

  @Option(
      names = {"-n", "--top"},
      paramLabel = "N",
      defaultValue = "15",
      description = "Rows of the timing table (default: ${DEFAULT-VALUE}).")
  int top;

  @Override
  public Verbosity verbosity() {
    return verbosity;
  }

  @Override
  public Integer call() {
    Trace t = TraceCommand.read(trace);
    PrintWriter out = spec.commandLine().getOut();
    out.print(t.profile().table(Math.max(1, top)));
    for (String advice : Advice.of(t)) {
      out.println("advice: " + advice);
    }
    try {
      if (html != null) {
        HtmlReport.write(t, html);
        out.println("wrote " + html);
      }
      if (csv != null) {
        ProfileCsv.write(t, csv);
        out.println("wrote " + csv);
      }
    } catch (JetLagException e) {
      throw new CliException(ExitCodes.OUTPUT_FAILED, JetLagCommand.oneLine(e.getMessage()), e);
    }
    out.flush();
    return ExitCodes.OK;
  }
}
