package org.jetlag.runner.beam;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.ArrayFileException;
import org.jetlag.arrow.Chunk;
import org.jetlag.arrow.NdArray;
import org.jetlag.arrow.NpyFiles;
import org.jetlag.graph.Diagnostic;
import org.jetlag.graph.Node;
import org.jetlag.graph.PortRef;
import org.jetlag.graph.TensorType;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.ValidationException;
import org.jetlag.graph.ops.OpKind;
import org.jetlag.graph.ops.Ops;
import org.jetlag.perf.RunInfo;
import org.jetlag.perf.Trace;
import org.jetlag.perf.Versions;
import org.jetlag.runner.RunFailure;
import org.jetlag.runner.RunHandle;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.Runner;
import org.jetlag.runner.beam.internal.BeamTrace;
import org.jetlag.runner.beam.internal.Exchange;
import org.jetlag.runner.beam.internal.Lowering;
import org.jetlag.runner.plan.Planner;

/**
 * Runs graphs as Apache Beam pipelines: on the DirectRunner, on embedded Flink ({@code [local]}),
 * or on a Flink session cluster. The graph is lowered by {@link Lowering} with the local runner's
 * chunking, fusion and reduction order, so every engine gives the local runner's numbers.
 *
 * <p>Inputs, outputs and the workers' span logs go through a run folder (see {@link #withWorkDir}),
 * which on a cluster must be readable and writable by the client and every TaskManager. The run
 * happens on its own thread; {@link RunHandle#cancel} and the run's timeout stop waiting at once
 * and cancel the pipeline.
 */
public final class BeamRunner implements Runner {
  private static final AtomicLong RUNS = new AtomicLong();

  /** Where and how a pipeline runs. */
  public sealed interface Engine {
    /** The runner's name in traces and messages. */
    String name();

    /** Beam pipeline options selecting the engine; {@code runFolder} is the run's own folder. */
    List<String> args(String jobName, Path runFolder);

    /** Beam's DirectRunner, with its immutability and encodability checks on or off. */
    record Direct(boolean checks, int parallelism) implements Engine {
      @Override
      public String name() {
        return "direct";
      }

      @Override
      public List<String> args(String jobName, Path runFolder) {
        return List.of(
            "--runner=DirectRunner",
            "--enforceImmutability=" + checks,
            "--enforceEncodability=" + checks,
            "--targetParallelism=" + parallelism,
            "--blockOnRun=false",
            "--jobName=" + jobName);
      }
    }

    /** Flink in this process (a MiniCluster started for the run). */
    record FlinkEmbedded(int parallelism) implements Engine {
      @Override
      public String name() {
        return "flink[local]";
      }

      @Override
      public List<String> args(String jobName, Path runFolder) {
        return List.of(
            "--runner=FlinkRunner",
            "--flinkMaster=[local]",
            // Flink's DataSet optimizer takes minutes on the wide graphs of unrolled loops; the
            // DataStream API in batch mode translates them in a second
            "--useDataStreamForBatch=true",
            "--parallelism=" + parallelism,
            "--jobName=" + jobName,
            // Flink's working and upload folders go into the run folder, deleted after the run
            "--flinkConfDir=" + localConf(runFolder));
      }
    }

    private static Path localConf(Path runFolder) {
      Path conf = runFolder.resolve("flink-conf");
      Path tmp = runFolder.resolve("flink-tmp");
      try {
        Files.createDirectories(conf);
        Files.createDirectories(tmp);
        Files.writeString(
            conf.resolve("flink-conf.yaml"),
            "io.tmp.dirs: " + tmp + "\nweb.upload.dir: " + tmp + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write Flink's configuration in " + conf, e);
      }
      return conf;
    }

    /**
     * A Flink 1.19 session cluster at {@code master} ({@code host:port} of its REST endpoint),
     * running the classes of {@code jobJar} (the shaded JetLag Beam job jar); {@code control} is
     * how the runner talks to the cluster's REST API besides Beam (version check, cancel, job
     * details).
     */
    record FlinkCluster(String master, Path jobJar, int parallelism, ClusterControl control)
        implements Engine {
      @Override
      public String name() {
        return "flink@" + master;
      }

      @Override
      public List<String> args(String jobName, Path runFolder) {
        return List.of(
            "--runner=FlinkRunner",
            "--flinkMaster=" + master,
            "--useDataStreamForBatch=true",
            "--filesToStage=" + jobJar.toAbsolutePath(),
            "--parallelism=" + parallelism,
            "--jobName=" + jobName);
      }
    }
  }

  /**
   * What the runner needs from a Flink session cluster beyond Beam's submission: the caller
   * supplies it (the command line uses {@code org.jetlag.flink.cluster.FlinkRest}).
   */
  public interface ClusterControl {
    /**
     * Checks, before anything is submitted, that the cluster at {@code master} can run the job
     * (reachable, Flink 1.19); throws a {@link RunFailure} saying what is wrong otherwise.
     */
    void check(String master);

    /** Cancels the cluster's running jobs named {@code jobName}. */
    void cancel(String master, String jobName);

    /** Flink's details ({@code GET /jobs/<id>}: vertices, times, records) of the jobs named so. */
    List<String> jobDetails(String master, String jobName);
  }

  /** The Flink version Beam's Flink runner on the classpath was built for (major.minor). */
  public static final String FLINK_VERSION = "1.19";

  private final BufferAllocator allocator;
  private final Engine engine;
  private final Path workDir;
  private final boolean keepRunFolder;
  private final Path jobDetails;

  private BeamRunner(
      BufferAllocator allocator, Engine engine, Path workDir, boolean keep, Path jobDetails) {
    this.allocator = allocator;
    this.engine = engine;
    this.workDir = workDir;
    this.keepRunFolder = keep;
    this.jobDetails = jobDetails;
  }

  /**
   * A runner on {@code engine}; outputs are allocated from {@code allocator}, which the caller
   * owns.
   */
  public static BeamRunner on(BufferAllocator allocator, Engine engine) {
    return new BeamRunner(
        allocator,
        engine,
        Paths.get(System.getProperty("java.io.tmpdir"), "jetlag-beam"),
        false,
        null);
  }

  /** The DirectRunner with its checks on ({@code checks}) or off, on two threads. */
  public static BeamRunner direct(BufferAllocator allocator, boolean checks) {
    return on(allocator, new Engine.Direct(checks, 2));
  }

  /** Embedded Flink with parallelism 2. */
  public static BeamRunner flinkEmbedded(BufferAllocator allocator) {
    return on(allocator, new Engine.FlinkEmbedded(2));
  }

  /**
   * The same runner with its run folders under {@code dir} (default: {@code
   * <java.io.tmpdir>/jetlag-beam}); on a cluster, a folder every TaskManager can use too.
   */
  public BeamRunner withWorkDir(Path dir) {
    return new BeamRunner(allocator, engine, dir, keepRunFolder, jobDetails);
  }

  /** The same runner, keeping each run folder afterwards (for debugging). */
  public BeamRunner keepingRunFolders() {
    return new BeamRunner(allocator, engine, workDir, true, jobDetails);
  }

  /**
   * The same runner, writing Flink's details of every job of a run (a JSON array of {@code GET
   * /jobs/<id>} answers: per-vertex times and record counts) to {@code file} after a run on a
   * session cluster, beside the JetLag trace.
   */
  public BeamRunner writingJobDetailsTo(Path file) {
    return new BeamRunner(allocator, engine, workDir, keepRunFolder, file);
  }

  @Override
  public String name() {
    return engine.name();
  }

  /** The nodes this runner cannot lower, as design-time diagnostics (empty: it can run). */
  public static List<Diagnostic> unsupported(TypedGraph g) {
    return Lowering.unsupported(g);
  }

  @Override
  public RunHandle start(TypedGraph graph, RunRequest request) {
    CompletableFuture<RunResult> result = new CompletableFuture<>();
    List<Diagnostic> problems = unsupported(graph);
    if (!problems.isEmpty()) {
      result.completeExceptionally(new ValidationException(problems));
      return handle(result, new Run(null));
    }
    String runId = "jetlag-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
    Run run = new Run(Thread.currentThread());
    run.jobName = runId;
    Thread t =
        new Thread(
            () -> {
              try {
                RunResult r = execute(graph, request, runId, run);
                if (!result.complete(r)) {
                  r.close(); // cancelled or timed out meanwhile: nobody will take the outputs
                }
              } catch (Throwable e) {
                result.completeExceptionally(
                    run.cancelled.get()
                        ? new CancellationException("run cancelled")
                        : e instanceof RunFailure || e instanceof ValidationException
                            ? e
                            : new RunFailure(
                                "Beam run on " + name() + " failed: " + message(e), null, e));
              }
            },
            runId);
    t.setDaemon(true);
    run.thread = t;
    t.start();
    request
        .options()
        .timeout()
        .ifPresent(
            d ->
                CompletableFuture.delayedExecutor(
                        d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
                    .execute(
                        () -> {
                          RunFailure late =
                              new RunFailure(
                                  "run of graph '"
                                      + graph.graph().name()
                                      + "' exceeded its timeout of "
                                      + d.toMillis()
                                      + " ms",
                                  null,
                                  null);
                          if (result.completeExceptionally(late)) {
                            run.cancel();
                          }
                        }));
    return handle(result, run);
  }

  private static String message(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      if (c instanceof RunFailure) {
        break;
      }
      c = c.getCause();
    }
    return c instanceof RunFailure ? c.getMessage() : String.valueOf(c);
  }

  /** How long {@link RunHandle#cancel} waits for a session cluster to take the cancel request. */
  private static final java.time.Duration CANCEL_REQUEST_WAIT = java.time.Duration.ofSeconds(5);

  /** The state shared by the run's thread and cancel. */
  private final class Run {
    final AtomicBoolean cancelled = new AtomicBoolean();
    final AtomicReference<PipelineResult> pipeline = new AtomicReference<>();
    volatile Thread thread;
    volatile String jobName;

    Run(Thread t) {
      this.thread = t;
    }

    void cancel() {
      cancelled.set(true);
      if (engine instanceof Engine.FlinkCluster && jobName != null) {
        // Beam's Flink runner returns only when the job ends: the cluster cancels it
        Engine.FlinkCluster c = (Engine.FlinkCluster) engine;
        String name = jobName;
        Thread t =
            new Thread(
                () -> {
                  try {
                    c.control().cancel(c.master(), name);
                  } catch (RuntimeException e) {
                    // the cluster is gone or the job ended: nothing left to cancel
                  }
                },
                name + "-cancel");
        t.setDaemon(true);
        t.start();
        // Wait (briefly) until the cluster has the request: when cancel comes from a shutdown
        // hook (SIGTERM, Ctrl-C), the JVM would otherwise halt before the request is sent and
        // leave the cluster's job running.
        try {
          t.join(CANCEL_REQUEST_WAIT.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      PipelineResult p = pipeline.get();
      if (p != null) {
        try {
          p.cancel();
        } catch (IOException | UnsupportedOperationException | IllegalStateException e) {
          // finished already, or the engine cannot cancel: the thread is interrupted below
        }
      }
      Thread t = thread;
      if (t != null && t != Thread.currentThread()) {
        t.interrupt();
      }
    }
  }

  private RunResult execute(TypedGraph graph, RunRequest request, String runId, Run run)
      throws IOException {
    long t0 = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    long startMicros = startMillis * 1000;
    Files.createDirectories(workDir);
    Exchange ex = Exchange.create(Files.createTempDirectory(workDir, runId + "-"), name());
    try {
      if (engine instanceof Engine.FlinkCluster) {
        Engine.FlinkCluster c = (Engine.FlinkCluster) engine;
        c.control().check(c.master()); // before anything is submitted
      }
      Map<String, Lowering.Input> inputs = stageInputs(graph, request, ex);
      List<org.apache.beam.sdk.metrics.MetricResults> metrics = new ArrayList<>();
      List<org.jetlag.perf.Phase> phases = new ArrayList<>();
      java.util.function.LongSupplier micros = () -> (System.nanoTime() - t0) / 1000;
      String[] args = engine.args(runId, Paths.get(ex.dir())).toArray(String[]::new);
      Lowering.Stages stages =
          new Lowering.Stages() {
            @Override
            public Pipeline create() {
              return Pipeline.create(PipelineOptionsFactory.fromArgs(args).create());
            }

            @Override
            public boolean spreadChunks() {
              return engine instanceof Engine.FlinkCluster;
            }

            @Override
            public void run(Pipeline p) {
              if (run.cancelled.get()) {
                throw new CancellationException("run cancelled");
              }
              double submitted = micros.getAsLong();
              if (phases.isEmpty()) {
                phases.add(
                    new org.jetlag.perf.Phase("prepare (stage inputs, lower)", 0, submitted));
              }
              PipelineResult r = p.run();
              run.pipeline.set(r);
              if (run.cancelled.get()) {
                run.cancel();
              }
              PipelineResult.State state = r.waitUntilFinish();
              if (run.cancelled.get()) {
                throw new CancellationException("run cancelled");
              }
              if (state != null && state != PipelineResult.State.DONE) {
                throw new RunFailure("Beam run on " + name() + " ended " + state, null, null);
              }
              phases.add(
                  new org.jetlag.perf.Phase(
                      "job " + (phases.size()) + " (submit and run on " + name() + ")",
                      submitted,
                      micros.getAsLong()));
              try {
                metrics.add(r.metrics());
              } catch (UnsupportedOperationException e) {
                // this engine reports no metrics: the spans alone make the trace
              }
            }
          };
      List<TensorType> outTypes =
          Lowering.run(
              stages,
              !(engine instanceof Engine.Direct),
              graph,
              inputs,
              request.baseDir(),
              request.options().chunkBytes(),
              ex);
      Map<String, NdArray> outs = new LinkedHashMap<>();
      double collect = micros.getAsLong();
      List<Node> outNodes = graph.graph().outputNodes();
      try {
        for (int i = 0; i < outNodes.size(); i++) {
          Node n = outNodes.get(i);
          outs.put((String) graph.params(n.id()).get("name"), assemble(ex, i, outTypes.get(i)));
        }
      } catch (RuntimeException e) {
        outs.values().forEach(NdArray::close);
        throw e;
      }
      phases.add(new org.jetlag.perf.Phase("collect outputs", collect, micros.getAsLong()));
      long wall = System.nanoTime() - t0;
      RunInfo info =
          new RunInfo(
              graph.graph().name(),
              RunInfo.hashOf(graph.graph()),
              name(),
              parallelism(),
              startMillis,
              wall / 1000.0,
              Versions.jetlag(),
              request.options().chunkBytes());
      Trace trace =
          BeamTrace.build(
              graph, ex, metrics, info, startMicros, request.options().maxSpans(), phases);
      if (jobDetails != null && engine instanceof Engine.FlinkCluster) {
        Engine.FlinkCluster c = (Engine.FlinkCluster) engine;
        writeJobDetails(c.control().jobDetails(c.master(), runId));
      }
      return new RunResult(outs, trace, () -> {});
    } catch (org.apache.beam.sdk.Pipeline.PipelineExecutionException e) {
      throw new RunFailure("Beam run on " + name() + " failed: " + message(e), nodeOf(e), e);
    } finally {
      if (!keepRunFolder) {
        ex.delete();
      }
    }
  }

  private void writeJobDetails(List<String> jobs) throws IOException {
    Path tmp = jobDetails.resolveSibling("." + jobDetails.getFileName() + ".tmp");
    Files.writeString(tmp, "[" + String.join(",\n", jobs) + "]\n");
    Files.move(
        tmp,
        jobDetails,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static String nodeOf(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof RunFailure && ((RunFailure) c).nodeId().isPresent()) {
        return ((RunFailure) c).nodeId().get();
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  private int parallelism() {
    if (engine instanceof Engine.Direct) {
      return ((Engine.Direct) engine).parallelism();
    }
    if (engine instanceof Engine.FlinkEmbedded) {
      return ((Engine.FlinkEmbedded) engine).parallelism();
    }
    return ((Engine.FlinkCluster) engine).parallelism();
  }

  /** Inputs as files the workers read: files as they are, arrays written to the run folder. */
  private Map<String, Lowering.Input> stageInputs(TypedGraph g, RunRequest req, Exchange ex) {
    Map<String, Lowering.Input> out = new LinkedHashMap<>();
    int i = 0;
    for (Node n : g.graph().inputNodes()) {
      String name = (String) g.params(n.id()).get("name");
      Optional<RunRequest.InputSource> s = req.input(name);
      TensorType declared = g.type(new PortRef(n.id(), Ops.OUT));
      if (s.isEmpty()) {
        throw RunFailure.at(
            n.id(), n.op(), "input '" + name + "': expected " + declared + ", got none", null);
      }
      if (s.get() instanceof RunRequest.InputSource.Array) {
        NdArray a = ((RunRequest.InputSource.Array) s.get()).array();
        Path f = ex.input(i++);
        NpyFiles.write(a, f);
        out.put(name, new Lowering.Input(f.toString(), OpKind.IoFn.READ_NPY, a.type()));
      } else {
        Path f = req.baseDir().resolve(((RunRequest.InputSource.File) s.get()).path());
        try {
          TensorType t = Planner.fileType(f, declared);
          out.put(name, new Lowering.Input(f.toAbsolutePath().toString(), Planner.readerFor(f), t));
        } catch (ArrayFileException e) {
          throw RunFailure.at(n.id(), n.op(), "input '" + name + "': " + e.getMessage(), e);
        }
      }
    }
    return out;
  }

  private NdArray assemble(Exchange ex, int index, TensorType type) {
    List<ChunkData> data = ex.readOutput(index);
    List<Chunk> chunks = new ArrayList<>();
    try {
      for (ChunkData d : data) {
        chunks.add(d.toChunk(allocator));
      }
      if (chunks.isEmpty()) {
        throw new IllegalStateException("output " + index + " produced no chunks");
      }
      return NdArray.of(type.dtype(), type.shape(), chunks);
    } catch (RuntimeException e) {
      chunks.forEach(Chunk::close);
      throw e;
    }
  }

  private static RunHandle handle(CompletableFuture<RunResult> r, Run run) {
    return new RunHandle() {
      @Override
      public CompletableFuture<RunResult> result() {
        return r;
      }

      @Override
      public void cancel() {
        run.cancel();
        r.completeExceptionally(new CancellationException("run cancelled"));
      }
    };
  }

  /** A root allocator for tests and simple uses. */
  public static BufferAllocator newAllocator() {
    return Allocators.root(Long.MAX_VALUE);
  }
}
