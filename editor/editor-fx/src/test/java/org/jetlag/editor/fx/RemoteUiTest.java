package org.jetlag.editor.fx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
import javafx.stage.Stage;
import org.jetlag.arrow.ArrowFiles;
import org.jetlag.arrow.NdArray;
import org.jetlag.editor.EditorViewModel;
import org.jetlag.editor.JobSource;
import org.jetlag.editor.JobsViewModel;
import org.jetlag.editor.NodeStatus;
import org.jetlag.editor.RunnerChoice;
import org.jetlag.editor.SubmitForm;
import org.jetlag.editor.fx.internal.ElkLayouter;
import org.jetlag.graph.Node;
import org.jetlag.graph.Validation;
import org.jetlag.graph.json.GraphJson;
import org.jetlag.perf.TraceJson;
import org.jetlag.remote.Target;
import org.jetlag.runner.RunRequest;
import org.jetlag.runner.RunResult;
import org.jetlag.runner.local.LocalRunner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Remote menu driven like a user, headless: Submit… through a scripted dialog to a job service
 * the test steps through its states ({@link StepJobs}), the jobs panel following the states live,
 * and a double click on the finished job fetching it and opening its trace onto the graph.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class RemoteUiTest {
  @TempDir static Path tmp;

  private final ScriptedDialogs dialogs = new ScriptedDialogs();
  private ExecutorService background;
  private ExecutorService workers;
  private ScheduledExecutorService timer;
  private StepJobs service;
  private EditorViewModel vm;
  private JobsViewModel jobs;
  private MainWindow window;
  private Stage stage;
  private Path graph;
  private List<String> measured;

  @Start
  void start(Stage stage) throws Exception {
    this.stage = stage;
    Path dir = Files.createDirectories(tmp.resolve("linear-regression"));
    for (String f : List.of("graph.json", "X.npy", "y.npy")) {
      Files.copy(
          ExampleUiTest.example("linear-regression").resolveSibling(f),
          dir.resolve(f),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    graph = dir.resolve("graph.json");
    // what the remote job will bring back: a local run's outputs and trace
    Path out = Files.createDirectories(tmp.resolve("remote-output"));
    try (LocalRunner local = LocalRunner.withThreads(2, 1L << 30);
        RunResult r =
            local.run(
                Validation.check(GraphJson.read(graph)),
                RunRequest.create()
                    .withInput("X", dir.resolve("X.npy"))
                    .withInput("y", dir.resolve("y.npy")))) {
      TraceJson.write(r.trace(), out.resolve("trace.json"));
      for (Map.Entry<String, NdArray> e : r.outputs().entrySet()) {
        ArrowFiles.write(e.getValue(), out.resolve(e.getKey() + ".arrow"));
      }
      measured = r.trace().nodes().stream().map(p -> p.nodeId()).toList();
    }
    service = new StepJobs(out);
    background = Executors.newSingleThreadExecutor();
    workers = Executors.newCachedThreadPool();
    timer = Executors.newSingleThreadScheduledExecutor();
    vm =
        new EditorViewModel(
            new EditorViewModel.Services(
                dialogs,
                Platform::runLater,
                background,
                List.of(
                    new RunnerChoice(
                        "local",
                        () -> {
                          throw new IllegalStateException("no local runs here");
                        })),
                new ElkLayouter(),
                tmp.resolve("state")));
    jobs =
        new JobsViewModel(
            vm,
            new JobsViewModel.Services(
                dialogs,
                Platform::runLater,
                workers,
                timer,
                List.of(new JobSource("flink", () -> service)),
                new JobsViewModel.Timing(
                    Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMillis(100)),
                "0.1.0-test",
                tmp.resolve("state")));
    window = new MainWindow(vm, java.util.Optional.of(jobs));
    stage.setScene(new Scene(window.root(), 1400, 900));
    stage.show();
    assertThat(vm.open(graph)).isTrue();
  }

  @AfterEach
  void stop() throws Exception {
    WaitForAsyncUtils.asyncFx(jobs::close).get(10, TimeUnit.SECONDS);
    for (ExecutorService e : List.of(background, workers, timer)) {
      e.shutdown();
      assertThat(e.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static <T> T fx(Callable<T> c) throws Exception {
    return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
  }

  private void menu(FxRobot robot, String item) {
    robot.clickOn("#remote-menu");
    WaitForAsyncUtils.waitForFxEvents();
    robot.clickOn(
        robot
            .lookup(
                n ->
                    n instanceof Labeled l
                        && l.getText() != null
                        && l.getText().replace("_", "").equals(item)
                        && n.isVisible())
            .<Labeled>query());
    WaitForAsyncUtils.waitForFxEvents();
  }

  /** Waits until the jobs table shows a cell with exactly {@code text}. */
  private void tableShows(FxRobot robot, String text) {
    try {
      WaitForAsyncUtils.waitFor(
          15,
          TimeUnit.SECONDS,
          () ->
              robot.lookup("#jobs-table .table-cell").queryAll().stream()
                  .anyMatch(c -> text.equals(((TableCell<?, ?>) c).getText())));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the jobs table never showed '" + text + "'", e);
    }
  }

  @Test
  void theSubmitDialogChecksAsYouTypeAndGivesTheForm(FxRobot robot) throws Exception {
    java.util.concurrent.Future<java.util.Optional<SubmitForm>> asked =
        WaitForAsyncUtils.asyncFx(
            () -> new FxDialogs(stage).askSubmit(SubmitForm.empty().withTarget("tapis:my-hpc")));
    WaitForAsyncUtils.waitForFxEvents();
    javafx.scene.control.Button submit =
        robot
            .lookup(n -> n instanceof javafx.scene.control.Button b && "Submit".equals(b.getText()))
            .query();
    assertThat(submit.isDisabled()).isFalse();
    robot.clickOn("#submit-cores").write("zero", 0);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(submit.isDisabled()).isTrue();
    assertThat(robot.lookup("#submit-problem").queryLabeled().getText())
        .isEqualTo("cores: expected a whole number of at least 1, got 'zero'");
    robot.doubleClickOn("#submit-cores").eraseText(4).write("4", 0);
    robot.doubleClickOn("#submit-target").eraseText(12).write("flink://localhost:8081", 0);
    WaitForAsyncUtils.waitForFxEvents();
    // a Flink session target runs with the flink runner only
    javafx.scene.control.ComboBox<?> runner = robot.lookup("#submit-runner").queryComboBox();
    assertThat(runner.getValue()).isEqualTo("flink");
    assertThat(runner.isDisabled()).isTrue();
    assertThat(submit.isDisabled()).isFalse();
    robot.clickOn(submit);
    assertThat(asked.get(10, TimeUnit.SECONDS))
        .contains(
            new SubmitForm(
                "flink://localhost:8081",
                "",
                OptionalInt.empty(),
                OptionalInt.of(4),
                OptionalInt.empty(),
                "flink"));
  }

  @Test
  void submitWatchTheStatesAndFetchAndOpen(FxRobot robot) throws Exception {
    dialogs.submitAnswer =
        java.util.Optional.of(
            new SubmitForm(
                "flink://127.0.0.1:8081",
                "",
                OptionalInt.empty(),
                OptionalInt.of(2),
                OptionalInt.empty(),
                "flink"));
    menu(robot, "Submit…");
    WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> !service.submitted().isEmpty());
    assertThat(service.submitted().get(0).target())
        .isEqualTo(new Target.FlinkSession("127.0.0.1", 8081));
    assertThat(service.submitted().get(0).inputs()).containsOnlyKeys("X", "y");

    menu(robot, "Jobs Panel");
    assertThat(robot.lookup("#jobs-table").tryQuery()).isPresent();
    tableShows(robot, StepJobs.ID);
    tableShows(robot, "PENDING");
    for (String state : List.of("QUEUED", "RUNNING", "FINISHED")) {
      service.set(state);
      tableShows(robot, state);
    }
    assertThat(fx(() -> vm.messageProperty().get())).contains(StepJobs.ID + " FINISHED");
    // the submitted job stayed selected through the updates, its details in the panel
    assertThat(fx(() -> window.jobsTable().getSelectionModel().getSelectedItem().id()))
        .isEqualTo(StepJobs.ID);
    assertThat(robot.lookup("#jobs-details").queryTextInputControl().getText())
        .contains("FINISHED (NORMAL_COMPLETION)");

    robot.doubleClickOn(
        robot.lookup("#jobs-table .table-cell").queryAll().stream()
            .filter(c -> StepJobs.ID.equals(((TableCell<?, ?>) c).getText()))
            .findFirst()
            .orElseThrow());
    WaitForAsyncUtils.waitFor(
        15, TimeUnit.SECONDS, () -> fx(() -> vm.overlayProperty().get().isPresent()));
    fx(
        () -> {
          assertThat(dialogs.errors).isEmpty();
          for (Node n : vm.document().root().nodes()) {
            assertThat(vm.statuses()).containsEntry(n.id(), NodeStatus.DONE);
          }
          assertThat(vm.overlayProperty().get().orElseThrow().nodes().keySet())
              .containsExactlyInAnyOrderElementsOf(measured);
          assertThat(vm.previews()).hasSize(2);
          assertThat(vm.fileProperty().get()).contains(graph);
          return null;
        });
    assertThat(graph.resolveSibling("results").resolve(StepJobs.ID).resolve("trace.json")).exists();
    WaitForAsyncUtils.asyncFx(() -> Screenshots.write(stage.getScene(), "editor-remote-jobs.png"))
        .get(30, TimeUnit.SECONDS);
  }
}
