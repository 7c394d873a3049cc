package org.jetlag.cli.internal;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jetlag.cli.ExitCodes;
import org.jetlag.flink.cluster.ClusterInfo;
import org.jetlag.flink.cluster.ClusterSpec;
import org.jetlag.flink.cluster.ClusterStatus;
import org.jetlag.flink.cluster.FlinkCluster;
import org.jetlag.flink.cluster.FlinkClusterException;
import org.jetlag.flink.cluster.FlinkRest;
import org.jetlag.flink.cluster.JetLagFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code jetlag cluster start|status|stop|taskmanager|wait}: a Flink session cluster on this
 * machine, for {@code jetlag run --runner flink --flink-master host:port}; {@code taskmanager} adds
 * a TaskManager on another machine that shares the cluster's folder (a further node of a Slurm
 * allocation), {@code wait} waits until a number of TaskManagers has registered.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Start, inspect and stop a Flink session cluster on this machine: a JobManager and"
          + " TaskManagers as separate JVMs, recorded in a folder (default ~/.jetlag/cluster).",
      ""
    },
    subcommands = {
      ClusterCommand.Start.class,
      ClusterCommand.Status.class,
      ClusterCommand.Stop.class,
      ClusterCommand.TaskManager.class,
      ClusterCommand.Wait.class
    },
    exitCodeListHeading = JetLagCommand.EXIT_HEADING,
    exitCodeList = {
      JetLagCommand.EXIT_0,
      JetLagCommand.EXIT_2,
      ClusterCommand.EXIT_4,
    },
    footer = {
      "%nExamples:",
      "  jetlag cluster start --taskmanagers 2 --slots 2 --memory 2GiB",
      "  jetlag run graph.json --runner flink --flink-master 127.0.0.1:PORT",
      "  jetlag cluster status",
      "  jetlag cluster stop",
      "On another node of a Slurm allocation, with the folder on a shared file system:",
      "  srun --overlap -N1 -n1 -w node2 jetlag cluster taskmanager --dir D --host node2 &",
      "  jetlag cluster wait --dir D --taskmanagers 2",
      JetLagCommand.FOOTER
    })
final class ClusterCommand implements Runnable {
  static final String EXIT_4 =
      "4:the cluster failed to start or stop, is not running, or is unhealthy (status)";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "missing command: expected one of start, status, stop");
  }

  /** The {@code --dir} option every sub-command shares. */
  static final class DirOption {
    @Option(
        names = "--dir",
        paramLabel = "DIR",
        description =
            "The cluster's folder: config, logs, temporary files and cluster.json"
                + " (default: ~/.jetlag/cluster).")
    Path dir;

    Path dir() {
      return (dir != null ? dir : Path.of(System.getProperty("user.home"), ".jetlag", "cluster"))
          .toAbsolutePath()
          .normalize();
    }
  }

  /** {@code jetlag cluster start}. */
  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {
        "Start a Flink 1.19 session cluster and wait until every TaskManager has registered;"
            + " print its REST address (host:port) for --flink-master.",
        "",
        "The cluster classpath is --flink-lib, else $JETLAG_FLINK_LIB, else "
            + JetLagFiles.FLINK_LIB_IN_HOME
            + " in the JetLag folder (built by 'mvn package').",
        ""
      },
      exitCodeListHeading = JetLagCommand.EXIT_HEADING,
      exitCodeList = {JetLagCommand.EXIT_0, JetLagCommand.EXIT_2, ClusterCommand.EXIT_4})
  static final class Start implements Callable<Integer>, JetLagCommand.HasVerbosity {
    @Spec CommandSpec spec;

    @Mixin DirOption dir = new DirOption();

    @Option(
        names = "--taskmanagers",
        paramLabel = "N",
        defaultValue = "1",
        description = "TaskManager processes (default: ${DEFAULT-VALUE}).")
    int taskManagers;

    @Option(
        names = "--slots",
        paramLabel = "S",
        description = "Task slots per TaskManager (default: the number of cores).")
    Integer slots;

    @Option(
        names = "--memory",
        paramLabel = "SIZE",
        converter = Units.SizeConverter.class,
        description = "Process size of each TaskManager, such as 4GiB (default: 1.5GiB).")
    Long memory;

    @Option(
        names = "--jm-memory",
        paramLabel = "SIZE",
        converter = Units.SizeConverter.class,
        description = "Process size of the JobManager (default: 1GiB).")
    Long jobManagerMemory;

    @Option(
        names = "--host",
        paramLabel = "HOST",
        defaultValue = "127.0.0.1",
        description =
            "The address the processes bind to and advertise (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(
        names = "--flink-lib",
        paramLabel = "DIR",
        description = "The folder of Flink 1.19 jars the cluster runs on.")
    Path flinkLib;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        converter = Units.DurationConverter.class,
        description = "How long to wait for the cluster to be ready (default: 90s).")
    Duration timeout;

    @Option(
        names = "--config",
        paramLabel = "KEY=VALUE",
        description =
            "An extra flink-conf.yaml entry, such as"
                + " taskmanager.memory.task.off-heap.size=2g (room for Arrow buffers);"
                + " overrides JetLag's choice for KEY. Repeatable.")
    Map<String, String> config = new LinkedHashMap<>();

    @Option(
        names = {"-q", "--quiet"},
        description = "Print only the REST address (host:port).")
    boolean quiet;

    @Mixin Verbosity verbosity = new Verbosity();

    @Override
    public Verbosity verbosity() {
      return verbosity;
    }

    @Override
    public Integer call() {
      checkAtLeast(spec, "--taskmanagers", taskManagers, 1);
      if (slots != null) {
        checkAtLeast(spec, "--slots", slots, 1);
      }
      if (memory != null) {
        checkMemory("--memory", memory);
      }
      if (jobManagerMemory != null) {
        checkMemory("--jm-memory", jobManagerMemory);
      }
      ClusterSpec s;
      try {
        s = ClusterSpec.of(dir.dir(), flinkLib()).withTaskManagers(taskManagers).withHost(host);
        if (slots != null) {
          s = s.withSlots(slots);
        }
        if (memory != null) {
          s = s.withTaskManagerMemory(memory);
        }
        if (jobManagerMemory != null) {
          s = s.withJobManagerMemory(jobManagerMemory);
        }
        if (timeout != null) {
          s = s.withStartTimeout(timeout);
        }
        for (Map.Entry<String, String> e : config.entrySet()) {
          s = s.withConfig(e.getKey(), e.getValue());
        }
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      }
      FlinkCluster cluster;
      try {
        cluster = FlinkCluster.start(s);
      } catch (FlinkClusterException e) {
        throw new CliException(ExitCodes.RUN_FAILED, "jetlag cluster start: " + e.getMessage(), e);
      }
      PrintWriter out = spec.commandLine().getOut();
      String address = cluster.restAddress();
      if (quiet) {
        out.println(address);
        return ExitCodes.OK;
      }
      int n = cluster.info().taskManagers();
      int slotsEach = cluster.info().slotsPerTaskManager();
      out.printf(
          Locale.ROOT,
          "Flink session cluster ready in %.1f s: %d TaskManager%s, %d slot%s in all%n",
          cluster.startupTime().toMillis() / 1000.0,
          n,
          n == 1 ? "" : "s",
          n * slotsEach,
          n * slotsEach == 1 ? "" : "s");
      out.println("  REST address: " + address + "   (web UI: http://" + address + ")");
      out.println("  folder:       " + cluster.dir() + "   (logs in log/)");
      out.println("Run a graph on it:");
      out.println("  jetlag run graph.json --runner flink --flink-master " + address);
      out.println("Stop it:");
      out.println("  jetlag cluster stop" + dirArgument(dir));
      return ExitCodes.OK;
    }

    private void checkMemory(String option, long bytes) {
      if (bytes < ClusterSpec.MIN_MEMORY_BYTES) {
        throw new ParameterException(
            spec.commandLine(),
            option + ": Flink needs at least 512MiB per process, got " + (bytes >> 20) + "MiB");
      }
    }

    private Path flinkLib() {
      if (flinkLib != null) {
        return flinkLib;
      }
      return JetLagFiles.flinkLib()
          .orElseThrow(
              () ->
                  new CliException(
                      ExitCodes.RUN_FAILED,
                      "jetlag cluster start: cannot tell where the Flink cluster classpath is: give"
                          + " --flink-lib DIR or set JETLAG_FLINK_LIB (bin/jetlag finds "
                          + JetLagFiles.FLINK_LIB_IN_HOME
                          + " itself)"));
    }
  }

  /** {@code jetlag cluster status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Show the cluster recorded in the folder: REST address, Flink version, TaskManagers and"
            + " slots, running jobs, and whether each process is alive. Exit 0 when it is"
            + " healthy, 4 when it is not or no cluster is recorded.",
        ""
      },
      exitCodeListHeading = JetLagCommand.EXIT_HEADING,
      exitCodeList = {JetLagCommand.EXIT_0, JetLagCommand.EXIT_2, ClusterCommand.EXIT_4})
  static final class Status implements Callable<Integer>, JetLagCommand.HasVerbosity {
    @Spec CommandSpec spec;

    @Mixin DirOption dir = new DirOption();

    @Mixin Verbosity verbosity = new Verbosity();

    @Override
    public Verbosity verbosity() {
      return verbosity;
    }

    @Override
    public Integer call() {
      Path d = dir.dir();
      Optional<ClusterStatus> found;
      try {
        found = FlinkCluster.status(d);
      } catch (FlinkClusterException e) {
        throw new CliException(ExitCodes.RUN_FAILED, "jetlag cluster status: " + e.getMessage(), e);
      }
      if (found.isEmpty()) {
        throw new CliException(
            ExitCodes.RUN_FAILED,
            "jetlag cluster status: no Flink cluster is recorded in "
                + d
                + " (start one with: jetlag cluster start"
                + dirArgument(dir)
                + ")");
      }
      ClusterStatus st = found.get();
      PrintWriter out = spec.commandLine().getOut();
      String health =
          st.healthy()
              ? "healthy"
              : st.info().state().equals(ClusterInfo.STARTING)
                  ? "STARTING (or its start failed)"
                  : st.overview().isEmpty() ? "NOT REACHABLE" : "UNHEALTHY";
      out.println("Flink cluster in " + d + ": " + health);
      out.println("  REST address:  " + st.restAddress());
      out.println("  Flink version: " + st.flinkVersion().orElse("unknown"));
      if (st.overview().isPresent()) {
        FlinkRest.Overview o = st.overview().get();
        out.printf(
            Locale.ROOT,
            "  TaskManagers:  %d registered of %d started; slots: %d total, %d available%n",
            o.taskManagers(),
            st.info().taskManagers(),
            o.slotsTotal(),
            o.slotsAvailable());
        out.printf(
            Locale.ROOT,
            "  jobs:          %d running, %d finished, %d cancelled, %d failed%n",
            o.jobsRunning(),
            o.jobsFinished(),
            o.jobsCancelled(),
            o.jobsFailed());
      } else {
        out.println("  REST:          " + st.restError().orElse("no answer"));
      }
      for (ClusterStatus.ProcessState p : st.processes()) {
        out.printf(
            Locale.ROOT,
            "  %-14s pid %d, %s%n",
            p.name() + ":",
            p.pid(),
            p.alive()
                ? "alive"
                : "NOT RUNNING (see " + d.resolve("log/" + p.name() + ".log") + ")");
      }
      if (!st.healthy()) {
        out.println("Stop what is left with: jetlag cluster stop" + dirArgument(dir));
      }
      out.flush();
      return st.healthy() ? ExitCodes.OK : ExitCodes.RUN_FAILED;
    }
  }

  /** {@code jetlag cluster stop}. */
  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      description = {
        "Stop the cluster recorded in the folder: SIGTERM to each recorded process, SIGKILL to"
            + " those still running after a grace period; then remove cluster.json and tmp/"
            + " (logs stay). Nothing recorded is not an error.",
        ""
      },
      exitCodeListHeading = JetLagCommand.EXIT_HEADING,
      exitCodeList = {JetLagCommand.EXIT_0, JetLagCommand.EXIT_2, ClusterCommand.EXIT_4})
  static final class Stop implements Callable<Integer>, JetLagCommand.HasVerbosity {
    @Spec CommandSpec spec;

    @Mixin DirOption dir = new DirOption();

    @Mixin Verbosity verbosity = new Verbosity();

    @Override
    public Verbosity verbosity() {
      return verbosity;
    }

    @Override
    public Integer call() {
      Path d = dir.dir();
      Optional<FlinkCluster.StopReport> report;
      try {
        report = FlinkCluster.stop(d);
      } catch (FlinkClusterException e) {
        throw new CliException(ExitCodes.RUN_FAILED, "jetlag cluster stop: " + e.getMessage(), e);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (report.isEmpty()) {
        out.println("No Flink cluster is recorded in " + d + "; nothing to stop.");
        return ExitCodes.OK;
      }
      out.println(
          "Stopped the Flink cluster in " + d + " (REST " + report.get().restAddress() + "):");
      for (FlinkCluster.StopReport.Stopped p : report.get().processes()) {
        out.printf(Locale.ROOT, "  %-14s pid %d, %s%n", p.name() + ":", p.pid(), p.outcome());
      }
      return ExitCodes.OK;
    }
  }

  /** {@code jetlag cluster taskmanager}. */
  @Command(
      name = "taskmanager",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {
        "Run one more TaskManager for the cluster recorded in the folder, on this machine, in the"
            + " foreground until it ends or this command is stopped (SIGTERM stops the"
            + " TaskManager too). Its memory flags are those of the cluster's own TaskManagers;"
            + " its ports are picked free on --host; its log is log/NAME.log in the folder.",
        "",
        "Made for the further nodes of a Slurm allocation: 'srun --overlap -N1 -n1 -w NODE"
            + " jetlag cluster taskmanager --dir D --host ADDRESS', with the folder on a file"
            + " system every node shares and a cluster started with 'jetlag cluster start --host"
            + " H' on an address H the other nodes reach.",
        ""
      },
      exitCodeListHeading = JetLagCommand.EXIT_HEADING,
      exitCodeList = {
        "0:the TaskManager ended with status 0 (or --print)",
        JetLagCommand.EXIT_2,
        "4:no cluster is recorded in the folder, the TaskManager could not start, or it ended"
            + " with another status"
      })
  static final class TaskManager implements Callable<Integer>, JetLagCommand.HasVerbosity {
    @Spec CommandSpec spec;

    @Mixin DirOption dir = new DirOption();

    @Option(
        names = "--host",
        paramLabel = "HOST",
        required = true,
        description =
            "The address of this machine the TaskManager binds to and the JobManager reaches it"
                + " at.")
    String host;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "Its name, for its log file (default: taskmanager-<this host's name>).")
    String name;

    @Option(
        names = "--print",
        description = "Print its command line, one argument per line, and start nothing.")
    boolean print;

    @Mixin Verbosity verbosity = new Verbosity();

    @Override
    public Verbosity verbosity() {
      return verbosity;
    }

    @Override
    public Integer call() {
      Path d = dir.dir();
      String n = name != null ? name : "taskmanager-" + shortHostName();
      try {
        if (print) {
          PrintWriter out = spec.commandLine().getOut();
          for (String arg : FlinkCluster.taskManagerCommand(d, host, n)) {
            out.println(arg);
          }
          return ExitCodes.OK;
        }
        int status = FlinkCluster.runTaskManager(d, host, n);
        if (status != 0) {
          throw new CliException(
              ExitCodes.RUN_FAILED,
              "jetlag cluster taskmanager: "
                  + n
                  + " ended with status "
                  + status
                  + " (its log: "
                  + d.resolve("log/" + n + ".log")
                  + ")");
        }
        return ExitCodes.OK;
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage(), e);
      } catch (FlinkClusterException e) {
        throw new CliException(
            ExitCodes.RUN_FAILED, "jetlag cluster taskmanager: " + e.getMessage(), e);
      }
    }

    private static String shortHostName() {
      String h;
      try {
        h = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        h = "unknown";
      }
      int dot = h.indexOf('.');
      return dot > 0 ? h.substring(0, dot) : h;
    }
  }

  /** {@code jetlag cluster wait}. */
  @Command(
      name = "wait",
      mixinStandardHelpOptions = true,
      versionProvider = VersionProvider.class,
      sortOptions = false,
      description = {
        "Wait until at least N TaskManagers have registered with the cluster recorded in the"
            + " folder, with all their slots free; print how many and how long it took.",
        ""
      },
      exitCodeListHeading = JetLagCommand.EXIT_HEADING,
      exitCodeList = {
        JetLagCommand.EXIT_0,
        JetLagCommand.EXIT_2,
        "4:no cluster is recorded in the folder, or fewer registered within --timeout"
      })
  static final class Wait implements Callable<Integer>, JetLagCommand.HasVerbosity {
    @Spec CommandSpec spec;

    @Mixin DirOption dir = new DirOption();

    @Option(
        names = "--taskmanagers",
        paramLabel = "N",
        required = true,
        description = "How many TaskManagers to wait for, the cluster's own included.")
    int taskManagers;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        converter = Units.DurationConverter.class,
        description = "How long to wait at most (default: 60s).")
    Duration timeout;

    @Option(
        names = {"-q", "--quiet"},
        description = "Print only: <TaskManagers> <slots> <milliseconds waited>.")
    boolean quiet;

    @Mixin Verbosity verbosity = new Verbosity();

    @Override
    public Verbosity verbosity() {
      return verbosity;
    }

    @Override
    public Integer call() {
      checkAtLeast(spec, "--taskmanagers", taskManagers, 1);
      FlinkCluster.Registration r;
      try {
        r =
            FlinkCluster.awaitTaskManagers(
                dir.dir(), taskManagers, timeout != null ? timeout : Duration.ofSeconds(60));
      } catch (FlinkClusterException e) {
        throw new CliException(ExitCodes.RUN_FAILED, "jetlag cluster wait: " + e.getMessage(), e);
      }
      PrintWriter out = spec.commandLine().getOut();
      int n = r.taskManagers().size();
      if (quiet) {
        out.printf(Locale.ROOT, "%d %d %d%n", n, r.slots(), r.waited().toMillis());
        return ExitCodes.OK;
      }
      out.printf(
          Locale.ROOT,
          "%d TaskManager%s registered, %d slots in all, after %.1f s:%n",
          n,
          n == 1 ? "" : "s",
          r.slots(),
          r.waited().toMillis() / 1000.0);
      for (FlinkRest.TaskManagerSummary t : r.taskManagers()) {
        out.printf(Locale.ROOT, "  %s  %d slots  %s%n", t.id(), t.slots(), t.path());
      }
      return ExitCodes.OK;
    }
  }

  /** A usage error of {@code spec}'s command unless {@code value} is at least {@code min}. */
  private static void checkAtLeast(CommandSpec spec, String option, int value, int min) {
    if (value < min) {
      throw new ParameterException(
          spec.commandLine(), option + ": expected at least " + min + ", got " + value);
    }
  }

  private static String dirArgument(DirOption dir) {
    return dir.dir == null ? "" : " --dir " + dir.dir();
  }
}
