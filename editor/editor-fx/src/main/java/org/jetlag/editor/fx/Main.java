package org.jetlag.editor.fx;

import javafx.application.Application;

/**
 * Starts the editor: {@code jetlag edit [graph.json] [--trace trace.json]}. A plain main class (not
 * an {@code Application}) so the editor runs from the class path without JavaFX modules.
 */
public final class Main {
  private Main() {}

  /** Launches the editor window. */
  public static void main(String[] args) {
    Application.launch(EditorApp.class, args);
  }
}
