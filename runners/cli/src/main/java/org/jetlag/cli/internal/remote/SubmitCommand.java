package org.jetlag.cli.internal.remote;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.jetlag.cli.ExitCodes;
import org.jetlag.cli.internal.CliException;
import org.jetlag.graph.Graph;
import org.jetlag.graph.JetLagException;
import org.jetlag.graph.Node;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.remote.JobService;
import org.jetlag.remote.RemoteJob;
import org.jetlag.remote.RunSettings;
import org.jetlag.remote.Submission;
import org.jetlag.remote.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jetlag submit graph.json --target tapis:SYSTEM|flink://HOST:PORT}: a remote run through
 * Tapis and Slurm, or on a Flink session cluster.
 */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Send a graph and its inputs to a Tapis execution system, where the graph runs in the"
          + " system's batch queue with the JetLag runtime installed there, or to a Flink session"
          + " cluster. Prints the job id and returns; with --wait, follows the job to its end.",
      "Inputs not given with --input are read from <graph folder>/<name>.npy, .arrow or .csv."
    },
    footer = {
      "%nExamples:",
      "  jetlag submit examples/kmeans/graph.json --target tapis:my-cluster --wait",
      "  jetlag submit examples/kmeans/graph.json --target tapis:my-cluster --runner flink"
          + " --cores 4 --wait",
      "  jetlag submit examples/kmeans/graph.json --target flink://localhost:8081 --wait",
      "  jetlag submit big.json --target tapis:my-cluster --queue normal --nodes 1 --cores 16"
          + " --minutes 30 -i X=X.npy",
      "%nSee docs/remote.md."
    })
public final class SubmitCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "GRAPH", description = "The graph JSON file.")
  Path graph;

  @Option(
      names = "--target",
      required = true,
      paramLabel = "TARGET",
      description =
          "Where to run: tapis:<systemId> (a Tapis execution system's batch queue) or"
              + " flink://host:port (a Flink 1.19 session cluster's REST address; the graph runs"
              + " from a driver process on this machine).")
  String target;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "NAME=FILE",
      description = "Data for graph input NAME (.npy, .arrow or .csv). Repeatable.")
  Map<String, Path> inputs = new LinkedHashMap<>();

  @Option(
      names = "--queue",
      paramLabel = "Q",
      description = "The system's logical queue (default: the system's default queue).")
  String queue;

  @Option(names = "--nodes", paramLabel = "N", description = "Nodes (default: the app's, 1).")
  Integer nodes;

  @Option(
      names = "--cores",
      paramLabel = "C",
      description = "Cores per node; the graph runs with as many threads (default: the app's, 1).")
  Integer cores;

  @Option(
      names = "--minutes",
      paramLabel = "M",
      description = "Wall-time limit in minutes (default: the app's, 10).")
  Integer minutes;

  @Option(
      names = "--app",
      paramLabel = "ID",
      description = "The JetLag app's id (default: jetlag-zip).")
  String app = "jetlag-zip";

  @Option(
      names = "--app-version",
      paramLabel = "V",
      description = "The app's version (default: this JetLag's version).")
  String appVersion;

  @Option(
      names = "--chunk-size",
      paramLabel = "BYTES",
      description = "Target bytes per chunk (default: the runner's).")
  Long chunkBytes;

  @Option(
      names = "--runner",
      paramLabel = "RUNNER",
      description =
          "tapis: targets: local (default): the local runner on the allocation's first node, with its cores as"
              + " threads; flink: a Flink session cluster started inside the allocation"
              + " (JobManager and one TaskManager on the first node, a slot per core), stopped"
              + " when the job ends. flink:// targets: flink (the default and only choice).")
  String runner;

  @Option(
      names = "--wait",
      description =
          "Follow the job with a live status line until it ends; exit 0 only if it FINISHED.")
  boolean await;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Target where;
    try {
      where = Target.parse(target);
    } catch (JetLagException e) {
      throw new ParameterException(spec.commandLine(), "--target: " + e.getMessage());
    }
    for (Integer v : new Integer[] {nodes, cores, minutes}) {
      if (v != null && v < 1) {
        throw new ParameterException(
            spec.commandLine(), "--nodes, --cores, --minutes: expected at least 1, got " + v);
      }
    }
    String run =
        runner == null ? (where instanceof Target.FlinkSession ? "flink" : "local") : runner;
    if (!RunSettings.RUNNERS.contains(run)) {
      throw new ParameterException(
          spec.commandLine(),
          "--runner: expected one of " + RunSettings.RUNNERS + ", got '" + run + "'");
    }
    if (where instanceof Target.FlinkSession) {
      if (!run.equals("flink")) {
        throw new ParameterException(
            spec.commandLine(),
            "--runner " + run + ": a flink:// target runs the graph with the flink runner");
      }
      if (queue != null
          || nodes != null
          || appVersion != null
          || !app.equals(Remote.defaultApp())) {
        throw new ParameterException(
            spec.commandLine(),
            "--queue, --nodes, --app and --app-version are for tapis: targets; a flink:// target"
                + " takes --cores (the parallelism) and --minutes (the time limit)");
      }
    }
    Map<String, Path> files = resolveInputs();
    Submission s =
        new Submission(
            graph,
            files,
            new RunSettings(
                chunkBytes == null ? OptionalLong.empty() : OptionalLong.of(chunkBytes),
                OptionalLong.empty(),
                Optional.empty(),
                run),
            where,
            app,
            appVersion == null ? Remote.version() : appVersion,
            Optional.ofNullable(queue),
            nodes == null ? OptionalInt.empty() : OptionalInt.of(nodes),
            cores == null ? OptionalInt.empty() : OptionalInt.of(cores),
            minutes == null ? OptionalInt.empty() : OptionalInt.of(minutes),
            Remote.version());
    JobService jobs = Remote.service(where);
    Instant t0 = Instant.now();
    RemoteJob job;
    try {
      job = jobs.submit(s);
    } catch (JetLagException e) {
      throw Remote.failure(e);
    }
    out.println(job.uuid());
    out.flush();
    if (!await) {
      err.println("submitted; follow it with: jetlag job " + job.uuid() + " status");
      err.flush();
      return ExitCodes.OK;
    }
    return JobCommand.follow(jobs, job.uuid(), out, err, t0);
  }

  private Map<String, Path> resolveInputs() {
    Graph g;
    try {
      g = GraphJson.read(graph);
    } catch (JetLagException e) {
      throw new CliException(ExitCodes.BAD_GRAPH, Remote.oneLine(e.getMessage()), e);
    }
    Path base = graph.toAbsolutePath().normalize().getParent();
    Map<String, Path> files = new LinkedHashMap<>();
    for (Node n : g.inputNodes()) {
      String name = String.valueOf(n.params().getOrDefault("name", n.id()));
      Path given = inputs.get(name);
      if (given != null) {
        files.put(name, given.toAbsolutePath());
        continue;
      }
      Optional<Path> found = org.jetlag.runner.plan.Planner.inputBeside(base, name);
      files.put(
          name,
          found.orElseThrow(
              () ->
                  new CliException(
                      ExitCodes.RUN_FAILED,
                      graph
                          + ": input '"
                          + name
                          + "': no file (give it with --input "
                          + name
                          + "=FILE, or put "
                          + name
                          + ".npy beside the graph)")));
    }
    for (String given : inputs.keySet()) {
      if (!files.containsKey(given)) {
        throw new ParameterException(
            spec.commandLine(),
            "--input "
                + given
                + ": the graph has no input named '"
                + given
                + "'; its inputs are "
                + files.keySet());
      }
    }
    return files;
  }

  static Duration since(Instant t0) {
    return Duration.between(t0, Clock.systemUTC().instant());
  }
}
