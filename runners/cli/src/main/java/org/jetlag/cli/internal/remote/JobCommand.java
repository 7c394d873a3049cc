package org.jetlag.cli.internal.remote;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jetlag.cli.ExitCodes;
import org.jetlag.cli.internal.CliException;
import org.jetlag.graph.JetLagException;
import org.jetlag.remote.JobEvent;
import org.jetlag.remote.JobService;
import org.jetlag.remote.RemoteJob;
import org.jetlag.remote.RemoteJobs;
import org.jetlag.remote.SessionJobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jetlag job <id> status|history|cancel|fetch|wait}. */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Look after one job (Tapis or Flink session): status, history, cancel, wait, or fetch its"
          + " outputs and trace"
          + " into a folder that 'jetlag report DIR/trace.json' opens like a local run."
    },
    footer = {
      "%nExamples:",
      "  jetlag job 0d6c…-007 status",
      "  jetlag job 0d6c…-007 fetch --to results/",
      "  jetlag report results/trace.json"
    })
public final class JobCommand implements Callable<Integer> {
  /** What to do with the job. */
  enum Action {
    status,
    history,
    cancel,
    fetch,
    wait
  }

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ID",
      description = "The job id that 'jetlag submit' printed.")
  String id;

  @Parameters(index = "1", paramLabel = "ACTION", description = "One of: ${COMPLETION-CANDIDATES}.")
  Action action;

  @Option(
      names = "--to",
      paramLabel = "DIR",
      description = "fetch: the folder to write into (default: ./<id>); it must be new or empty.")
  Path to;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JobService c = Remote.serviceOf(id);
    try {
      switch (action) {
        case status:
          {
            RemoteJob j = c.job(id);
            out.println(
                j.uuid()
                    + ": "
                    + j.status()
                    + (j.condition().isEmpty() ? "" : " (" + j.condition() + ")"));
            if (c instanceof SessionJobs) {
              out.println("  on " + j.execSystemId() + " (driver on this machine)");
              if (!j.remoteJobId().isEmpty()) {
                out.println("  Flink jobs " + j.remoteJobId());
              }
            } else if (!j.remoteJobId().isEmpty()) {
              out.println("  Slurm job " + j.remoteJobId() + " on " + j.execSystemId());
            }
            if (!j.lastMessage().isEmpty()) {
              out.println("  " + j.lastMessage());
            }
            out.flush();
            return ExitCodes.OK;
          }
        case history:
          for (JobEvent e : c.history(id)) {
            out.printf(
                Locale.ROOT, "%-28s %-16s %s%n", e.created(), e.eventDetail(), e.description());
          }
          out.flush();
          return ExitCodes.OK;
        case cancel:
          c.cancel(id);
          out.println(id + ": cancel requested");
          out.flush();
          return ExitCodes.OK;
        case wait:
          return follow(c, id, out, err, Instant.now());
        case fetch:
          {
            RemoteJob j = c.status(id);
            if (!j.terminal()) {
              throw new CliException(
                  ExitCodes.RUN_FAILED,
                  "jetlag: job "
                      + id
                      + " is "
                      + j.status()
                      + "; fetch it when it has ended (jetlag job "
                      + id
                      + " wait)");
            }
            Path dir = to == null ? Path.of(id) : to;
            List<String> files = c.fetch(id, dir);
            for (String f : files) {
              out.println("wrote " + dir.resolve(f));
            }
            if (files.contains("trace.json")) {
              out.println("open the trace with: jetlag report " + dir.resolve("trace.json"));
            }
            out.flush();
            return "FINISHED".equals(j.status()) ? ExitCodes.OK : ExitCodes.RUN_FAILED;
          }
      }
      throw new IllegalStateException("unknown action " + action);
    } catch (JetLagException e) {
      if (e instanceof CliException) {
        throw e;
      }
      throw Remote.failure(e);
    }
  }

  /** Follows the job with a status line to its end; prints the remote log when it failed. */
  static int follow(JobService c, String uuid, PrintWriter out, PrintWriter err, Instant t0) {
    boolean tty = System.console() != null;
    RemoteJob end;
    try {
      end =
          c.follow(
              uuid,
              JobService.Polling.defaults(),
              Clock.systemUTC(),
              j -> {
                String line =
                    String.format(
                        Locale.ROOT,
                        "[%7s] %s: %s",
                        Remote.seconds(SubmitCommand.since(t0)),
                        shortId(uuid),
                        RemoteJobs.describe(j));
                if (tty) {
                  err.print("\r\033[K" + line);
                  if (j.terminal()) {
                    err.println();
                  }
                } else {
                  err.println(line);
                }
                err.flush();
              },
              trouble -> {
                err.println(
                    (tty ? "\r\033[K" : "")
                        + "  (lost the connection; still following: "
                        + Remote.oneLine(trouble)
                        + ")");
                err.flush();
              });
    } catch (JetLagException e) {
      throw Remote.failure(e);
    }
    Duration total = SubmitCommand.since(t0);
    String wait = phases(c, uuid).orElse("");
    if (end.status().equals("FINISHED")) {
      out.println(uuid + " FINISHED in " + Remote.seconds(total) + wait);
      out.println("fetch the outputs and trace with: jetlag job " + uuid + " fetch");
      out.flush();
      return ExitCodes.OK;
    }
    out.println(
        uuid
            + " "
            + end.status()
            + (end.condition().isEmpty() ? "" : " (" + end.condition() + ")")
            + " after "
            + Remote.seconds(total));
    out.flush();
    if (end.status().equals("FAILED")) {
      Optional<String> log = c.log(uuid, 30);
      if (log.isPresent()) {
        err.println(
            (c instanceof SessionJobs ? "the driver's log" : "remote log")
                + " (last lines of jetlag.log):");
        log.get().lines().forEach(l -> err.println("  | " + l));
      } else {
        err.println("no remote log: " + Remote.oneLine(end.lastMessage()));
      }
      err.flush();
      return ExitCodes.RUN_FAILED;
    }
    return ExitCodes.CANCELLED;
  }

  /**
   * Where the time went, from the job's history (Tapis's own timestamps, so not limited by the
   * polling interval), such as {@code (staging 1.7 s, queued 0.5 s, running 4.7 s)}.
   */
  static Optional<String> phases(JobService c, String uuid) {
    try {
      java.util.Map<String, Instant> at = new java.util.LinkedHashMap<>();
      for (JobEvent e : c.history(uuid)) {
        at.putIfAbsent(e.eventDetail(), Instant.parse(e.created()));
      }
      Instant pending = at.get("PENDING");
      Instant q = at.get("QUEUED");
      Instant r = at.get("RUNNING");
      Instant a = at.containsKey("ARCHIVING") ? at.get("ARCHIVING") : at.get("FINISHED");
      if (pending != null && q == null && r != null && a != null) {
        // a Flink session job: no queue, no staging
        return Optional.of(
            " (driver start "
                + Remote.seconds(Duration.between(pending, r))
                + ", running "
                + Remote.seconds(Duration.between(r, a))
                + ")");
      }
      if (pending == null || q == null || r == null || a == null) {
        return Optional.empty();
      }
      return Optional.of(
          " (staging "
              + Remote.seconds(Duration.between(pending, q))
              + ", queued "
              + Remote.seconds(Duration.between(q, r))
              + ", running "
              + Remote.seconds(Duration.between(r, a))
              + ")");
    } catch (JetLagException | java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String shortId(String uuid) {
    return uuid.length() > 8 ? uuid.substring(0, 8) : uuid;
  }
}
