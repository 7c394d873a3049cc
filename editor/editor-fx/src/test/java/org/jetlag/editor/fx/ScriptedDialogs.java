package org.jetlag.editor.fx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jetlag.editor.DialogService;
import org.jetlag.editor.SubmitForm;

/** Dialogs that answer from a script and record what was shown. */
final class ScriptedDialogs implements DialogService {
  final List<String> errors = new ArrayList<>();
  boolean confirmAnswer = true;
  Optional<Path> openAnswer = Optional.empty();
  Optional<Path> saveAnswer = Optional.empty();
  Optional<SubmitForm> submitAnswer = Optional.empty();
  final List<SubmitForm> submitAsked = new ArrayList<>();

  @Override
  public void showError(String title, String message) {
    errors.add(title + ": " + message);
  }

  @Override
  public boolean confirm(String title, String message) {
    return confirmAnswer;
  }

  @Override
  public Optional<Path> chooseFileToOpen(String title, List<String> extensions) {
    return openAnswer;
  }

  @Override
  public Optional<Path> chooseFileToSave(String title, String suggestedName) {
    return saveAnswer;
  }

  @Override
  public Optional<SubmitForm> askSubmit(SubmitForm initial) {
    submitAsked.add(initial);
    return submitAnswer;
  }
}
