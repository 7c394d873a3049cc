package org.jetlag.editor;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The dialogs view models may ask for. The JavaFX views implement it with real dialogs; tests
 * answer with scripted values. Called on the UI thread.
 */
public interface DialogService {
  /** Tells the user something went wrong. */
  void showError(String title, String message);

  /** Asks a yes/no question; true for yes. */
  boolean confirm(String title, String message);

  /** A file to open with one of the extensions (without dots), or empty when cancelled. */
  Optional<Path> chooseFileToOpen(String title, List<String> extensions);

  /** A file to save to, or empty when cancelled. */
  Optional<Path> chooseFileToSave(String title, String suggestedName);

  /**
   * Asks where and how to send the graph as a remote job, starting from {@code initial} (the last
   * form used); empty when cancelled.
   */
  Optional<SubmitForm> askSubmit(SubmitForm initial);
}
