package org.jetlag.editor.fx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.jetlag.editor.EditorViewModel;
import org.jetlag.editor.RunnerChoice;
import org.jetlag.editor.fx.internal.ElkLayouter;
import org.jetlag.graph.Edge;
import org.jetlag.graph.Node;
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
 * The editor driven like a user, headless (Monocle): build a graph by dragging ops from the
 * palette, connect ports, set a parameter, run it, and check the overlay and the timeline.
 */
@Tag("ui")
@ExtendWith(ApplicationExtension.class)
class EditorUiTest {
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
    stage.setScene(new Scene(window.root(), 1280, 800));
    stage.show();
  }

  @AfterEach
  void stop() throws Exception {
    vm.lastRun().get(30, TimeUnit.SECONDS);
    background.shutdown();
    assertThat(background.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    runner.close();
  }

  private Point2D onCanvas(double x, double y) {
    return window.canvas().localToScreen(x, y);
  }

  private void dragOp(FxRobot robot, String op, double x, double y) {
    robot.clickOn("#palette-search").push(KeyCode.CONTROL, KeyCode.A).write(op, 0);
    // the filtered palette is laid out on a later pulse; a loaded machine may take a while
    try {
      WaitForAsyncUtils.waitFor(
          15,
          TimeUnit.SECONDS,
          () ->
              robot
                  .lookup("#palette-" + op)
                  .tryQuery()
                  .map(javafx.scene.Node::isVisible)
                  .orElse(false));
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the palette shows no '" + op + "' after searching for it", e);
    }
    robot.drag("#palette-" + op).dropTo(onCanvas(x, y));
    WaitForAsyncUtils.waitForFxEvents();
  }

  private void connect(FxRobot robot, String from, String to) {
    robot.drag("#port-" + from.replace(':', '-')).dropTo("#port-" + to.replace(':', '-'));
    WaitForAsyncUtils.waitForFxEvents();
  }

  @Test
  void buildConnectSetRunAndInspect(FxRobot robot) throws Exception {
    dragOp(robot, "arange", 110, 100);
    dragOp(robot, "sin", 340, 100);
    dragOp(robot, "cos", 340, 260);
    dragOp(robot, "output", 570, 100);
    assertThat(vm.document().current().nodes())
        .extracting(Node::op)
        .containsExactly("arange", "sin", "cos", "output");

    // set the required parameter by typing in the property sheet
    robot.clickOn("#node-arange");
    robot.clickOn("#param-stop").write("200000", 0);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(vm.document().current().node("arange").orElseThrow().params().get("stop"))
        .isEqualTo(200000L);
    robot.clickOn("#param-step").eraseText(5).write("x", 0);
    assertThat(robot.lookup("#param-error-step").queryAs(Label.class).getText())
        .startsWith("expected a number");
    robot.eraseText(1);

    connect(robot, "arange:out", "sin:x");
    connect(robot, "sin:out", "output:x");
    connect(robot, "sin:out", "cos:x");
    assertThat(vm.document().current().edges())
        .contains(Edge.of("arange:out", "sin:x"), Edge.of("sin:out", "output:x"));

    // a connection that would make a cycle is refused, with the reason on the canvas
    dragOp(robot, "add", 570, 260);
    connect(robot, "cos:out", "add:a");
    connect(robot, "add:out", "sin:x");
    assertThat(vm.document().current().edges()).doesNotContain(Edge.of("add:out", "sin:x"));
    assertThat(robot.lookup("#canvas-toast").queryAs(Label.class).getText()).contains("cycle");
    robot.clickOn("#node-add");
    robot.type(KeyCode.DELETE);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(vm.document().current().node("add")).isEmpty();
    assertThat(vm.diagnostics()).isEmpty();

    robot.clickOn("#run-button");
    vm.lastRun().get(60, TimeUnit.SECONDS);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(vm.overlayProperty().get()).isPresent();
    NodeView sin = window.canvas().view("sin").orElseThrow();
    assertThat(sin.timingLabel().isVisible()).isTrue();
    assertThat(sin.timingLabel().getText()).contains("ms").contains("%");
    assertThat(vm.timelineProperty().get().orElseThrow().barCount()).isPositive();
    assertThat(vm.previews()).extracting(p -> p.name()).containsExactly("y");

    // a timeline bar selects its node
    robot.clickOn("#node-output");
    Point2D bar = window.timeline().barCenter("sin").orElseThrow();
    robot.clickOn(bar);
    WaitForAsyncUtils.waitForFxEvents();
    assertThat(vm.document().selection()).containsExactly("sin");

    window.showTab("Timeline");
    robot.interact(() -> window.fit());
    WaitForAsyncUtils.waitForFxEvents();
    shoot("editor-built-and-run.png");
  }

  private void shoot(String name) throws Exception {
    WaitForAsyncUtils.asyncFx(() -> Screenshots.write(stage.getScene(), name))
        .get(30, TimeUnit.SECONDS);
  }
}
