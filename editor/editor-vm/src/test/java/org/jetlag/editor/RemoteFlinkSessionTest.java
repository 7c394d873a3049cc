package org.jetlag.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.jetlag.arrow.Allocators;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.NdArray;
import org.jetlag.flink.cluster.ClusterSpec;
import org.jetlag.flink.cluster.FlinkCluster;
import org.jetlag.graph.Graph;
import org.jetlag.graph.Node;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.perf.NodeProfile;
import org.jetlag.perf.Trace;
import org.jetlag.perf.TraceJson;
import org.jetlag.remote.SessionJobs;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.local.LocalRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The editor's remote path end to end on a REAL Flink 1.19 session cluster (a JobManager and a
 * TaskManager JVM on 127.0.0.1, started and stopped here): the linear-regression example is
 * submitted from the jobs view model as Remote ▸ Submit… does, its driver runs detached through
 * this build's {@code bin/jetlag job-driver} (as in the editor), the list follows it to FINISHED,
 * Fetch & Open copies the outputs and trace and shows the trace on the open graph, and the fetched
 * outputs equal a local run's.
 */
@Tag("flink-cluster")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteFlinkSessionTest {
  static final Path HOME = TestGraphs.examples().getParent();
  static final Path DIR = Path.of("target", "remote-flink-session-test").toAbsolutePath();

  private FlinkCluster cluster;
  private final Fixtures.Dialogs dialogs = new Fixtures.Dialogs();
  private final ExecutorService ui = Executors.newSingleThreadExecutor();
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @BeforeAll
  void start() throws Exception {
    if (Files.exists(DIR)) {
      org.jetlag.remote.SafeArchives.deleteTree(DIR);
    }
    cluster =
        FlinkCluster.start(
            ClusterSpec.of(
                    DIR.resolve("cluster"), HOME.resolve("runners/flink-dist/target/flink-lib"))
                .withSlots(2)
                .withJobManagerMemory(768L << 20));
  }

  @AfterAll
  void stop() throws Exception {
    for (ExecutorService e : List.of(ui, workers, timer)) {
      e.shutdownNow();
      assertThat(e.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private <T> T onUi(Callable<T> c) throws Exception {
    return ui.submit(c).get(60, TimeUnit.SECONDS);
  }

  @Test
  @Timeout(400)
  void submitFollowFetchAndOpenOnASessionCluster() throws Exception {
    Path dir = Files.createDirectories(DIR.resolve("linear-regression"));
    for (String f : List.of("graph.json", "X.npy", "y.npy")) {
      Files.copy(TestGraphs.examples().resolve("linear-regression").resolve(f), dir.resolve(f));
    }
    Path graph = dir.resolve("graph.json");
    SessionJobs sessions = SessionJobs.at(DIR.resolve("jobs"), SessionJobs.jetlagCommand(HOME));
    EditorViewModel editor =
        onUi(
            () ->
                new EditorViewModel(
                    new EditorViewModel.Services(
                        dialogs,
                        ui::execute,
                        Runnable::run,
                        List.of(
                            new RunnerChoice(
                                "none",
                                () -> {
                                  throw new IllegalStateException("no local runs here");
                                })),
                        Fixtures.GRID,
                        DIR.resolve("state"))));
    JobsViewModel jobs =
        onUi(
            () ->
                new JobsViewModel(
                    editor,
                    new JobsViewModel.Services(
                        dialogs,
                        ui::execute,
                        workers,
                        timer,
                        List.of(new JobSource("flink", () -> sessions)),
                        new JobsViewModel.Timing(
                            Duration.ofSeconds(20), Duration.ofMinutes(2), Duration.ofSeconds(1)),
                        "0.1.0-SNAPSHOT",
                        DIR.resolve("state"))));
    assertThat(onUi(() -> editor.open(graph))).isTrue();
    dialogs.submit =
        Optional.of(
            new SubmitForm(
                "flink://" + cluster.restAddress(),
                "",
                OptionalInt.empty(),
                OptionalInt.of(2),
                OptionalInt.of(5),
                "flink"));

    long t0 = System.nanoTime();
    onUi(
        () -> {
          jobs.submit();
          return null;
        });
    onUi(jobs::lastAction).get(120, TimeUnit.SECONDS);
    assertThat(dialogs.errors).isEmpty();
    String id = onUi(() -> jobs.rows().get(0).id());
    long submitted = System.nanoTime();

    // the view model polls by itself while the job it submitted runs
    Set<String> states = new TreeSet<>();
    JobRow end = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (end == null) {
      JobRow r =
          onUi(() -> jobs.rows().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow());
      states.add(r.state());
      if (r.terminal()) {
        end = r;
      } else if (System.nanoTime() > deadline) {
        throw new AssertionError("job " + id + " still " + r.state() + " after 300 s");
      } else {
        Thread.sleep(200);
      }
    }
    long finished = System.nanoTime();
    JobRow row = end;
    assertThat(row.state())
        .as("%s; log: %s", JobsViewModel.describe(row), sessions.log(id, 40).orElse("-"))
        .isEqualTo("FINISHED");
    assertThat(row.target()).isEqualTo("flink://" + cluster.restAddress());
    // a FAILED job would have shown its log in an error
    assertThat(dialogs.errors).isEmpty();

    onUi(
        () -> {
          jobs.fetchAndOpen(row);
          return null;
        });
    onUi(jobs::lastAction).get(120, TimeUnit.SECONDS);
    long opened = System.nanoTime();
    assertThat(dialogs.errors).isEmpty();
    Path results = dir.resolve("results").resolve(id);
    Trace trace = TraceJson.read(results.resolve("trace.json"));
    assertThat(trace.info().runner()).isEqualTo("flink@" + cluster.restAddress());

    Graph g = GraphJson.read(graph);
    Set<String> measured = new TreeSet<>();
    trace.nodes().stream().map(NodeProfile::nodeId).forEach(measured::add);
    onUi(
        () -> {
          // the same document (the trace is of this graph), every node done, every node the run
          // measured with its time, the timeline and the outputs' previews
          assertThat(editor.fileProperty().get()).contains(graph);
          assertThat(editor.document().root()).isEqualTo(g);
          for (Node n : g.nodes()) {
            assertThat(editor.statuses()).containsEntry(n.id(), NodeStatus.DONE);
          }
          assertThat(editor.overlayProperty().get().orElseThrow().nodes().keySet())
              .containsExactlyInAnyOrderElementsOf(measured);
          assertThat(editor.timelineProperty().get().orElseThrow().barCount())
              .isEqualTo(trace.spans().size());
          assertThat(editor.previews())
              .extracting(OutputPreview::name)
              .containsExactly("coef", "residual_norm");
          return null;
        });
    // every node was measured on the cluster but the transpose, which the Beam lowering (like the
    // local runner) fuses into the two matmuls that read it
    Set<String> all = new TreeSet<>();
    g.nodes().forEach(n -> all.add(n.id()));
    all.remove("Xt");
    assertThat(measured).isEqualTo(all);

    // the fetched outputs are the local runner's
    try (LocalRunner local = LocalRunner.withThreads(2, 1L << 30);
        RunResult want =
            local.run(
                Validation.check(g),
                RunRequest.create()
                    .withInput("X", dir.resolve("X.npy"))
                    .withInput("y", dir.resolve("y.npy")));
        BufferAllocator alloc = Allocators.root(Long.MAX_VALUE)) {
      for (String o : want.outputs().keySet()) {
        try (NdArray got = ArrowFiles.read(results.resolve(o + ".arrow"), alloc)) {
          assertThat(got.type()).isEqualTo(want.output(o).type());
          double[] a = got.toDoubles();
          double[] w = want.output(o).toDoubles();
          assertThat(a).hasSameSizeAs(w);
          for (int i = 0; i < w.length; i++) {
            assertThat(Math.abs(a[i] - w[i]))
                .as("%s[%d] fetched vs local", o, i)
                .isLessThanOrEqualTo(1e-9 * Math.abs(w[i]) + 1e-12);
          }
        }
      }
    }
    System.out.printf(
        "RemoteFlinkSessionTest: states seen %s; submit %.1f s, submitted to FINISHED seen %.1f s,"
            + " fetch and open %.1f s%n",
        states, (submitted - t0) / 1e9, (finished - submitted) / 1e9, (opened - finished) / 1e9);
  }
}
