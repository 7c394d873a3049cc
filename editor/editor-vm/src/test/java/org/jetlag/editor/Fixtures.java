package org.jetlag.editor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jetlag.graph.Position;
import org.jetlag.runner.Runner;

/** View models wired with scripted dialogs, a same-thread UI and a grid layout. */
final class Fixtures {
  private Fixtures() {}

  /** Dialogs answering from a script, recording what was shown. */
  static final class Dialogs implements DialogService {
    final List<String> errors = new ArrayList<>();
    final List<String> questions = new ArrayList<>();
    boolean answer = true;
    Optional<Path> open = Optional.empty();
    Optional<Path> save = Optional.empty();
    final List<SubmitForm> submitForms = new ArrayList<>();
    Optional<SubmitForm> submit = Optional.empty();

    @Override
    public void showError(String title, String message) {
      errors.add(title + ": " + message);
    }

    @Override
    public boolean confirm(String title, String message) {
      questions.add(message);
      return answer;
    }

    @Override
    public Optional<Path> chooseFileToOpen(String title, List<String> extensions) {
      return open;
    }

    @Override
    public Optional<Path> chooseFileToSave(String title, String suggestedName) {
      return save;
    }

    @Override
    public Optional<SubmitForm> askSubmit(SubmitForm initial) {
      submitForms.add(initial);
      return submit;
    }
  }

  /** A layout placing nodes on a grid, in document order. */
  static final Layouter GRID =
      (g, ports) -> {
        Map<String, Position> m = new HashMap<>();
        for (int i = 0; i < g.nodes().size(); i++) {
          m.put(g.nodes().get(i).id(), new Position(40 + 200 * (i % 5), 40 + 100 * (i / 5)));
        }
        return m;
      };

  static Path stateDir() {
    try {
      return Files.createTempDirectory("jetlag-editor-test");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static EditorViewModel viewModel(Dialogs dialogs) {
    return viewModel(
        dialogs,
        () -> {
          throw new IllegalStateException("no runner in this test");
        },
        Runnable::run,
        stateDir());
  }

  static EditorViewModel viewModel(
      Dialogs dialogs, Supplier<Runner> runner, Executor background, Path state) {
    return new EditorViewModel(
        new EditorViewModel.Services(
            dialogs,
            UiScheduler.direct(),
            background,
            List.of(new RunnerChoice("test", runner)),
            GRID,
            state));
  }
}
