package org.jetlag.cli.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jetlag.cli.ExitCodes;
import org.jetlag.cli.Main;
import org.jetlag.cli.internal.CliException;
import org.jetlag.graph.JetLagException;
import org.jetlag.remote.SessionJobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jetlag job-driver DIR} (hidden): the driver of one job on a Flink session cluster, started
 * detached by {@code jetlag submit --target flink://host:port} ({@link SessionJobs}). It runs the
 * job's bundle as {@code jetlag run --runner flink --flink-master host:port} does, with outputs and
 * trace in {@code DIR/output}, and records RUNNING and the end in {@code DIR/status.json}. On
 * SIGTERM ({@code jetlag job ID cancel}) the run's shutdown hook cancels the Flink job through the
 * cluster's REST API, and the job ends CANCELLED.
 */
@Command(
    name = "job-driver",
    hidden = true,
    description = "Run one job folder of 'jetlag submit --target flink://…' (started by submit).")
public final class JobDriverCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "DIR", description = "The job's folder.")
  Path dir;

  @Override
  public Integer call() {
    SessionJobs.Recorder rec;
    try {
      rec = SessionJobs.Recorder.of(dir);
    } catch (JetLagException e) {
      throw new CliException(ExitCodes.USAGE, "jetlag job-driver: " + e.getMessage(), e);
    }
    PrintWriter err = spec.commandLine().getErr();
    if (rec.cancelRequested()) {
      rec.ended("CANCELLED", "CANCELLED_BY_USER", "cancelled before it started", List.of());
      return ExitCodes.CANCELLED;
    }
    JsonNode job = rec.job();
    List<String> args;
    try {
      args = runArgs(job);
    } catch (IOException | JetLagException e) {
      rec.ended(
          "FAILED", "BAD_BUNDLE", "cannot read the job's bundle: " + e.getMessage(), List.of());
      return ExitCodes.RUN_FAILED;
    }
    // On SIGTERM the JVM runs jetlag run's hook (cancels the Flink job) and this one, which waits
    // until the end is recorded below: the JVM must not halt before that.
    CountDownLatch recorded = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              try {
                recorded.await(40, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "jetlag-job-driver");
    Runtime.getRuntime().addShutdownHook(hook);
    LastLines tail = new LastLines(err, 12);
    int rc;
    try {
      rec.running(
          "Running on "
              + job.path("target").asText()
              + " (driver pid "
              + ProcessHandle.current().pid()
              + ")");
      err.println("jetlag job-driver: jetlag " + String.join(" ", args));
      err.flush();
      PrintWriter out = spec.commandLine().getOut();
      try (PrintWriter errTee = new PrintWriter(tail, true)) {
        rc = Main.execute(out, errTee, args.toArray(String[]::new));
      }
      String message = tail.last().orElse("");
      List<String> flinkJobs =
          flinkJobs(dir.resolve("output").resolve("trace.json.flink-jobs.json"));
      if (rc == ExitCodes.OK) {
        rec.ended(
            "FINISHED",
            "NORMAL_COMPLETION",
            "Finished: " + flinkJobs.size() + " Flink job(s) on " + job.path("target").asText(),
            flinkJobs);
      } else if (rc == ExitCodes.CANCELLED || rec.cancelRequested()) {
        rec.ended("CANCELLED", "CANCELLED_BY_USER", "cancelled: " + message, flinkJobs);
        rc = ExitCodes.CANCELLED;
      } else {
        rec.ended("FAILED", condition(rc, message), message, flinkJobs);
      }
    } finally {
      recorded.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // SIGTERM: the hook is running and has just been released
      }
    }
    return rc;
  }

  /** The {@code jetlag run} command line of the job's bundle. */
  private List<String> runArgs(JsonNode job) throws IOException {
    Path bundle = dir.resolve("bundle");
    Path out = dir.resolve("output");
    List<String> a = new ArrayList<>();
    a.addAll(
        List.of(
            "run",
            bundle.resolve("graph.json").toString(),
            "--output",
            out.toString(),
            "--trace",
            out.resolve("trace.json").toString()));
    for (String line : Files.readAllLines(bundle.resolve("inputs.txt"), StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] kv = line.split("\t", 2);
      if (kv.length != 2 || kv[1].contains("..")) {
        throw new JetLagException("inputs.txt: bad line '" + line + "'");
      }
      a.addAll(List.of("--input", kv[0] + "=" + bundle.resolve(kv[1])));
    }
    for (String arg : Files.readAllLines(bundle.resolve("run-args.txt"), StandardCharsets.UTF_8)) {
      if (arg.isBlank()) {
        continue;
      }
      if (arg.equals("--flink-master") || arg.equals("--work-dir")) {
        throw new JetLagException("run-args.txt: " + arg + " is the driver's to set");
      }
      a.add(arg);
    }
    a.addAll(
        List.of(
            "--flink-master",
            job.path("master").asText(),
            "--work-dir",
            dir.resolve("work").toString()));
    if (job.has("parallelism")) {
      a.addAll(List.of("--threads", job.path("parallelism").asText()));
    }
    return a;
  }

  private static List<String> flinkJobs(Path details) {
    List<String> ids = new ArrayList<>();
    try {
      if (Files.isRegularFile(details)) {
        for (JsonNode j : JSON.readTree(details.toFile())) {
          if (j.hasNonNull("jid")) {
            ids.add(j.get("jid").asText());
          }
        }
      }
    } catch (IOException e) {
      // the details are a help, not the job's result
    }
    return ids;
  }

  private static String condition(int rc, String message) {
    if (message.contains("timed out") || message.contains("timeout")) {
      return "TIMEOUT";
    }
    switch (rc) {
      case ExitCodes.BAD_GRAPH:
        return "BAD_GRAPH";
      case ExitCodes.OUTPUT_FAILED:
        return "OUTPUT_FAILED";
      default:
        return "JOB_EXECUTION_FAILED";
    }
  }

  /** Passes everything on and keeps the last few non-empty lines (the run's error message). */
  private static final class LastLines extends Writer {
    private final PrintWriter to;
    private final int keep;
    private final Deque<String> lines = new ArrayDeque<>();
    private final StringBuilder line = new StringBuilder();

    LastLines(PrintWriter to, int keep) {
      this.to = to;
      this.keep = keep;
    }

    @Override
    public synchronized void write(char[] buf, int off, int len) {
      to.write(buf, off, len);
      for (int i = off; i < off + len; i++) {
        char c = buf[i];
        if (c == '\n') {
          endLine();
        } else if (c != '\r') {
          line.append(c);
        }
      }
    }

    private void endLine() {
      String s = line.toString().strip();
      line.setLength(0);
      if (!s.isEmpty()) {
        lines.addLast(s);
        if (lines.size() > keep) {
          lines.removeFirst();
        }
      }
    }

    synchronized java.util.Optional<String> last() {
      endLine();
      return java.util.Optional.ofNullable(lines.peekLast());
    }

    @Override
    public void flush() {
      to.flush();
    }

    @Override
    public void close() {
      to.flush();
    }
  }
}
