package org.jetlag.editor.fx;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.jetlag.editor.EditorViewModel;
import org.jetlag.editor.JobSource;
import org.jetlag.editor.JobsViewModel;
import org.jetlag.editor.RunnerChoice;
import org.jetlag.editor.fx.internal.ElkLayouter;
import org.jetlag.graph.JetLagException;
import org.jetlag.remote.JobService;
import org.jetlag.remote.SessionJobs;
import org.jetlag.remote.TapisJobs;
import org.jetlag.runner.local.LocalRunner;

/**
 * The editor application: one window on a graph. Arguments: an optional graph file, and {@code
 * --trace <file>} to open a saved trace onto it.
 */
public final class EditorApp extends Application {
  private ExecutorService background;
  private LocalRunner local;
  private org.apache.arrow.memory.BufferAllocator beamAlloc;
  private EditorViewModel vm;
  private ExecutorService jobWorkers;
  private ScheduledExecutorService jobTimer;
  private JobsViewModel jobs;

  @Override
  public void start(Stage stage) {
    background =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "jetlag-editor-background");
              t.setDaemon(true);
              return t;
            });
    FxDialogs dialogs = new FxDialogs(stage);
    vm =
        new EditorViewModel(
            new EditorViewModel.Services(
                dialogs,
                Platform::runLater,
                background,
                List.of(
                    new RunnerChoice("local", this::localRunner),
                    new RunnerChoice("direct", () -> beam(false)),
                    new RunnerChoice("flink[local]", () -> beam(true))),
                new ElkLayouter(),
                stateDir()));
    jobWorkers = Executors.newCachedThreadPool(daemon("jetlag-editor-jobs"));
    jobTimer = Executors.newSingleThreadScheduledExecutor(daemon("jetlag-editor-jobs-timer"));
    jobs =
        new JobsViewModel(
            vm,
            new JobsViewModel.Services(
                dialogs,
                Platform::runLater,
                jobWorkers,
                jobTimer,
                jobSources(),
                JobsViewModel.Timing.defaults(),
                version(),
                stateDir()));
    MainWindow w = new MainWindow(vm, Optional.of(jobs));
    javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
    Scene scene =
        new Scene(w.root(), Math.min(1400, screen.getWidth()), Math.min(900, screen.getHeight()));
    stage.setScene(scene);
    stage.titleProperty().bind(vm.titleProperty());
    stage.setOnCloseRequest(
        e -> {
          if (!vm.confirmDiscard()) {
            e.consume();
          }
        });
    stage.show();

    List<String> args = getParameters().getRaw();
    boolean opened = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--trace") && i + 1 < args.size()) {
        vm.openTrace(Path.of(args.get(++i)));
        opened = true;
      } else if (!a.startsWith("--")) {
        opened = vm.open(Path.of(a)) || opened;
      }
    }
    if (!opened) {
      vm.offerRecovery();
    }
    Platform.runLater(w::fit);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Where the editor's jobs are: Flink session jobs (as {@code jetlag submit --target flink://…}
   * keeps them) and the Tapis jobs of the {@code jetlag remote login} user.
   */
  static List<JobSource> jobSources() {
    return List.of(
        new JobSource("flink", EditorApp::sessionJobs),
        new JobSource("tapis", TapisJobs::loggedIn));
  }

  /**
   * Jobs on Flink session clusters, kept where {@code jetlag submit} keeps them, their drivers
   * started with this installation's {@code bin/jetlag job-driver} (as the command line does).
   */
  private static JobService sessionJobs() {
    String home = System.getProperty("jetlag.home");
    if (home == null) {
      throw new JetLagException(
          "jobs on a Flink session cluster need the jetlag command: start the editor with"
              + " 'jetlag edit'");
    }
    return SessionJobs.at(SessionJobs.defaultRoot(), SessionJobs.jetlagCommand(Path.of(home)));
  }

  /** This JetLag's version (the jar's), which a remote job's runtime must match. */
  private static String version() {
    return org.jetlag.perf.Versions.jetlag();
  }

  /** Beam's DirectRunner (checks off) or embedded Flink; outputs live in one app allocator. */
  private synchronized org.jetlag.runner.Runner beam(boolean flink) {
    if (beamAlloc == null) {
      beamAlloc = org.jetlag.arrow.Allocators.root(Long.MAX_VALUE);
    }
    return flink
        ? org.jetlag.runner.beam.BeamRunner.flinkEmbedded(beamAlloc)
        : org.jetlag.runner.beam.BeamRunner.direct(beamAlloc, false);
  }

  private synchronized LocalRunner localRunner() {
    if (local == null) {
      local = LocalRunner.withDefaults();
    }
    return local;
  }

  /** {@code ~/.jetlag/editor}: recent files and the recovery copy (created when written). */
  private static Path stateDir() {
    return Path.of(System.getProperty("user.home", "."), ".jetlag", "editor");
  }

  @Override
  public void stop() throws InterruptedException {
    if (vm != null) {
      vm.closed();
    }
    if (jobs != null) {
      jobs.close();
      // calls under way are abandoned (their threads are daemons); nothing waits for them
      jobTimer.shutdownNow();
      jobWorkers.shutdownNow();
    }
    background.shutdown();
    if (!background.awaitTermination(5, TimeUnit.SECONDS)) {
      background.shutdownNow();
    }
    synchronized (this) {
      if (local != null) {
        local.close();
      }
      if (beamAlloc != null) {
        beamAlloc.close();
      }
    }
  }
}
