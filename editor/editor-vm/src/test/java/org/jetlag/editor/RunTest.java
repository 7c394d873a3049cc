package org.jetlag.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jetlag.graph.TypedGraph;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.perf.Trace;
import org.jetlag.perf.TraceJson;
import org.jetlag.runner.RunEvent;
import org.jetlag.runner.RunFailure;
import org.jetlag.runner.RunHandle;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.Runner;
import org.jetlag.runner.local.LocalRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunTest {
  @TempDir Path tmp;
  private final Fixtures.Dialogs dialogs = new Fixtures.Dialogs();
  private final ExecutorService background = Executors.newSingleThreadExecutor();
  private final LocalRunner local = LocalRunner.withThreads(2, 1L << 30);

  @AfterEach
  void close() throws Exception {
    background.shutdown();
    assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    local.close();
  }

  private EditorViewModel vm(Runner r) {
    return Fixtures.viewModel(dialogs, () -> r, background, tmp.resolve("state"));
  }

  @Test
  void aRunOfKmeansShowsStatusOverlayTimelineProfileAdviceAndPreviews() throws Exception {
    EditorViewModel vm = vm(local);
    vm.open(TestGraphs.examples().resolve("kmeans/graph.json"));
    vm.run();
    vm.lastRun().get(60, TimeUnit.SECONDS);
    assertThat(dialogs.errors).isEmpty();
    assertThat(vm.runningProperty().get()).isFalse();
    assertThat(vm.progressProperty().get()).isEqualTo(1.0);
    assertThat(vm.statuses()).containsEntry("lloyd", NodeStatus.DONE);
    assertThat(vm.statuses()).containsEntry("lloyd/sq", NodeStatus.DONE);
    TimingOverlay o = vm.overlayProperty().get().orElseThrow();
    assertThat(o.node("lloyd/d2")).isPresent();
    assertThat(o.nodes().values()).allMatch(t -> t.share() >= 0 && t.share() <= 1);
    assertThat(o.nodes().values()).anyMatch(t -> t.heat() == 1.0);
    // the loop's time includes its body: the heaviest node of the top graph, hot
    double body =
        o.nodes().values().stream()
            .filter(t -> t.key().startsWith("lloyd/"))
            .mapToDouble(TimingOverlay.NodeTiming::millis)
            .sum();
    assertThat(o.node("lloyd").orElseThrow().millis()).isGreaterThanOrEqualTo(body - 1e-9);
    assertThat(o.node("lloyd").orElseThrow().heat()).isEqualTo(1.0);
    assertThat(o.nodes().values().stream().filter(t -> t.key().startsWith("lloyd/")))
        .anyMatch(t -> t.heat() == 1.0);
    Timeline t = vm.timelineProperty().get().orElseThrow();
    assertThat(t.barCount()).isPositive();
    assertThat(t.lanes()).allMatch(l -> l.name().startsWith("local / "));
    assertThat(vm.profile()).isNotEmpty();
    assertThat(vm.profile().get(0).totalNanos())
        .isGreaterThanOrEqualTo(vm.profile().get(vm.profile().size() - 1).totalNanos());
    assertThat(vm.previews())
        .extracting(OutputPreview::name)
        .containsExactly("centroids", "labels", "inertia");
    OutputPreview centroids = vm.previews().get(0);
    assertThat(centroids.shape()).isEqualTo("[3,2]");
    assertThat(centroids.grid()).isPresent();
    assertThat(vm.previews().get(1).series()).isPresent();
    assertThat(vm.messageProperty().get()).startsWith("run done on test");
  }

  @Test
  void aTimelineBarSelectsItsNode() throws Exception {
    EditorViewModel vm = vm(local);
    vm.open(TestGraphs.examples().resolve("linear-regression/graph.json"));
    vm.run();
    vm.lastRun().get(60, TimeUnit.SECONDS);
    Timeline.Bar bar = vm.timelineProperty().get().orElseThrow().lanes().get(0).bars().get(0);
    vm.selectKey(bar.key());
    assertThat(vm.document().traceKey(vm.document().selection().get(0))).isEqualTo(bar.key());
    Timeline t = vm.timelineProperty().get().orElseThrow();
    assertThat(t.barAt(0, (bar.start() + bar.end()) / 2, 0)).isPresent();
  }

  @Test
  void aGraphWithErrorsIsNotRun() {
    EditorViewModel vm = vm(local);
    vm.addNode("sin", new org.jetlag.graph.Position(0, 0));
    vm.run();
    assertThat(dialogs.errors).singleElement().asString().startsWith("Cannot run").contains("sin");
    assertThat(vm.runningProperty().get()).isFalse();
  }

  @Test
  void aMissingInputFileIsAskedForAndCancellingTheQuestionCancelsTheRun() {
    EditorViewModel vm = vm(local);
    vm.apply(Document.of(GraphJson.read(TestGraphs.examples().resolve("pca/graph.json"))));
    vm.run(); // untitled: no folder to find X.npy in, and the dialog answers nothing
    assertThat(vm.runningProperty().get()).isFalse();
    assertThat(vm.messageProperty().get()).isEqualTo("run cancelled: no data for input 'X'");
  }

  @Test
  void aFailedNodeIsMarkedWithItsMessage() throws Exception {
    Runner failing =
        stub(
            (listener, future) -> {
              listener.onEvent(new RunEvent.NodeStarted("s"));
              listener.onEvent(new RunEvent.NodeFailed("s", "node 's' (sin): boom"));
              future.completeExceptionally(RunFailure.at("s", "sin", "boom", null));
            });
    EditorViewModel vm = vm(failing);
    vm.apply(Document.of(TestGraphs.chain(5)));
    vm.run();
    vm.lastRun().get(10, TimeUnit.SECONDS);
    assertThat(vm.statuses()).containsEntry("s", NodeStatus.FAILED);
    assertThat(vm.failures()).containsEntry("s", "node 's' (sin): boom");
    assertThat(vm.messageProperty().get()).isEqualTo("run failed: node 's' (sin): boom");
    assertThat(vm.overlayProperty().get()).isEmpty();
  }

  @Test
  void cancelStopsTheRun() throws Exception {
    CompletableFuture<RunResult> pending = new CompletableFuture<>();
    Runner slow =
        new Runner() {
          @Override
          public String name() {
            return "slow";
          }

          @Override
          public RunHandle start(TypedGraph graph, RunRequest request) {
            return new RunHandle() {
              @Override
              public CompletableFuture<RunResult> result() {
                return pending;
              }

              @Override
              public void cancel() {
                pending.completeExceptionally(new CancellationException("cancelled"));
              }
            };
          }
        };
    EditorViewModel vm = vm(slow);
    vm.apply(Document.of(TestGraphs.chain(5)));
    vm.run();
    assertThat(vm.runningProperty().get()).isTrue();
    assertThat(vm.statuses()).containsEntry("s", NodeStatus.QUEUED);
    vm.cancel();
    vm.lastRun().get(10, TimeUnit.SECONDS);
    assertThat(vm.runningProperty().get()).isFalse();
    assertThat(vm.messageProperty().get()).isEqualTo("run cancelled");
    assertThat(vm.statuses()).containsEntry("s", NodeStatus.IDLE);
  }

  @Test
  void aSavedTraceOpensOntoItsGraph() throws Exception {
    var g = GraphJson.read(TestGraphs.examples().resolve("kmeans/graph.json"));
    Trace trace;
    try (RunResult r =
        local.run(
            Validation.check(g),
            RunRequest.create()
                .withInput("X", TestGraphs.examples().resolve("kmeans/X.npy"))
                .withInput("init", TestGraphs.examples().resolve("kmeans/init.npy")))) {
      trace = r.trace();
    }
    Path file = tmp.resolve("kmeans.trace.json");
    TraceJson.write(trace, file);

    EditorViewModel vm = vm(local);
    assertThat(vm.openTrace(file)).isTrue();
    assertThat(vm.document().root()).isEqualTo(g);
    assertThat(vm.overlayProperty().get().orElseThrow().node("lloyd")).isPresent();
    assertThat(vm.timelineProperty().get().orElseThrow().barCount())
        .isEqualTo(trace.spans().size());

    // on the same graph, the document stays (and keeps its file)
    EditorViewModel open = vm(local);
    open.open(TestGraphs.examples().resolve("kmeans/graph.json"));
    assertThat(open.openTrace(file)).isTrue();
    assertThat(open.fileProperty().get()).isPresent();
  }

  interface Script {
    void play(org.jetlag.runner.RunListener l, CompletableFuture<RunResult> f);
  }

  private static Runner stub(Script script) {
    return new Runner() {
      @Override
      public String name() {
        return "stub";
      }

      @Override
      public RunHandle start(TypedGraph graph, RunRequest request) {
        CompletableFuture<RunResult> f = new CompletableFuture<>();
        script.play(request.options().listener(), f);
        return new RunHandle() {
          @Override
          public CompletableFuture<RunResult> result() {
            return f;
          }

          @Override
          public void cancel() {
            f.cancel(false);
          }
        };
      }
    };
  }
}
