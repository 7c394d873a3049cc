package org.jetlag.editor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.NdArray;
import org.jetlag.graph.Graph;
import org.jetlag.graph.JetLagException;
import org.jetlag.graph.Node;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.perf.TraceJson;
import org.jetlag.remote.Submission;
import org.jetlag.remote.Target;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.local.LocalRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jobs view model against an in-memory {@link FakeJobs} service: submit, states advancing,
 * polling, a hung service, cancel, fetch and open, a failed job's log, not being logged in. The
 * real services are tested in runners/remote(-it) and, from this view model, on a real Flink
 * session cluster in {@link RemoteFlinkSessionTest}. The view model runs on a UI thread of its own
 * here (a single-thread executor), as it does on the FX thread in the editor.
 */
class JobsViewModelTest {
  @TempDir Path tmp;
  private final Fixtures.Dialogs dialogs = new Fixtures.Dialogs();
  private final ExecutorService ui = Executors.newSingleThreadExecutor();
  private final ExecutorService workers = Executors.newCachedThreadPool();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final FakeJobs flink = new FakeJobs("flink://127.0.0.1:8081");
  private EditorViewModel editor;
  private Path graph;

  @BeforeEach
  void openExample() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("linear-regression"));
    for (String f : List.of("graph.json", "X.npy", "y.npy")) {
      Files.copy(TestGraphs.examples().resolve("linear-regression").resolve(f), dir.resolve(f));
    }
    graph = dir.resolve("graph.json");
    editor =
        new EditorViewModel(
            new EditorViewModel.Services(
                dialogs,
                ui::execute,
                Runnable::run,
                List.of(
                    new RunnerChoice(
                        "test",
                        () -> {
                          throw new IllegalStateException("no runs here");
                        })),
                Fixtures.GRID,
                tmp.resolve("state")));
    assertThat(onUi(() -> editor.open(graph))).isTrue();
  }

  @AfterEach
  void stop() throws Exception {
    flink.answer();
    for (ExecutorService e : List.of(ui, workers, timer)) {
      e.shutdownNow();
      assertThat(e.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private JobsViewModel jobs(Duration call, Duration poll, JobSource... sources) {
    return onUi(
        () ->
            new JobsViewModel(
                editor,
                new JobsViewModel.Services(
                    dialogs,
                    ui::execute,
                    workers,
                    timer,
                    List.of(sources),
                    new JobsViewModel.Timing(call, Duration.ofSeconds(20), poll),
                    "0.1.0-test",
                    tmp.resolve("state"))));
  }

  private JobsViewModel jobs() {
    return jobs(
        Duration.ofSeconds(10), Duration.ofMinutes(10), new JobSource("flink", () -> flink));
  }

  private <T> T onUi(Callable<T> c) {
    try {
      return ui.submit(c).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private void run(Runnable r) {
    onUi(
        () -> {
          r.run();
          return null;
        });
  }

  private void settle(JobsViewModel vm) throws Exception {
    onUi(vm::lastAction).get(30, TimeUnit.SECONDS);
    onUi(vm::lastRefresh).get(30, TimeUnit.SECONDS);
    onUi(() -> null);
  }

  private void refresh(JobsViewModel vm) throws Exception {
    onUi(() -> {
          vm.refresh();
          return vm.lastRefresh();
        })
        .get(30, TimeUnit.SECONDS);
  }

  private static void await(String what, BooleanSupplier ok) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError("still not: " + what);
      }
      Thread.sleep(20);
    }
  }

  private JobRow row(JobsViewModel vm, String id) {
    return onUi(() -> vm.rows().stream().filter(r -> r.id().equals(id)).findFirst().orElseThrow());
  }

  private static SubmitForm form(String target, String runner) {
    return new SubmitForm(
        target, "", OptionalInt.empty(), OptionalInt.of(2), OptionalInt.of(5), runner);
  }

  @Test
  void submitSendsTheSavedGraphWithItsInputsAndTheStatesAdvanceToTheEnd() throws Exception {
    JobsViewModel vm = jobs();
    dialogs.submit = Optional.of(form("flink://127.0.0.1:8081", "flink"));
    run(vm::submit);
    settle(vm);
    assertThat(dialogs.errors).isEmpty();
    assertThat(flink.submitted).hasSize(1);
    Submission s = flink.submitted.get(0);
    assertThat(s.graph()).isEqualTo(graph.toAbsolutePath().normalize());
    assertThat(s.inputs())
        .isEqualTo(Map.of("X", graph.resolveSibling("X.npy"), "y", graph.resolveSibling("y.npy")));
    assertThat(s.target()).isEqualTo(new Target.FlinkSession("127.0.0.1", 8081));
    assertThat(s.settings().runner()).isEqualTo("flink");
    assertThat(s.cores()).hasValue(2);
    assertThat(s.minutes()).hasValue(5);
    assertThat(s.runtimeVersion()).isEqualTo("0.1.0-test");
    String id = onUi(() -> vm.rows().get(0).id());
    assertThat(row(vm, id).state()).isEqualTo("PENDING");
    assertThat(onUi(() -> vm.selectedProperty().get().map(JobRow::id))).hasValue(id);
    assertThat(onUi(() -> editor.messageProperty().get())).contains("submitted job " + id);

    for (String state : List.of("QUEUED", "RUNNING", "FINISHED")) {
      flink.set(id, state, state.equals("FINISHED") ? "NORMAL_COMPLETION" : "", "now " + state);
      refresh(vm);
      assertThat(row(vm, id).state()).isEqualTo(state);
    }
    assertThat(onUi(() -> vm.detailsProperty().get()))
        .contains("FINISHED (NORMAL_COMPLETION)")
        .contains("now FINISHED");
    assertThat(onUi(() -> editor.messageProperty().get())).contains(id + " FINISHED");

    // the form is remembered, also by the next editor
    assertThat(jobs().lastForm()).isEqualTo(form("flink://127.0.0.1:8081", "flink"));
    run(vm::submit);
    settle(vm);
    assertThat(dialogs.submitForms).last().isEqualTo(form("flink://127.0.0.1:8081", "flink"));
  }

  @Test
  void whileAJobRunsTheListIsPolledUntilItEnds() throws Exception {
    String id = flink.add("RUNNING");
    JobsViewModel vm =
        jobs(Duration.ofSeconds(10), Duration.ofMillis(50), new JobSource("flink", () -> flink));
    run(() -> vm.panelShownProperty().set(true));
    await("the running job is listed", () -> onUi(() -> vm.rows().size()) == 1);
    flink.set(id, "FINISHED", "NORMAL_COMPLETION", "");
    await("the end is seen without a refresh by hand", () -> row(vm, id).terminal());
    settle(vm);
    int calls = flink.calls.get();
    Thread.sleep(300);
    assertThat(flink.calls.get()).as("no polling once every job has ended").isEqualTo(calls);
  }

  @Test
  void anUnsavedGraphIsSavedBeforeItIsSubmitted() throws Exception {
    JobsViewModel vm = jobs();
    run(() -> editor.select(List.of("X")));
    run(() -> editor.moveSelection(10, 10));
    assertThat(onUi(() -> editor.dirtyProperty().get())).isTrue();
    dialogs.submit = Optional.of(form("flink://127.0.0.1:8081", "flink"));
    run(vm::submit);
    settle(vm);
    assertThat(dialogs.questions).anyMatch(q -> q.contains("Save"));
    assertThat(onUi(() -> editor.dirtyProperty().get())).isFalse();
    assertThat(GraphJson.read(graph)).isEqualTo(onUi(() -> editor.document().root()));
    assertThat(flink.submitted).hasSize(1);

    // refused to save: nothing is sent
    run(() -> editor.moveSelection(10, 10));
    dialogs.answer = false;
    run(vm::submit);
    settle(vm);
    assertThat(flink.submitted).hasSize(1);
    assertThat(onUi(() -> editor.messageProperty().get())).contains("not saved");
  }

  @Test
  void aFlinkTargetTakesOnlyTheFlinkRunnerAndABadTargetIsNamed() throws Exception {
    JobsViewModel vm = jobs();
    dialogs.submit = Optional.of(form("flink://127.0.0.1:8081", "local"));
    run(vm::submit);
    settle(vm);
    dialogs.submit = Optional.of(form("my-hpc", "local"));
    run(vm::submit);
    settle(vm);
    assertThat(flink.submitted).isEmpty();
    assertThat(dialogs.errors)
        .containsExactly(
            "Cannot submit: runner: a job on flink://127.0.0.1:8081 runs with the flink runner,"
                + " not 'local'",
            "Cannot submit: expected tapis:<systemId> or flink://host:port, got 'my-hpc'");
  }

  @Test
  void aHungServiceTimesOutIsShownAndIsNotCalledAgainUntilItAnswers() throws Exception {
    flink.add("RUNNING");
    JobsViewModel vm =
        jobs(Duration.ofMillis(200), Duration.ofMinutes(10), new JobSource("flink", () -> flink));
    flink.hang();
    long t0 = System.nanoTime();
    refresh(vm);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    assertThat(onUi(() -> vm.statusProperty().get()))
        .contains("0 jobs")
        .contains("flink: list jobs: no answer within 0.2 s; gave up waiting");
    // the UI thread is free meanwhile, and the hung call is not repeated
    refresh(vm);
    assertThat(onUi(() -> vm.statusProperty().get()))
        .contains("flink: the previous call has still not returned");
    assertThat(flink.calls.get()).isEqualTo(1);

    // a hung submit: an error that says the job may exist all the same
    dialogs.submit = Optional.of(form("flink://127.0.0.1:8081", "flink"));
    JobsViewModel slow =
        onUi(
            () ->
                new JobsViewModel(
                    editor,
                    new JobsViewModel.Services(
                        dialogs,
                        ui::execute,
                        workers,
                        timer,
                        List.of(new JobSource("flink", () -> flink)),
                        new JobsViewModel.Timing(
                            Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMinutes(1)),
                        "0.1.0-test",
                        tmp.resolve("state"))));
    run(slow::submit);
    settle(slow);
    assertThat(dialogs.errors)
        .singleElement()
        .asString()
        .contains("Cannot submit to flink://127.0.0.1:8081")
        .contains("submit: no answer within 0.3 s")
        .contains("may have been created");
    assertThat(onUi(() -> slow.busyProperty().get())).isFalse();

    flink.answer();
    await("the hung calls return", () -> flink.submitted.size() == 1);
    Thread.sleep(50);
    refresh(vm);
    assertThat(onUi(() -> vm.statusProperty().get()))
        .startsWith("2 jobs")
        .doesNotContain("no answer")
        .doesNotContain("still not returned");
  }

  @Test
  void cancelAsksFirstAndTheJobEndsCancelled() throws Exception {
    String id = flink.add("QUEUED");
    JobsViewModel vm = jobs();
    refresh(vm);
    dialogs.answer = false;
    JobRow selected = row(vm, id);
    run(() -> vm.select(Optional.of(selected)));
    run(vm::cancelSelected);
    settle(vm);
    assertThat(flink.cancelled).isEmpty();
    dialogs.answer = true;
    run(vm::cancelSelected);
    settle(vm);
    assertThat(flink.cancelled).containsExactly(id);
    assertThat(row(vm, id).state()).isEqualTo("CANCELLED");
    assertThat(onUi(() -> vm.detailsProperty().get())).contains("CANCELLED (CANCELLED_BY_USER)");

    // an ended job cannot be cancelled
    run(vm::cancelSelected);
    settle(vm);
    assertThat(dialogs.errors)
        .containsExactly(
            "Cannot cancel job " + id + ": job " + id + " has already ended: CANCELLED");
  }

  @Test
  void fetchIntoANonEmptyFolderIsRefusedAndARunningJobIsNotFetched() throws Exception {
    String running = flink.add("RUNNING");
    String done = flink.add("FINISHED");
    JobsViewModel vm = jobs();
    refresh(vm);
    JobRow runningRow = row(vm, running);
    run(() -> vm.fetchAndOpen(runningRow));
    Path dir = onUi(() -> vm.resultsDir(done));
    assertThat(dir).isEqualTo(graph.resolveSibling("results").resolve(done));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("notes.txt"), "mine");
    JobRow doneRow = row(vm, done);
    run(() -> vm.fetchAndOpen(doneRow));
    settle(vm);
    assertThat(flink.fetches.get()).isZero();
    assertThat(dialogs.errors)
        .containsExactly(
            "Cannot fetch job "
                + running
                + ": job "
                + running
                + " is RUNNING; fetch it when it has ended",
            "Cannot fetch job "
                + done
                + ": the folder '"
                + dir
                + "' is not empty; move its files away or delete it, then fetch again");
    assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");
  }

  @Test
  void fetchAndOpenShowsTheTraceOnTheGraphWithStatusesTimesAndPreviews() throws Exception {
    Path out = Files.createDirectories(tmp.resolve("remote-output"));
    Graph g = GraphJson.read(graph);
    List<String> measured;
    try (LocalRunner local = LocalRunner.withThreads(2, 1L << 30);
        RunResult r =
            local.run(
                Validation.check(g),
                RunRequest.create()
                    .withInput("X", graph.resolveSibling("X.npy"))
                    .withInput("y", graph.resolveSibling("y.npy")))) {
      TraceJson.write(r.trace(), out.resolve("trace.json"));
      measured = r.trace().nodes().stream().map(p -> p.nodeId()).toList();
      for (Map.Entry<String, NdArray> e : r.outputs().entrySet()) {
        ArrowFiles.write(e.getValue(), out.resolve(e.getKey() + ".arrow"));
      }
    }
    Files.writeString(out.resolve("jetlag.log"), "ran\n");
    flink.outputs(out);
    String id = flink.add("FINISHED");
    JobsViewModel vm = jobs();
    refresh(vm);
    JobRow selected = row(vm, id);
    run(() -> vm.select(Optional.of(selected)));
    run(vm::fetchAndOpenSelected);
    settle(vm);
    assertThat(dialogs.errors).isEmpty();
    Path dir = graph.resolveSibling("results").resolve(id);
    assertThat(dir.resolve("trace.json")).exists();
    assertThat(dir.resolve("coef.arrow")).exists();
    onUi(
        () -> {
          // the document stays (same graph), and every node has a status and a time
          assertThat(editor.fileProperty().get()).contains(graph);
          for (Node n : editor.document().root().nodes()) {
            assertThat(editor.statuses()).containsEntry(n.id(), NodeStatus.DONE);
          }
          // a time on every node the run measured (the local runner fuses the transpose into
          // the matmuls; output nodes do no work)
          assertThat(editor.overlayProperty().get().orElseThrow().nodes().keySet())
              .containsExactlyInAnyOrderElementsOf(measured)
              .contains("XtX", "Xty", "coef", "fitted", "resid", "rnorm");
          assertThat(editor.timelineProperty().get()).isPresent();
          assertThat(editor.previews())
              .extracting(OutputPreview::name)
              .containsExactly("coef", "residual_norm");
          assertThat(editor.messageProperty().get()).contains(id + ": 4 files fetched into " + dir);
          return null;
        });

    // a second Fetch & Open opens what is there (after asking), fetching nothing again
    run(() -> editor.newDocument());
    run(vm::fetchAndOpenSelected);
    settle(vm);
    assertThat(flink.fetches.get()).isEqualTo(1);
    assertThat(dialogs.questions).anyMatch(q -> q.contains("Open that trace again?"));
    assertThat(onUi(() -> editor.document().root().name())).isEqualTo(g.name());
    assertThat(onUi(() -> editor.previews().size())).isEqualTo(2);
  }

  @Test
  void aFailedJobShowsTheLastLinesOfItsLog() throws Exception {
    JobsViewModel vm = jobs();
    dialogs.submit = Optional.of(form("flink://127.0.0.1:8081", "flink"));
    run(vm::submit);
    settle(vm);
    String id = onUi(() -> vm.rows().get(0).id());
    flink.log("starting\nnode 'fit' (solve): matrix is singular");
    flink.set(id, "FAILED", "JOB_EXECUTION_ERROR", "the run failed");
    refresh(vm);
    settle(vm);
    assertThat(dialogs.errors)
        .singleElement()
        .asString()
        .startsWith("Job " + id + " failed: job " + id + ": FAILED (JOB_EXECUTION_ERROR)")
        .contains("the run failed")
        .contains("Last lines of jetlag.log:\nstarting\nnode 'fit' (solve): matrix is singular");
    // the panel's details say the same for the selected job
    JobRow selected = row(vm, id);
    run(() -> vm.select(Optional.of(selected)));
    settle(vm);
    assertThat(onUi(() -> vm.detailsProperty().get())).contains("matrix is singular");
  }

  @Test
  void withoutATapisLoginTheErrorSaysHowToLogIn() throws Exception {
    JobSource tapis =
        new JobSource(
            "tapis",
            () -> {
              throw new JetLagException(
                  "not logged in to Tapis: run 'jetlag remote login --tapis URL --user NAME'"
                      + " first");
            });
    flink.add("FINISHED");
    JobsViewModel vm =
        jobs(
            Duration.ofSeconds(10),
            Duration.ofMinutes(10),
            new JobSource("flink", () -> flink),
            tapis);
    refresh(vm);
    assertThat(onUi(() -> vm.statusProperty().get()))
        .startsWith("1 job ·")
        .contains("not logged in to Tapis: run 'jetlag remote login");
    dialogs.submit = Optional.of(form("tapis:my-hpc", "local"));
    run(vm::submit);
    settle(vm);
    assertThat(dialogs.errors)
        .containsExactly(
            "Cannot submit to tapis:my-hpc: not logged in to Tapis: run 'jetlag remote login"
                + " --tapis URL --user NAME' first");
    assertThat(flink.submitted).isEmpty();
  }
}
