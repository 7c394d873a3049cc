package org.jetlag.cli.internal.remote;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jetlag.cli.ExitCodes;
import org.jetlag.cli.internal.CliException;
import org.jetlag.graph.JetLagException;
import org.jetlag.remote.RemoteJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code jetlag jobs}: the user's Tapis and Flink session jobs with their states. */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description =
        "List your jobs (Tapis, and Flink session jobs of this machine), newest first, with their states.")
public final class JobsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--limit", paramLabel = "N", description = "At most N jobs (default: 20).")
  int limit = 20;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<RemoteJob> jobs = new ArrayList<>(Remote.sessions().jobs(limit));
    try {
      jobs.addAll(Remote.client().jobs(limit));
    } catch (CliException e) {
      if (jobs.isEmpty()) {
        throw e;
      }
      err.println(e.getMessage() + " (only Flink session jobs are listed)");
      err.flush();
    } catch (JetLagException e) {
      throw Remote.failure(e);
    }
    jobs.sort(Comparator.comparing(RemoteJob::created).reversed());
    jobs = jobs.subList(0, Math.min(limit, jobs.size()));
    if (jobs.isEmpty()) {
      out.println("no jobs");
    } else {
      String row = "%-36s %-10s %-20s %-22s %-24s %s%n";
      out.printf(Locale.ROOT, row, "JOB", "STATUS", "CONDITION", "WHERE", "CREATED", "NAME");
      for (RemoteJob j : jobs) {
        String where =
            j.execSystemId().startsWith("flink://")
                ? j.execSystemId()
                : "tapis:" + j.execSystemId();
        out.printf(
            Locale.ROOT, row, j.uuid(), j.status(), j.condition(), where, j.created(), j.name());
      }
    }
    out.flush();
    return ExitCodes.OK;
  }
}
