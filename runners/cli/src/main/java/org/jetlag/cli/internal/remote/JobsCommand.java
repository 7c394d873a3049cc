package org.jetlag.cli.internal.remote;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jetlag.cli.ExitCodes;
import org.jetlag.graph.JetLagException;
import org.jetlag.remote.RemoteJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jetlag jobs}: the user's Tapis jobs with their states. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = "List your Tapis jobs, newest first, with their states.")
public final class JobsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--limit", paramLabel = "N", description = "At most N jobs (default: 20).")
  int limit = 20;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<RemoteJob> jobs;
    try {
      jobs = Remote.client().jobs(limit);
    } catch (JetLagException e) {
      throw Remote.failure(e);
    }
    if (jobs.isEmpty()) {
      out.println("no jobs");
    } else {
      out.printf(
          Locale.ROOT,
          "%-40s %-11s %-26s %-24s %s%n",
          "JOB",
          "STATUS",
          "CONDITION",
          "CREATED",
          "NAME");
      for (RemoteJob j : jobs) {
        out.printf(
            Locale.ROOT,
            "%-40s %-11s %-26s %-24s %s%n",
            j.uuid(),
            j.status(),
            j.condition(),
            j.created(),
            j.name());
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
