package org.jetlag.editor.fx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.jetlag.editor.EditorViewModel;
import org.jetlag.editor.RunnerChoice;
import org.jetlag.editor.fx.internal.ElkLayouter;
import org.jetlag.graph.Edge;
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
 * The k-means example opened, run and inspected headless; writes the screenshots the README and
 * docs/editor.md show.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class ExampleUiTest {
  @TempDir static Path state;

  private final ScriptedDialogs dialogs = new ScriptedDialogs();
  private ExecutorService background;
  private LocalRunner runner;
  private EditorViewModel vm;
  private MainWindow window;
  private Stage stage;

  @Start
  void start(Stage stage) {
    this.stage = stage;
    background = Executors.newSingleThreadExecutor();
    runner = LocalRunner.withThreads(2, 1L << 30);
    vm =
        new EditorViewModel(
            new EditorViewModel.Services(
                dialogs,
                Platform::runLater,
                background,
                List.of(new RunnerChoice("local", () -> runner)),
                new ElkLayouter(),
                state));
    window = new MainWindow(vm);
    stage.setScene(new Scene(window.root(), 1600, 1000));
    stage.show();
  }

  @AfterEach
  void stop() throws Exception {
    vm.lastRun().get(30, TimeUnit.SECONDS);
    background.shutdown();
    assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    runner.close();
  }

  static Path example(String name) {
    for (Path x = Path.of("").toAbsolutePath(); x != null; x = x.getParent()) {
      Path p = x.resolve("examples").resolve(name).resolve("graph.json");
      if (Files.exists(p)) {
        return p;
      }
    }
    throw new IllegalStateException("no example " + name);
  }

  @Test
  void kmeansRunsWithOverlayTimelineAndItsLoopBodyOpens(FxRobot robot) throws Exception {
    robot.interact(() -> vm.open(example("kmeans")));
    robot.interact(window::fit);
    robot.press(KeyCode.F5).release(KeyCode.F5);
    vm.lastRun().get(60, TimeUnit.SECONDS);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(vm.overlayProperty().get()).isPresent();
    assertThat(window.canvas().view("lloyd").orElseThrow().timingLabel().getText()).contains("ms");
    assertThat(robot.lookup("#overlay-legend").query().isVisible()).isTrue();
    robot.interact(() -> vm.select(List.of("lloyd")));
    shoot("editor-kmeans-run.png");
    robot.interact(() -> window.showTab("Results"));
    assertThat(robot.lookup("#preview-centroids").tryQuery()).isPresent();
    shoot("editor-kmeans-results.png");
    robot.interact(() -> window.showTab("Timeline"));

    // the overlay toggles off and on
    robot.clickOn("#overlay-toggle");
    assertThat(window.canvas().view("lloyd").orElseThrow().timingLabel().isVisible()).isFalse();
    robot.clickOn("#overlay-toggle");

    // double-click opens the loop body, with the body's timings
    robot.doubleClickOn("#node-lloyd");
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(vm.document().scope()).containsExactly("lloyd");
    robot.interact(window::fit);
    assertThat(window.canvas().view("d2").orElseThrow().timingLabel().isVisible()).isTrue();
    window.showTab("Profile");
    shoot("editor-kmeans-loop-body.png");

    // keyboard: select all, delete, undo
    robot.clickOn("#node-d2");
    robot.press(KeyCode.DELETE).release(KeyCode.DELETE);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(vm.document().current().node("d2")).isEmpty();
    robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(vm.document().current().node("d2")).isPresent();
    // click an edge, Delete removes it; undo puts it back
    robot.clickOn("#edge-sq-out-d2-x");
    robot.press(KeyCode.DELETE).release(KeyCode.DELETE);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(vm.document().current().edges()).doesNotContain(Edge.of("sq:out", "d2:x"));
    assertThat(vm.problemKeys()).contains("lloyd/d2", "lloyd");
    robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(vm.document().current().edges()).contains(Edge.of("sq:out", "d2:x"));
    robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(vm.document().scope()).isEmpty();
    assertThat(vm.dirtyProperty().get()).isFalse();
  }

  private void shoot(String name) throws Exception {
    WaitForAsyncUtils.asyncFx(() -> Screenshots.write(stage.getScene(), name))
        .get(30, TimeUnit.SECONDS);
  }
}
