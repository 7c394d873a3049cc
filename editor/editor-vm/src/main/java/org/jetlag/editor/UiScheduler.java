package org.jetlag.editor;

/**
 * Runs work on the UI thread. View models never touch their properties from other threads: worker
 * threads hand results over through this. The JavaFX version posts to the FX thread; tests use
 * {@link #direct()}.
 */
@FunctionalInterface
public interface UiScheduler {
  /** Runs {@code task} on the UI thread, later. */
  void execute(Runnable task);

  /** A scheduler that runs tasks at once on the calling thread (for tests without a toolkit). */
  static UiScheduler direct() {
    return Runnable::run;
  }
}
