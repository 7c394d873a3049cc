package org.jetlag.cli.internal;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.NdArray;
import org.jetlag.arrow.NpyFiles;
import org.jetlag.cli.ExitCodes;
import org.jetlag.graph.JetLagException;
import org.jetlag.graph.Node;
import org.jetlag.graph.TypedGraph;
import org.jetlag.perf.Advice;
import org.jetlag.perf.HtmlReport;
import org.jetlag.perf.ProfileCsv;
import org.jetlag.perf.Trace;
import org.jetlag.perf.TraceJson;
import org.jetlag.runner.RunHandle;
import org.jetlag.runner.RunOptions;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.Runner;
import org.jetlag.runner.beam.BeamRunner;
import org.jetlag.runner.local.LocalRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jetlag run graph.json}: runs a graph on the local runner and reports its outputs. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    sortOptions = false,
    description = {
      "Run a graph on the local runner: print each output's summary and the per-node"
          + " timings, and with --output write each output as DIR/<name>.arrow (or .npy).",
      "",
      "An input not given with --input is read from <graph folder>/<name>.npy, then"
          + " <name>.arrow, then <name>.csv. Relative paths inside the graph resolve against"
          + " the graph's folder.",
      ""
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
    footer = {
      "%nExamples:",
      "  jetlag run examples/logistic-regression/graph.json",
      "  jetlag run examples/kmeans/graph.json -i X=points.npy -o out --format npy",
      "  jetlag run big.json --threads 8 --chunk-size 8MiB --memory 16GiB --timeout 30m",
      JetLagCommand.FOOTER
    })
final class RunCommand
    implements java.util.concurrent.Callable<Integer>, JetLagCommand.HasVerbosity {
  /** Where outputs go and in which format. */
  enum Format {
    arrow,
    npy
  }

  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "GRAPH", description = "The graph JSON file.")
  Path graph;

  @Option(
      names = {"-i", "--input"},
      paramLabel = "NAME=FILE",
      description =
          "Data for graph input NAME: a .npy, .arrow or .csv file (relative to the current"
              + " folder). Repeatable.")
  Map<String, String> inputs = new LinkedHashMap<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      description =
          "Write each output to DIR/<name>.<format> after the run succeeds (created if needed).")
  Path output;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "arrow",
      description = "Output file format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  /** Which runner executes the graph. */
  enum RunnerKind {
    local,
    direct,
    flink
  }

  @Option(
      names = "--runner",
      paramLabel = "RUNNER",
      defaultValue = "local",
      description =
          "Where to run: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). 'direct' and"
              + " 'flink' lower the graph to Apache Beam and run it on Beam's DirectRunner or on"
              + " Flink (embedded, or the session cluster of --flink-master); see"
              + " docs/runners.md.")
  RunnerKind runnerKind;

  @Option(
      names = "--flink-master",
      paramLabel = "HOST:PORT",
      defaultValue = "[local]",
      description =
          "With --runner flink: the REST address of a Flink 1.19 session cluster (see 'jetlag"
              + " cluster start'), or [local] for Flink embedded in this process (default:"
              + " ${DEFAULT-VALUE}).")
  String flinkMaster;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description =
          "With --runner direct or flink: where run folders (staged inputs, output chunks, span"
              + " logs) are made; on a cluster, a folder the TaskManagers can use too (default:"
              + " <java.io.tmpdir>/jetlag-beam).")
  Path workDir;

  @Option(
      names = {"-t", "--threads"},
      paramLabel = "N",
      description = "Worker threads (default: the number of cores).")
  Integer threads;

  @Option(
      names = "--chunk-size",
      paramLabel = "SIZE",
      converter = Units.SizeConverter.class,
      description = "Target bytes per chunk along axis 0, such as 4MiB (default: 4MiB).")
  Long chunkBytes;

  @Option(
      names = "--memory",
      paramLabel = "SIZE",
      converter = Units.SizeConverter.class,
      description =
          "Most memory the run's arrays may hold, such as 8GiB (default: 3/4 of physical memory).")
  Long memoryBytes;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = Units.DurationConverter.class,
      description = "Fail the run when it takes longer, such as 90s, 10m or 2h (default: none).")
  Duration timeout;

  @Option(
      names = "--trace",
      paramLabel = "FILE",
      description =
          "Save the run's trace (node profiles, task spans, counters) as JSON; open it with"
              + " 'jetlag trace --chrome FILE' in Perfetto.")
  Path traceFile;

  @Option(
      names = "--max-spans",
      paramLabel = "N",
      description =
          "Keep at most N task spans in the trace (default: 2000000; 0 keeps none). Node"
              + " profiles count every task regardless.")
  Long maxSpans;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description =
          "Write a self-contained HTML report: the graph coloured by time, a timeline per worker,"
              + " utilisation, histograms, a top-N table and advice.")
  Path reportFile;

  @Option(
      names = "--profile",
      paramLabel = "FILE",
      description = "Write the per-node profile as CSV, one row per node.")
  Path profileFile;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only errors: no summaries, timings, warnings or progress.")
  boolean quiet;

  @Mixin Verbosity verbosity = new Verbosity();

  /** Whether stderr is a terminal; replaced in tests. */
  BooleanSupplier terminal = () -> System.console() != null;

  /** Whether to install the Ctrl-C shutdown hook; off for in-process embedding if wanted. */
  boolean installShutdownHook = true;

  private volatile boolean cancelledByHook;

  @Override
  public Verbosity verbosity() {
    return verbosity;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    int nThreads = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
    if (nThreads < 1) {
      throw new ParameterException(
          spec.commandLine(), "--threads: expected at least 1, got " + nThreads);
    }
    TypedGraph typed = GraphLoader.load(graph, err, quiet);
    Path baseDir = baseDir(graph);
    RunRequest request = RunRequest.create().withBaseDir(baseDir);
    for (Map.Entry<String, Path> e : resolveInputs(typed, baseDir).entrySet()) {
      request = request.withInput(e.getKey(), e.getValue());
    }
    Optional<Path> outDir = Optional.ofNullable(output).map(RunCommand::prepareOutputFolder);

    RunOptions options = RunOptions.defaults();
    if (chunkBytes != null) {
      if (chunkBytes < 8) {
        throw new ParameterException(
            spec.commandLine(), "--chunk-size: expected at least 8 bytes, got " + chunkBytes);
      }
      options = options.withChunkBytes(chunkBytes);
    }
    long memory = memoryBytes == null ? defaultMemoryLimit() : memoryBytes;
    options = options.withMemoryLimit(memory);
    if (timeout != null) {
      options = options.withTimeout(timeout);
    }
    if (maxSpans != null) {
      if (maxSpans < 0) {
        throw new ParameterException(
            spec.commandLine(), "--max-spans: expected 0 or more, got " + maxSpans);
      }
      options = options.withMaxSpans(maxSpans);
    }
    ProgressBar bar = !quiet && terminal.getAsBoolean() ? new ProgressBar(err) : null;
    if (bar != null) {
      options = options.withListener(bar);
    }
    if (verbosity.verbose()) {
      err.printf(
          Locale.ROOT,
          "running graph '%s' (%s) on local with %d thread(s), chunks of %d bytes%s%n",
          typed.graph().name(),
          graph,
          nThreads,
          options.chunkBytes(),
          ", memory limit " + memory + " bytes");
      request.inputs().forEach((k, v) -> err.println("  input " + k + " <- " + describe(v)));
      err.flush();
    }

    // The runner owns the allocator the outputs live in: close the result first, then the runner.
    Path jobDetails =
        traceFile == null
            ? null
            : traceFile.resolveSibling(traceFile.getFileName() + ".flink-jobs.json");
    try (Engine engine = Engine.of(runnerKind, nThreads, memory, flinkMaster, workDir, jobDetails);
        RunResult r = runWithCancel(engine.runner, typed, request.withOptions(options), bar)) {
      if (!quiet) {
        for (Map.Entry<String, NdArray> e : r.outputs().entrySet()) {
          out.print(Summary.of(e.getKey(), e.getValue()));
        }
        out.println();
        out.print(r.profile().table(15));
        if (!r.trace().phases().isEmpty()) {
          StringBuilder b = new StringBuilder("phases:");
          for (org.jetlag.perf.Phase p : r.trace().phases()) {
            b.append(' ')
                .append(p.name())
                .append(String.format(java.util.Locale.ROOT, " %.1f s;", p.duration() / 1e6));
          }
          out.println(b.substring(0, b.length() - 1));
        }
        for (String advice : Advice.of(r.trace())) {
          out.println("advice: " + advice);
        }
        out.flush();
      }
      outDir.ifPresent(dir -> writeOutputs(r, dir, out));
      writeTraceFiles(r.trace(), out);
    }
    return ExitCodes.OK;
  }

  /** Writes the --trace, --report and --profile files (each atomically). */
  private void writeTraceFiles(Trace t, PrintWriter out) {
    write("trace", traceFile, f -> TraceJson.write(t, f), out);
    write("report", reportFile, f -> HtmlReport.write(t, f), out);
    write("profile", profileFile, f -> ProfileCsv.write(t, f), out);
  }

  private void write(
      String what, Path file, java.util.function.Consumer<Path> writer, PrintWriter out) {
    if (file == null) {
      return;
    }
    try {
      writer.accept(file);
    } catch (JetLagException e) {
      throw new CliException(
          ExitCodes.OUTPUT_FAILED, what + ": " + JetLagCommand.oneLine(e.getMessage()), e);
    }
    if (!quiet) {
      out.println("wrote " + file);
      out.flush();
    }
  }

  /** The chosen runner and what must be closed after its results. */
  private static final class Engine implements AutoCloseable {
    final Runner runner;
    private final AutoCloseable closer;

    private Engine(Runner runner, AutoCloseable closer) {
      this.runner = runner;
      this.closer = closer;
    }

    static Engine of(
        RunnerKind kind, int threads, long memory, String master, Path workDir, Path jobDetails) {
      if (kind != RunnerKind.local) {
        org.apache.arrow.memory.BufferAllocator a = org.jetlag.arrow.Allocators.root(memory);
        BeamRunner.Engine e;
        if (kind == RunnerKind.direct) {
          e = new BeamRunner.Engine.Direct(false, threads);
        } else if ("[local]".equals(master)) {
          e = new BeamRunner.Engine.FlinkEmbedded(threads);
        } else {
          java.util.Optional<Path> jar = org.jetlag.flink.cluster.JetLagFiles.jobJar();
          if (jar.isEmpty()) {
            a.close();
            throw new CliException(
                ExitCodes.USAGE,
                "--flink-master "
                    + master
                    + ": the job jar (runners/beam-job/target/jetlag-beam-job.jar) is not built;"
                    + " run mvn install -DskipTests, or set JETLAG_BEAM_JOB_JAR");
          }
          e =
              new BeamRunner.Engine.FlinkCluster(
                  master,
                  jar.get(),
                  threads,
                  new FlinkClusterControl(new org.jetlag.flink.cluster.FlinkRest()));
        }
        BeamRunner r = BeamRunner.on(a, e);
        if (jobDetails != null) {
          r = r.writingJobDetailsTo(jobDetails);
        }
        return new Engine(workDir == null ? r : r.withWorkDir(workDir), a);
      }
      LocalRunner local = LocalRunner.withThreads(threads, memory);
      return new Engine(local, local);
    }

    @Override
    public void close() {
      try {
        closer.close();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private RunResult runWithCancel(
      Runner runner, TypedGraph typed, RunRequest request, ProgressBar bar) {
    RunHandle handle = runner.start(typed, request);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              cancelledByHook = true;
              handle.cancel();
              try {
                // Let the run stop and free its memory before the JVM halts with status 130.
                finished.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              PrintWriter err = spec.commandLine().getErr();
              err.println("jetlag: run cancelled");
              err.flush();
            },
            "jetlag-cancel");
    if (installShutdownHook) {
      Runtime.getRuntime().addShutdownHook(hook);
    }
    try {
      return handle.result().get();
    } catch (ExecutionException | CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof CancellationException) {
        // After Ctrl-C the shutdown hook reports the cancellation; say it only once.
        throw new CliException(
            ExitCodes.CANCELLED, cancelledByHook ? "" : "jetlag: run cancelled", cause);
      }
      if (cause instanceof org.jetlag.graph.ValidationException) {
        // the chosen runner cannot run this graph (found before running anything)
        throw new CliException(
            ExitCodes.BAD_GRAPH, graph + ": " + JetLagCommand.oneLine(cause.getMessage()), cause);
      }
      if (cause instanceof JetLagException) {
        throw new CliException(
            ExitCodes.RUN_FAILED, failureMessage((JetLagException) cause, typed, request), cause);
      }
      throw new CliException(
          ExitCodes.RUN_FAILED,
          graph + ": run failed: " + JetLagCommand.oneLine(String.valueOf(cause)),
          cause);
    } catch (CancellationException e) {
      throw new CliException(ExitCodes.CANCELLED, "jetlag: run cancelled", e);
    } catch (InterruptedException e) {
      handle.cancel();
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.CANCELLED, "jetlag: run cancelled", e);
    } finally {
      if (bar != null) {
        bar.close();
      }
      if (installShutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Ctrl-C: the hook is running and waits for the latch below.
        }
      }
      finished.countDown();
    }
  }

  /**
   * The run failure as one line prefixed by the graph file; when it concerns a graph input read
   * from a file and does not name that file yet, the file is added.
   */
  private String failureMessage(JetLagException e, TypedGraph typed, RunRequest request) {
    String m = JetLagCommand.oneLine(e.getMessage());
    Optional<String> node = e.nodeId();
    if (node.isPresent()) {
      Optional<Node> n = typed.graph().node(node.get());
      if (n.isPresent() && typed.graph().inputNodes().contains(n.get())) {
        Optional<RunRequest.InputSource> src = request.input(GraphLoader.inputName(typed, n.get()));
        if (src.isPresent() && src.get() instanceof RunRequest.InputSource.File) {
          String file = ((RunRequest.InputSource.File) src.get()).path().toString();
          if (!m.contains(file)) {
            m = m + " (in file '" + file + "')";
          }
        }
      }
    }
    return graph + ": " + m;
  }

  /**
   * Three quarters of physical memory: a graph too big for the machine fails with a message naming
   * the node instead of driving the machine into swap. No limit when the size is unknown.
   */
  static long defaultMemoryLimit() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      long total = ((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize();
      if (total > 0) {
        return total / 4 * 3;
      }
    }
    return Long.MAX_VALUE;
  }

  private static Path baseDir(Path graphFile) {
    Path parent = graphFile.toAbsolutePath().normalize().getParent();
    return parent == null ? Path.of("").toAbsolutePath() : parent;
  }

  /** Each graph input's file: from {@code --input}, else found beside the graph. */
  private Map<String, Path> resolveInputs(TypedGraph typed, Path baseDir) {
    List<String> names = new ArrayList<>();
    for (Node n : typed.graph().inputNodes()) {
      names.add(GraphLoader.inputName(typed, n));
    }
    for (String given : inputs.keySet()) {
      if (!names.contains(given)) {
        String hint =
            OpsReference.closest(given, names).map(s -> "; did you mean '" + s + "'?").orElse("");
        throw new ParameterException(
            spec.commandLine(),
            "--input "
                + given
                + ": graph '"
                + typed.graph().name()
                + "' has no input named '"
                + given
                + "'; its inputs are "
                + names
                + hint);
      }
    }
    Map<String, Path> files = new LinkedHashMap<>();
    for (Node n : typed.graph().inputNodes()) {
      String name = GraphLoader.inputName(typed, n);
      String given = inputs.get(name);
      if (given != null) {
        if (given.isEmpty()) {
          throw new ParameterException(
              spec.commandLine(), "--input " + name + "=: expected a file name, got nothing");
        }
        files.put(name, Path.of(given).toAbsolutePath().normalize());
        continue;
      }
      Optional<Path> found = org.jetlag.runner.plan.Planner.inputBeside(baseDir, name);
      if (found.isEmpty()) {
        throw new CliException(
            ExitCodes.RUN_FAILED,
            graph
                + ": node '"
                + n.id()
                + "' ("
                + n.op()
                + "): input '"
                + name
                + "': expected data of type "
                + GraphLoader.inputType(typed, n)
                + ", got no file (give it with --input "
                + name
                + "=FILE, or put "
                + name
                + ".npy, "
                + name
                + ".arrow or "
                + name
                + ".csv in "
                + baseDir
                + ")");
      }
      files.put(name, found.get());
    }
    return files;
  }

  /** Creates the folder if needed and proves it writable, before anything runs. */
  private static Path prepareOutputFolder(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException | SecurityException e) {
      throw new CliException(
          ExitCodes.OUTPUT_FAILED,
          "output folder '" + dir + "': cannot create it: " + reason(e),
          e);
    }
    if (!Files.isDirectory(dir)) {
      throw new CliException(
          ExitCodes.OUTPUT_FAILED, "output folder '" + dir + "': exists but is not a folder");
    }
    try {
      Path probe = Files.createTempFile(dir, ".jetlag-probe", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new CliException(
          ExitCodes.OUTPUT_FAILED, "output folder '" + dir + "': not writable: " + reason(e), e);
    }
    return dir;
  }

  private void writeOutputs(RunResult r, Path dir, PrintWriter out) {
    String ext = format == Format.npy ? ".npy" : ".arrow";
    for (Map.Entry<String, NdArray> e : r.outputs().entrySet()) {
      Path file = dir.resolve(e.getKey() + ext);
      try {
        if (format == Format.npy) {
          NpyFiles.write(e.getValue(), file);
        } else {
          ArrowFiles.write(e.getValue(), file);
        }
      } catch (JetLagException | java.io.UncheckedIOException ex) {
        throw new CliException(
            ExitCodes.OUTPUT_FAILED,
            "output '" + e.getKey() + "': " + JetLagCommand.oneLine(ex.getMessage()),
            ex);
      }
      if (!quiet) {
        out.println("wrote " + file);
      }
    }
    out.flush();
  }

  private static String reason(Exception e) {
    if (!(e instanceof java.nio.file.FileSystemException)) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
    java.nio.file.FileSystemException f = (java.nio.file.FileSystemException) e;
    String why;
    if (f.getReason() != null) {
      why = f.getReason();
    } else if (f instanceof java.nio.file.NoSuchFileException) {
      why = "no such file or folder";
    } else if (f instanceof java.nio.file.AccessDeniedException) {
      why = "permission denied";
    } else if (f instanceof java.nio.file.FileAlreadyExistsException) {
      why = "a file of that name is in the way";
    } else {
      why = f.getClass().getSimpleName();
    }
    return f.getFile() == null ? why : why + " at '" + f.getFile() + "'";
  }

  private static String describe(RunRequest.InputSource s) {
    return s instanceof RunRequest.InputSource.File
        ? ((RunRequest.InputSource.File) s).path().toString()
        : "an array in memory";
  }
}
